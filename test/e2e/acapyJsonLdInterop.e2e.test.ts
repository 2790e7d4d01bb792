// JSON-LD interop with a real ACA-Py (the same PyPI acapy-agent as the connections interop):
// ld_proof credentials issued each way under did:key with both Ed25519 suites, and DIF proofs
// each way, every step driven by hand through both admin APIs. The credentials use the contexts
// both agents carry offline (credentials v1 and citizenship v1), so neither reaches the internet.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ACAPY_DEFAULT_EXTRA_ARGS, startAcaPy, type AcaPy } from '../helpers/acapy'
import { sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

describe('JSON-LD interop with a real ACA-Py', () => {
  let acapy: AcaPy
  let server: ServerProcess
  let tenant: TestTenant
  let acapyDid: string
  let credenceDid: string
  let acapyConnection: string
  let credenceConnection: string

  const resident = (issuer: string, subject: string, givenName: string) => ({
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/citizenship/v1'],
    type: ['VerifiableCredential', 'PermanentResident'],
    issuer,
    issuanceDate: '2024-01-01T00:00:00Z',
    credentialSubject: { id: subject, type: ['PermanentResident'], givenName, familyName: 'Doe' },
  })

  // Schema URIs as ACA-Py writes them, expanded types: Credence reads them too
  // (agent/presentationExchange.ts), on both the prover's and the verifier's side; and, as ACA-Py
  // takes them, `schema` as oneof_filter groups (a credential matching one group will do) and a
  // filter without `type`.
  const definition = (givenName: string) => ({
    id: randomUUID(),
    format: { ldp_vp: { proof_type: ['Ed25519Signature2018'] } },
    input_descriptors: [
      {
        id: 'citizenship',
        schema: { oneof_filter: [[{ uri: 'https://example.org/examples#UniversityDegreeCredential' }], [{ uri: 'https://w3id.org/citizenship#PermanentResident' }]] },
        constraints: { fields: [{ path: ['$.credentialSubject.givenName'], filter: { const: givenName } }] },
      },
    ],
  })

  const acapyRecord = (path: string, state: string, threadId: string) =>
    waitFor(`ACA-Py ${path} in ${state}`, async () => {
      const { body } = await acapy.admin('GET', `${path}?thread_id=${threadId}`)
      const record = body?.results?.[0]
      const flat = record?.cred_ex_record ?? record
      if (flat?.state === 'abandoned') throw new Error(`ACA-Py abandoned the exchange: ${flat.error_msg}`)
      return flat?.state === state ? record : undefined
    })
  const credenceRecord = (path: string, state: string, threadId: string) =>
    waitFor(`Credence ${path} in ${state}`, async () => {
      const { body } = await tenant.api('GET', `${path}?thread_id=${threadId}`)
      const record = body?.results?.[0]
      const flat = record?.cred_ex_record ?? record
      if (flat?.state === 'abandoned') throw new Error(`Credence abandoned the exchange: ${flat.error_msg}`)
      return flat?.state === state ? record : undefined
    })

  beforeAll(async () => {
    ;[acapy, server] = await Promise.all([startAcaPy({ label: 'ACA-Py', extraArgs: ACAPY_DEFAULT_EXTRA_ARGS }), startServerProcess(sqlite.env(tempDataDir()))])
    tenant = await createTenant(server, 'Credence tenant')
    acapyDid = (await acapy.admin('POST', '/wallet/did/create', { method: 'key', options: { key_type: 'ed25519' } })).body.result.did
    credenceDid = (await tenant.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
    const invited = await tenant.api('POST', '/out-of-band/create-invitation?auto_accept=true', { body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
    const received = await acapy.admin('POST', '/out-of-band/receive-invitation', invited.body.invitation)
    acapyConnection = received.body.connection_id
    await waitFor('the ACA-Py connection', async () => ((await acapy.admin('GET', `/connections/${acapyConnection}`)).body?.rfc23_state === 'completed' ? true : undefined))
    credenceConnection = await waitFor('the Credence connection', async () => {
      const { body } = await tenant.api('GET', `/connections?invitation_msg_id=${invited.body.invi_msg_id}&state=completed`)
      return body.results?.[0]?.connection_id
    })
  }, 180_000)

  afterAll(async () => {
    await Promise.all([acapy?.stop(), server?.stop()])
  })

  for (const proofType of ['Ed25519Signature2018', 'Ed25519Signature2020']) {
    it(`ACA-Py issues a JSON-LD credential (${proofType}) to Credence`, async () => {
      const offered = await acapy.admin('POST', '/issue-credential-2.0/send-offer', {
        connection_id: acapyConnection,
        // ACA-Py's offers may leave out proofPurpose (it then signs with assertionMethod): one does.
        filter: {
          ld_proof: {
            credential: resident(acapyDid, credenceDid, `Ada-${proofType}`),
            options: proofType === 'Ed25519Signature2018' ? { proofType } : { proofType, proofPurpose: 'assertionMethod' },
          },
        },
      })
      expect(offered.status, JSON.stringify(offered.body)).toBe(200)
      const threadId = offered.body.thread_id
      const atCredence = await credenceRecord('/issue-credential-2.0/records', 'offer-received', threadId)
      expect((await tenant.api('POST', `/issue-credential-2.0/records/${atCredence.cred_ex_record.cred_ex_id}/send-request`, { body: {} })).status).toBe(200)
      const atAcaPy = await acapyRecord('/issue-credential-2.0/records', 'request-received', threadId)
      const issued = await acapy.admin('POST', `/issue-credential-2.0/records/${atAcaPy.cred_ex_record.cred_ex_id}/issue`, {})
      expect(issued.status, JSON.stringify(issued.body)).toBe(200)
      const arrived = await credenceRecord('/issue-credential-2.0/records', 'credential-received', threadId)
      const stored = await tenant.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
      expect(stored.status, JSON.stringify(stored.body)).toBe(200)
      expect(stored.body.ld_proof.cred_id_stored).toEqual(expect.any(String))
      await acapyRecord('/issue-credential-2.0/records', 'done', threadId)
      const held = await tenant.api('GET', `/credential/w3c/${stored.body.ld_proof.cred_id_stored}`)
      expect(held.body).toMatchObject({ issuer_id: acapyDid, proof_types: [proofType], cred_value: { credentialSubject: { givenName: `Ada-${proofType}` } } })
    })

    it(`Credence issues a JSON-LD credential (${proofType}) to ACA-Py`, async () => {
      const offered = await tenant.api('POST', '/issue-credential-2.0/send-offer', {
        body: {
          connection_id: credenceConnection,
          filter: { ld_proof: { credential: resident(credenceDid, acapyDid, `Ben-${proofType}`), options: { proofType } } },
          auto_remove: false,
        },
      })
      expect(offered.status, JSON.stringify(offered.body)).toBe(200)
      const threadId = offered.body.thread_id
      const atAcaPy = await acapyRecord('/issue-credential-2.0/records', 'offer-received', threadId)
      const requested = await acapy.admin('POST', `/issue-credential-2.0/records/${atAcaPy.cred_ex_record.cred_ex_id}/send-request`, {})
      expect(requested.status, JSON.stringify(requested.body)).toBe(200)
      const atCredence = await credenceRecord('/issue-credential-2.0/records', 'request-received', threadId)
      expect((await tenant.api('POST', `/issue-credential-2.0/records/${atCredence.cred_ex_record.cred_ex_id}/issue`, { body: {} })).status).toBe(200)
      const arrived = await acapyRecord('/issue-credential-2.0/records', 'credential-received', threadId)
      const stored = await acapy.admin('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, {})
      expect(stored.status, JSON.stringify(stored.body)).toBe(200)
      expect(stored.body.cred_ex_record.state).toBe('done')
      await credenceRecord('/issue-credential-2.0/records', 'done', threadId)
      const held = await acapy.admin('GET', `/credential/w3c/${stored.body.ld_proof.cred_id_stored}`)
      expect(held.body).toMatchObject({ issuer_id: credenceDid, proof_types: [proofType] })
    })
  }

  it('ACA-Py asks for a DIF presentation, Credence presents, ACA-Py verifies it', async () => {
    const requested = await acapy.admin('POST', '/present-proof-2.0/send-request', {
      connection_id: acapyConnection,
      presentation_request: { dif: { presentation_definition: definition('Ada-Ed25519Signature2018'), options: { challenge: randomUUID(), domain: 'acapy.example' } } },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    const threadId = requested.body.thread_id
    const atCredence = await credenceRecord('/present-proof-2.0/records', 'request-received', threadId)
    const candidates = await tenant.api('GET', `/present-proof-2.0/records/${atCredence.pres_ex_id}/credentials`)
    expect(candidates.body.map((c: any) => c.credentialSubject.givenName)).toEqual(['Ada-Ed25519Signature2018'])
    const presented = await tenant.api('POST', `/present-proof-2.0/records/${atCredence.pres_ex_id}/send-presentation`, { body: { dif: {}, auto_remove: false } })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
    const atAcaPy = await acapyRecord('/present-proof-2.0/records', 'presentation-received', threadId)
    const verified = await acapy.admin('POST', `/present-proof-2.0/records/${atAcaPy.pres_ex_id}/verify-presentation`, {})
    expect(verified.status, JSON.stringify(verified.body)).toBe(200)
    expect(verified.body).toMatchObject({ state: 'done', verified: 'true' })
    // Signed as the verifier asked (format.ldp_vp), not with whichever suite Credo lists first.
    expect(verified.body.by_format.pres.dif.proof).toMatchObject({ type: 'Ed25519Signature2018', challenge: expect.any(String), domain: 'acapy.example' })
    await credenceRecord('/present-proof-2.0/records', 'done', threadId)
  })

  it('Credence asks for a DIF presentation, ACA-Py presents, Credence verifies it', async () => {
    const requested = await tenant.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: credenceConnection,
        presentation_request: { dif: { presentation_definition: definition('Ben-Ed25519Signature2018'), options: { challenge: randomUUID(), domain: 'credence.example' } } },
      },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    // The definition is kept as it was sent.
    expect(requested.body.by_format.pres_request.dif.presentation_definition.input_descriptors[0].schema.oneof_filter).toHaveLength(2)
    const threadId = requested.body.thread_id
    const atAcaPy = await acapyRecord('/present-proof-2.0/records', 'request-received', threadId)
    const presented = await acapy.admin('POST', `/present-proof-2.0/records/${atAcaPy.pres_ex_id}/send-presentation`, { dif: {} })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
    const atCredence = await credenceRecord('/present-proof-2.0/records', 'presentation-received', threadId)
    expect(atCredence.verified).toBe('true')
    expect(atCredence.by_format.pres.dif.verifiableCredential[0].credentialSubject.givenName).toBe('Ben-Ed25519Signature2018')
    // ACA-Py 1.7 leaves the requested domain out of its proof; Credence verifies it as ACA-Py does.
    expect(atCredence.by_format.pres.dif.proof.domain).toBeUndefined()
    const verified = await tenant.api('POST', `/present-proof-2.0/records/${atCredence.pres_ex_id}/verify-presentation`, { body: {} })
    expect(verified.body).toMatchObject({ state: 'done', verified: 'true' })
    await acapyRecord('/present-proof-2.0/records', 'done', threadId)
  })

  it('a DIF request Credence cannot answer ends abandoned on both sides, with a problem report to ACA-Py', async () => {
    const requested = await acapy.admin('POST', '/present-proof-2.0/send-request', {
      connection_id: acapyConnection,
      presentation_request: { dif: { presentation_definition: definition('Nobody-at-all'), options: { challenge: randomUUID() } } },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    const threadId = requested.body.thread_id
    const atCredence = await credenceRecord('/present-proof-2.0/records', 'request-received', threadId)
    const refused = await tenant.api('POST', `/present-proof-2.0/records/${atCredence.pres_ex_id}/send-presentation`, { body: { dif: {} } })
    expect(refused.status, JSON.stringify(refused.body)).toBe(400)
    expect(refused.body).toMatchObject({ field: 'dif', error: expect.stringMatching(/do not satisfy/) })
    const abandonedHere = (await tenant.api('GET', `/present-proof-2.0/records/${atCredence.pres_ex_id}`)).body
    expect(abandonedHere).toMatchObject({ state: 'abandoned', error_msg: expect.stringMatching(/do not satisfy/) })
    const atAcaPy = await waitFor('ACA-Py\'s exchange abandoned', async () => {
      const { body } = await acapy.admin('GET', `/present-proof-2.0/records?thread_id=${threadId}`)
      return body?.results?.[0]?.state === 'abandoned' ? body.results[0] : undefined
    })
    expect(atAcaPy.error_msg).toEqual(expect.stringMatching(/do not satisfy/))
  })

  it('a DIF request Credence cannot read ends abandoned on both sides, with a problem report to ACA-Py', async () => {
    // ACA-Py takes an enum mixing strings and numbers without a type; Credence cannot evaluate it.
    const unreadable = definition('Ada-Ed25519Signature2018')
    unreadable.input_descriptors[0].constraints.fields[0].filter = { enum: ['Ada', 1] } as never
    const requested = await acapy.admin('POST', '/present-proof-2.0/send-request', {
      connection_id: acapyConnection,
      presentation_request: { dif: { presentation_definition: unreadable, options: { challenge: randomUUID() } } },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    const threadId = requested.body.thread_id
    const atCredence = await waitFor('Credence\'s exchange abandoned', async () => {
      const { body } = await tenant.api('GET', `/present-proof-2.0/records?thread_id=${threadId}`)
      return body?.results?.[0]?.state === 'abandoned' ? body.results[0] : undefined
    })
    expect(atCredence.error_msg).toMatch(/^Unable to read the presentation request: .*enum/)
    expect(atCredence.by_format.pres_request.dif.presentation_definition.id).toBe(unreadable.id)
    const atAcaPy = await waitFor('ACA-Py\'s exchange abandoned', async () => {
      const { body } = await acapy.admin('GET', `/present-proof-2.0/records?thread_id=${threadId}`)
      return body?.results?.[0]?.state === 'abandoned' ? body.results[0] : undefined
    })
    expect(atAcaPy.error_msg).toMatch(/Unable to read the presentation request/)
  })
})
