// Whole AnonCreds exchanges between two tenants over DIDComm, driven through the ACA-Py face as a
// controller would: the issuer offers (auto-issue) and the holder requests and stores; the issuer
// asks for a proof of `name`'s credential, non-revoked in an interval, and the holder presents it.
import { expect } from 'vitest'

import type { TestTenant } from './tenants'
import { waitFor } from './waitFor'

/** An issuer and a holder connected to each other, and the credential definition issued. */
export interface AnonCredsPair {
  issuer: TestTenant
  holder: TestTenant
  /** The issuer's side of the connection. */
  issuerConnection: string
  credDefId: string
}

/** A whole issuance of a credential whose `name` attribute is `name` (the others as given). */
export async function issueCredential(pair: AnonCredsPair, name: string, others: Record<string, string> = { level: '3' }): Promise<{ issuerCredExId: string; credentialId: string }> {
  const { issuer, holder } = pair
  const attributes = [{ name: 'name', value: name }, ...Object.entries(others).map(([key, value]) => ({ name: key, value }))]
  const sent = await issuer.api('POST', '/issue-credential-2.0/send', {
    body: {
      connection_id: pair.issuerConnection,
      filter: { anoncreds: { cred_def_id: pair.credDefId } },
      credential_preview: { '@type': 'issue-credential/2.0/credential-preview', attributes },
      auto_remove: false,
    },
  })
  expect(sent.status, JSON.stringify(sent.body)).toBe(200)
  const threadId = sent.body.thread_id
  const offered = await waitFor('the offer at the holder', async () => (await holder.api('GET', `/issue-credential-2.0/records?thread_id=${threadId}&state=offer-received`)).body.results?.[0])
  await holder.api('POST', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}/send-request`, { body: { auto_remove: false } })
  const arrived = await waitFor('the credential at the holder', async () => (await holder.api('GET', `/issue-credential-2.0/records?thread_id=${threadId}&state=credential-received`)).body.results?.[0])
  const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
  expect(stored.status, JSON.stringify(stored.body)).toBe(200)
  return { issuerCredExId: sent.body.cred_ex_id, credentialId: stored.body.anoncreds.cred_id_stored }
}

/** The issuer asks for `name`'s credential, non-revoked in `interval`; the holder proves with it. Answers whether it verified. */
export async function proveCredential(pair: AnonCredsPair, name: string, interval: { from?: number; to: number }): Promise<{ verified: string | undefined; state: string; errorMsg?: string }> {
  const { issuer, holder } = pair
  const restrictions = [{ cred_def_id: pair.credDefId }]
  const sent = await issuer.api('POST', '/present-proof-2.0/send-request', {
    body: {
      connection_id: pair.issuerConnection,
      presentation_request: {
        anoncreds: { name: 'proof', version: '1.0', non_revoked: interval, requested_attributes: { who: { name: 'name', restrictions } }, requested_predicates: {} },
      },
      auto_verify: false,
      auto_remove: false,
    },
  })
  expect(sent.status, JSON.stringify(sent.body)).toBe(200)
  const threadId = sent.body.thread_id
  const asked = await waitFor('the request at the holder', async () => (await holder.api('GET', `/present-proof-2.0/records?thread_id=${threadId}&state=request-received`)).body.results?.[0])
  // As with ACA-Py, a revoked credential is listed too: the verifier judges it.
  const candidates = (await holder.api('GET', `/present-proof-2.0/records/${asked.pres_ex_id}/credentials?count=100`)).body as Array<{ cred_info: { referent: string; attrs: Record<string, string> } }>
  const credId = candidates.find((candidate) => candidate.cred_info.attrs.name === name)!.cred_info.referent
  const presented = await holder.api('POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, {
    body: { anoncreds: { requested_attributes: { who: { cred_id: credId, revealed: true } }, requested_predicates: {}, self_attested_attributes: {} } },
  })
  expect(presented.status, JSON.stringify(presented.body)).toBe(200)
  const received = await waitFor('the presentation at the issuer', async () => {
    const record = (await issuer.api('GET', `/present-proof-2.0/records?thread_id=${threadId}`)).body.results?.[0]
    return ['presentation-received', 'abandoned'].includes(record?.state) ? record : undefined
  })
  if (received.state === 'abandoned') return { verified: received.verified, state: received.state, errorMsg: received.error_msg }
  const verified = await issuer.api('POST', `/present-proof-2.0/records/${received.pres_ex_id}/verify-presentation`, { body: {} })
  expect(verified.status, JSON.stringify(verified.body)).toBe(200)
  return { verified: verified.body.verified, state: verified.body.state }
}
