// A holder that cheats, against Credence over real HTTP. The holder is a Credence started in this
// process, so the test can rewrite the messages its Credo agent sends, after the agent built (and
// signed) them and before they are packed: a revealed value changed (with its AnonCreds encoding,
// so only the signature can tell), a presentation made for an earlier request replayed into a new
// one, and a JSON-LD credential request asking for more than was offered. The verifier must not
// call either presentation verified, and the issuer must not sign the request.
import { MessageSender, type OutboundMessageContext } from '@credo-ts/core'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sqlite, tempDataDir } from '../helpers/backends'
import { startInProcess, type InProcessServer } from '../helpers/inProcessServer'
import { degreeOfferFilter } from '../helpers/jsonLdOffers'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

const PRESENTATION = 'https://didcomm.org/present-proof/2.0/presentation'
const CREDENTIAL_REQUEST = 'https://didcomm.org/issue-credential/2.0/request-credential'

interface Attachment {
  data: { base64?: string }
}
type PresentationMessage = { type: string; presentationAttachments: Attachment[] }
type RequestMessage = { type: string; requestAttachments: Attachment[] }

/** AnonCreds' encoding of a raw value: 32-bit integers as themselves, anything else as SHA-256 in decimal. */
function encode(raw: string): string {
  if (/^-?\d+$/.test(raw) && Number(raw) >= -(2 ** 31) && Number(raw) < 2 ** 31) return raw
  return BigInt(`0x${createHash('sha256').update(raw).digest('hex')}`).toString()
}

const decode = (attachment: Attachment) => JSON.parse(Buffer.from(attachment.data.base64!, 'base64').toString('utf8'))
const reencode = (attachment: Attachment, json: unknown) => (attachment.data.base64 = Buffer.from(JSON.stringify(json)).toString('base64'))

describe('a prover that cheats', () => {
  let prover: InProcessServer
  let verifierServer: ServerProcess
  let issuer: TestTenant
  let holder: TestTenant
  let verifier: TestTenant
  let credDefId: string
  let toHolder: string
  let issuerSideOfHolder: string
  /** Rewrites the next presentation the prover's agent sends, once. */
  let rewrite: ((message: PresentationMessage) => void) | undefined
  /** Rewrites the next credential request the holder's agent sends, once. */
  let rewriteRequest: ((message: RequestMessage) => void) | undefined
  /** Every presentation attachment the prover sent, as sent. */
  const sent: unknown[] = []

  const request = async () => {
    const asked = await verifier.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: toHolder,
        presentation_request: { anoncreds: { name: 'who', version: '1.0', requested_attributes: { who: { name: 'name', restrictions: [{ cred_def_id: credDefId }] } } } },
        auto_remove: false,
      },
    })
    expect(asked.status, JSON.stringify(asked.body)).toBe(200)
    const threadId = asked.body.thread_id as string
    const atHolder = await waitFor('the request at the holder', async () => {
      const { body } = await holder.api('GET', `/present-proof-2.0/records?state=request-received&thread_id=${threadId}`)
      return body.results?.[0]
    })
    const [candidate] = (await holder.api('GET', `/present-proof-2.0/records/${atHolder.pres_ex_id}/credentials`)).body
    const presented = await holder.api('POST', `/present-proof-2.0/records/${atHolder.pres_ex_id}/send-presentation`, {
      body: { anoncreds: { requested_attributes: { who: { cred_id: candidate.cred_info.referent, revealed: true } }, requested_predicates: {}, self_attested_attributes: {} }, auto_remove: false },
    })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
    // The verifier's record once it has settled: received (verified or not) or abandoned.
    return waitFor('the verifier to settle', async () => {
      const { body } = await verifier.api('GET', `/present-proof-2.0/records?thread_id=${threadId}`)
      const record = body.results?.[0]
      return record && ['presentation-received', 'abandoned', 'done'].includes(record.state) ? record : undefined
    })
  }

  beforeAll(async () => {
    const env = { CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }
    ;[prover, verifierServer] = await Promise.all([
      startInProcess({ ...sqlite.env(tempDataDir()), ...env }),
      startServerProcess({ ...sqlite.env(tempDataDir()), ...env }),
    ])
    const sender = prover.server.agent.dependencyManager.resolve(MessageSender)
    const send = sender.sendMessage.bind(sender)
    sender.sendMessage = async (context: OutboundMessageContext, options?: Parameters<typeof send>[1]) => {
      const message = context.message as unknown as PresentationMessage
      if (message.type === CREDENTIAL_REQUEST) {
        rewriteRequest?.(context.message as unknown as RequestMessage)
        rewriteRequest = undefined
      }
      if (message.type === PRESENTATION) {
        rewrite?.(message)
        rewrite = undefined
        sent.push(decode(message.presentationAttachments[0]))
      }
      return send(context, options)
    }
    ;[issuer, holder, verifier] = await Promise.all([
      createTenant(prover.process, 'Issuer'),
      createTenant(prover.process, 'Holder'),
      createTenant(verifierServer, 'Verifier'),
    ])
    const did = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
    const schema = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'person', version: '1.0', attrNames: ['name'] } } })
    const definition = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: 'default' } },
    })
    credDefId = definition.body.credential_definition_state.credential_definition_id
    const { inviterConnection: issuerSide } = await connectTenants(issuer, holder)
    issuerSideOfHolder = issuerSide
    const offered = await issuer.api('POST', '/issue-credential-2.0/send', {
      body: { connection_id: issuerSide, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: { attributes: [{ name: 'name', value: 'Alice' }] } },
    })
    const atHolder = await waitFor('the offer', async () => (await holder.api('GET', `/issue-credential-2.0/records?state=offer-received&thread_id=${offered.body.thread_id}`)).body.results?.[0])
    await holder.api('POST', `/issue-credential-2.0/records/${atHolder.cred_ex_record.cred_ex_id}/send-request`, { body: {} })
    const arrived = await waitFor('the credential', async () => (await holder.api('GET', `/issue-credential-2.0/records?state=credential-received&thread_id=${offered.body.thread_id}`)).body.results?.[0])
    await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
    toHolder = (await connectTenants(verifier, holder)).inviterConnection
  }, 120_000)

  afterAll(async () => {
    await Promise.all([prover?.server.stop(), verifierServer?.stop()])
  })

  it('an honest presentation verifies', async () => {
    const record = await request()
    expect(record).toMatchObject({ state: 'presentation-received', verified: 'true' })
  })

  it('a revealed value changed after signing does not verify', async () => {
    rewrite = (message) => {
      const attachment = message.presentationAttachments[0]
      const proof = decode(attachment)
      proof.requested_proof.revealed_attrs.who = { ...proof.requested_proof.revealed_attrs.who, raw: 'Mallory', encoded: encode('Mallory') }
      reencode(attachment, proof)
    }
    const record = await request()
    // Kept as received, not verified, as ACA-Py keeps it (verify-presentation then says false).
    expect(record).toMatchObject({ state: 'presentation-received', verified: 'false' })
    // The reason names the attribute whose proof does not match what was revealed.
    expect(record.error_msg).toMatch(/"name"/)
  })

  it('a presentation made for an earlier request does not verify for a new one', async () => {
    const earlier = sent[0]
    rewrite = (message) => reencode(message.presentationAttachments[0], earlier)
    const record = await request()
    expect(record).toMatchObject({ state: 'presentation-received', verified: 'false' })
    expect(record.error_msg).toEqual(expect.any(String))
  })

  it('a JSON-LD credential request asking for more than was offered is not signed', async () => {
    const create = (tenant: TestTenant) => tenant.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })
    const [issuerDid, holderDid] = (await Promise.all([create(issuer), create(holder)])).map((created) => created.body.result.did)
    const offered = await issuer.api('POST', '/issue-credential-2.0/send-offer', {
      body: {
        connection_id: issuerSideOfHolder,
        filter: degreeOfferFilter(issuerDid, holderDid, 'Bachelor of Arts'),
        auto_remove: false,
      },
    })
    expect(offered.status, JSON.stringify(offered.body)).toBe(200)
    const threadId = offered.body.thread_id
    const atHolder = await waitFor('the offer', async () => (await holder.api('GET', `/issue-credential-2.0/records?state=offer-received&thread_id=${threadId}`)).body.results?.[0])
    rewriteRequest = (message) => {
      const detail = decode(message.requestAttachments[0])
      detail.credential.credentialSubject.degree.name = 'Doctor of Philosophy'
      reencode(message.requestAttachments[0], detail)
    }
    await holder.api('POST', `/issue-credential-2.0/records/${atHolder.cred_ex_record.cred_ex_id}/send-request`, { body: {} })
    const atIssuer = await waitFor('the request', async () => (await issuer.api('GET', `/issue-credential-2.0/records?state=request-received&thread_id=${threadId}`)).body.results?.[0])
    const issued = await issuer.api('POST', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}/issue`, { body: {} })
    expect(issued).toMatchObject({ status: 400, body: { field: 'cred_ex_id', error: expect.stringContaining('does not match the offer') } })
    const after = await issuer.api('GET', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}`)
    expect(after.body.cred_ex_record).toMatchObject({ state: 'abandoned', error_msg: 'The credential request does not match the offer' })
    expect(after.body.cred_ex_record.cred_issue).toBeUndefined()
    // The holder hears of it.
    await waitFor('the holder to see the exchange abandoned', async () => {
      const { body } = await holder.api('GET', `/issue-credential-2.0/records?thread_id=${threadId}`)
      return body.results?.[0]?.cred_ex_record.state === 'abandoned' ? true : undefined
    })
  })
})
