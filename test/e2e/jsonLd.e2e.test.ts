// JSON-LD credentials between two Credence processes over real HTTP: issued under a did:key with
// Ed25519Signature2018 and Ed25519Signature2020 (`ld_proof`), kept in the holder's W3C store, and
// proven with a DIF presentation exchange (`dif`). Offline: every context is shipped or uploaded;
// an unknown one is a 400 before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { startWebhookSink, type WebhookSink } from '../helpers/webhookSink'

describe('JSON-LD credentials and DIF proofs', () => {
  let sink: WebhookSink
  let issuerServer: ServerProcess
  let holderServer: ServerProcess
  let issuer: TestTenant
  let holder: TestTenant
  let issuerDid: string
  let holderDid: string
  let issuerConnection: string
  let holderConnection: string

  const credential = (givenName: string, extra: Record<string, unknown> = {}) => ({
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
    type: ['VerifiableCredential', 'UniversityDegreeCredential'],
    issuer: issuerDid,
    issuanceDate: '2024-01-01T00:00:00Z',
    credentialSubject: { id: holderDid, givenName, degree: { type: 'BachelorDegree', name: 'Bachelor of Science' } },
    ...extra,
  })

  const exchangeIn = (tenant: TestTenant, state: string, threadId: string) =>
    waitFor(`a credential exchange in ${state}`, async () => {
      const { body } = await tenant.api('GET', `/issue-credential-2.0/records?state=${state}&thread_id=${threadId}`)
      return body.results?.[0]
    })
  const presentationIn = (tenant: TestTenant, state: string, threadId: string) =>
    waitFor(`a presentation exchange in ${state}`, async () => {
      const { body } = await tenant.api('GET', `/present-proof-2.0/records?state=${state}&thread_id=${threadId}`)
      return body.results?.[0]
    })

  /** The issuer asks for a DIF presentation of a credential whose givenName is `givenName`; the holder's record. */
  async function askForGivenName(definitionId: string, descriptorId: string, givenName: string) {
    const requested = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: issuerConnection,
        presentation_request: {
          dif: {
            presentation_definition: {
              id: definitionId,
              input_descriptors: [{ id: descriptorId, schema: [{ uri: 'https://www.w3.org/2018/credentials#VerifiableCredential' }], constraints: { fields: [{ path: ['$.credentialSubject.givenName'], filter: { type: 'string', const: givenName } }] } }],
            },
          },
        },
      },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    return presentationIn(holder, 'request-received', requested.body.thread_id)
  }

  /** Offers `offered` with `proofType` and takes it to `done` on both sides by hand; the holder's detail. */
  async function issueByHand(offered: Record<string, unknown>, proofType: string) {
    const sent = await issuer.api('POST', '/issue-credential-2.0/send-offer', {
      body: { connection_id: issuerConnection, filter: { ld_proof: { credential: offered, options: { proofType } } } },
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const threadId = sent.body.thread_id
    const atHolder = await exchangeIn(holder, 'offer-received', threadId)
    expect(atHolder).toMatchObject({ anoncreds: null, indy: null, ld_proof: { cred_ex_id: atHolder.cred_ex_record.cred_ex_id } })
    expect(atHolder.cred_ex_record.by_format.cred_offer.ld_proof.options.proofType).toBe(proofType)
    expect((await holder.api('POST', `/issue-credential-2.0/records/${atHolder.cred_ex_record.cred_ex_id}/send-request`, { body: {} })).status).toBe(200)
    const atIssuer = await exchangeIn(issuer, 'request-received', threadId)
    const issued = await issuer.api('POST', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}/issue`, { body: {} })
    expect(issued.status, JSON.stringify(issued.body)).toBe(200)
    const arrived = await exchangeIn(holder, 'credential-received', threadId)
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
    expect(stored.status, JSON.stringify(stored.body)).toBe(200)
    return stored.body
  }

  beforeAll(async () => {
    ;[issuerServer, holderServer] = await Promise.all([startServerProcess(sqlite.env(tempDataDir())), startServerProcess(sqlite.env(tempDataDir()))])
    sink = await startWebhookSink()
    ;[issuer, holder] = await Promise.all([
      createTenant(issuerServer, 'Issuer', { webhookUrls: [`${sink.url}/issuer`] }),
      createTenant(holderServer, 'Holder', { webhookUrls: [`${sink.url}/holder`] }),
    ])
    issuerDid = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
    holderDid = (await holder.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
    ;({ inviterConnection: issuerConnection, inviteeConnection: holderConnection } = await connectTenants(issuer, holder))
    // The holder wants whole records in its webhooks (ACA-Py's --debug-webhooks); the issuer keeps
    // ACA-Py's default, trimmed ones.
    expect((await holder.api('PUT', '/settings', { body: { extra_settings: { ACAPY_DEBUG_WEBHOOKS: true } } })).status).toBe(200)
  })

  afterAll(async () => {
    await Promise.all([issuerServer?.stop(), holderServer?.stop()])
    await sink?.stop()
  })

  it('issues with Ed25519Signature2018 by hand; the holder keeps it in its W3C store', async () => {
    const stored = await issueByHand(credential('Alice'), 'Ed25519Signature2018')
    expect(stored).toMatchObject({ cred_ex_record: { state: 'done' }, ld_proof: { cred_id_stored: expect.any(String) }, anoncreds: null })
    const vc = stored.cred_ex_record.by_format.cred_issue.ld_proof
    expect(vc.proof).toMatchObject({ type: 'Ed25519Signature2018', proofPurpose: 'assertionMethod', verificationMethod: expect.stringMatching(`^${issuerDid}#`) })

    const recordId = stored.ld_proof.cred_id_stored
    const listed = await holder.api('POST', '/credentials/w3c', { body: { types: ['UniversityDegreeCredential'], issuer_id: issuerDid } })
    expect(listed.status, JSON.stringify(listed.body)).toBe(200)
    expect(listed.body.results.map((r: any) => r.record_id)).toContain(recordId)
    const one = await holder.api('GET', `/credential/w3c/${recordId}`)
    expect(one.body).toMatchObject({
      record_id: recordId,
      issuer_id: issuerDid,
      subject_ids: [holderDid],
      proof_types: ['Ed25519Signature2018'],
      expanded_types: expect.arrayContaining(['https://www.w3.org/2018/credentials#VerifiableCredential', 'https://example.org/examples#UniversityDegreeCredential']),
      cred_value: { credentialSubject: { givenName: 'Alice' } },
    })
    // The AnonCreds listing does not show JSON-LD credentials.
    const anoncreds = await holder.api("GET", "/credentials")
    expect((await holder.api("GET", `/credential/${recordId}`)).status).toBe(404)
    expect(anoncreds.body.results.map((r: any) => r.referent)).not.toContain(recordId)
    // Exchange webhooks: trimmed to ACA-Py's keys for the issuer, whole for the holder (debug).
    const exchangeWebhooks = (path: string) => sink.deliveries.filter((d) => d.path === path && d.body.thread_id === stored.cred_ex_record.thread_id).map((d) => d.body)
    await sink.waitFor('the exchange webhooks', () => exchangeWebhooks('/issuer/topic/issue_credential_v2_0/').some((b) => b.state === 'done'))
    for (const body of exchangeWebhooks('/issuer/topic/issue_credential_v2_0/')) {
      expect(body).toMatchObject({ cred_ex_id: expect.any(String), state: expect.any(String), role: 'issuer', created_at: expect.any(String) })
      const kept = ['connection_id', 'cred_ex_id', 'role', 'initiator', 'auto_offer', 'auto_issue', 'auto_remove', 'error_msg', 'thread_id', 'parent_thread_id', 'state', 'trace', 'created_at', 'updated_at']
      expect(Object.keys(body).filter((key) => !kept.includes(key))).toEqual([])
    }
    const holderDone = exchangeWebhooks('/holder/topic/issue_credential_v2_0/').find((b) => b.state === 'done')
    expect(holderDone.by_format.cred_issue.ld_proof.proof.type).toBe('Ed25519Signature2018')
    // And the detail record reached the ld_proof topic.
    await sink.waitFor('the ld_proof detail webhook', () =>
      sink.deliveries.some((d) => d.path === '/holder/topic/issue_credential_v2_0_ld_proof/' && d.body.cred_id_stored === recordId),
    )
  })

  it('issues with Ed25519Signature2020 from /send, adding the suite context as ACA-Py does', async () => {
    const sent = await issuer.api('POST', '/issue-credential-2.0/send', {
      body: { connection_id: issuerConnection, filter: { ld_proof: { credential: credential('Bob'), options: { proofType: 'Ed25519Signature2020' } } } },
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const arrived = await exchangeIn(holder, 'offer-received', sent.body.thread_id)
    await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/send-request`, { body: {} })
    const received = await exchangeIn(holder, 'credential-received', sent.body.thread_id)
    const vc = received.cred_ex_record.by_format.cred_issue.ld_proof
    expect(vc['@context']).toContain('https://w3id.org/security/suites/ed25519-2020/v1')
    expect(vc.proof).toMatchObject({ type: 'Ed25519Signature2020', proofValue: expect.stringMatching(/^z/) })
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${received.cred_ex_record.cred_ex_id}/store`, { body: {} })
    expect(stored.body.cred_ex_record.state).toBe('done')
  })

  it('proves with DIF presentation exchange: the holder picks the record, the verifier sees verified "true"', async () => {
    const definition = {
      id: 'degree-check',
      format: { ldp_vp: { proof_type: ['Ed25519Signature2018'] } },
      input_descriptors: [
        {
          id: 'degree',
          schema: [{ uri: 'https://www.w3.org/2018/credentials#VerifiableCredential' }],
          constraints: { fields: [{ path: ['$.credentialSubject.givenName'], filter: { type: 'string', const: 'Alice' } }] },
        },
      ],
    }
    const requested = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: { connection_id: issuerConnection, presentation_request: { dif: { presentation_definition: definition, options: { challenge: 'c-1' } } } },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    expect(requested.body.by_format.pres_request.dif.presentation_definition.id).toBe('degree-check')
    const threadId = requested.body.thread_id

    const atHolder = await presentationIn(holder, 'request-received', threadId)
    const candidates = await holder.api('GET', `/present-proof-2.0/records/${atHolder.pres_ex_id}/credentials`)
    expect(candidates.status, JSON.stringify(candidates.body)).toBe(200)
    expect(candidates.body).toHaveLength(1)
    expect(candidates.body[0]).toMatchObject({ credentialSubject: { givenName: 'Alice' }, record_id: expect.any(String) })

    const presented = await holder.api('POST', `/present-proof-2.0/records/${atHolder.pres_ex_id}/send-presentation`, {
      body: { dif: { record_ids: { degree: [candidates.body[0].record_id] } } },
    })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
    expect(presented.body.state).toBe('presentation-sent')

    const atVerifier = await presentationIn(issuer, 'presentation-received', threadId)
    expect(atVerifier.verified).toBe('true')
    expect(atVerifier.by_format.pres.dif.verifiableCredential[0].credentialSubject.givenName).toBe('Alice')
    expect(atVerifier.by_format.pres.dif.proof).toMatchObject({ type: 'Ed25519Signature2018', challenge: 'c-1', proofPurpose: 'authentication' })
    const verified = await issuer.api('POST', `/present-proof-2.0/records/${atVerifier.pres_ex_id}/verify-presentation`, { body: {} })
    expect(verified.body).toMatchObject({ state: 'done', verified: 'true' })

    // The Ed25519Signature2020 credential, presented under the 2020 suite as the definition asks.
    const bob = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: issuerConnection,
        presentation_request: {
          dif: {
            presentation_definition: {
              ...definition,
              id: 'degree-check-2020',
              format: { ldp_vp: { proof_type: ['Ed25519Signature2020'] } },
              input_descriptors: [{ ...definition.input_descriptors[0], constraints: { fields: [{ path: ['$.credentialSubject.givenName'], filter: { type: 'string', const: 'Bob' } }] } }],
            },
          },
        },
        auto_remove: false,
      },
    })
    const bobAtHolder = await presentationIn(holder, 'request-received', bob.body.thread_id)
    expect((await holder.api('POST', `/present-proof-2.0/records/${bobAtHolder.pres_ex_id}/send-presentation`, { body: { dif: {} } })).status).toBe(200)
    const bobAtVerifier = await presentationIn(issuer, 'presentation-received', bob.body.thread_id)
    expect(bobAtVerifier.verified).toBe('true')
    expect(bobAtVerifier.by_format.pres.dif.proof.type).toBe('Ed25519Signature2020')
    expect(bobAtVerifier.by_format.pres.dif.verifiableCredential[0].proof.type).toBe('Ed25519Signature2020')
  })

  it('starts a DIF proof from the holder: its proposal becomes the verifier\'s request, presented automatically (auto_present)', async () => {
    const proposed = await holder.api('POST', '/present-proof-2.0/send-proposal', {
      body: {
        connection_id: holderConnection,
        presentation_proposal: { dif: { input_descriptors: [{ id: 'degree', schema: [{ uri: 'https://example.org/examples#UniversityDegreeCredential' }] }] } },
        auto_present: true,
        auto_remove: false,
      },
    })
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(200)
    expect(proposed.body.auto_present).toBe(true)
    const threadId = proposed.body.thread_id
    const atVerifier = await presentationIn(issuer, 'proposal-received', threadId)
    expect(atVerifier.by_format.pres_proposal.dif.input_descriptors[0].id).toBe('degree')
    expect((await issuer.api('POST', `/present-proof-2.0/records/${atVerifier.pres_ex_id}/send-request`, { body: { auto_remove: false } })).status).toBe(200)
    // auto_present: the holder answers the request it proposed by itself.
    const received = await presentationIn(issuer, 'presentation-received', threadId)
    expect(received.verified).toBe('true')
  })

  it('refuses a DIF presentation the wallet cannot make, and names the descriptor', async () => {
    const atHolder = await askForGivenName('nobody', 'carol', 'Carol')
    const refused = await holder.api('POST', `/present-proof-2.0/records/${atHolder.pres_ex_id}/send-presentation`, { body: { dif: {} } })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatch(/do not satisfy/)
    // As in ACA-Py, the exchange is abandoned on both sides and the verifier is told why.
    expect((await holder.api('GET', `/present-proof-2.0/records/${atHolder.pres_ex_id}`)).body).toMatchObject({ state: 'abandoned', error_msg: expect.stringMatching(/do not satisfy/) })
    const reported = await presentationIn(issuer, 'abandoned', atHolder.thread_id)
    expect(reported.error_msg).toMatch(/^abandoned: .*do not satisfy/)
    // Every required type must match, as in ACA-Py: a degree is not an alumni credential.
    const alumni = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: issuerConnection,
        presentation_request: {
          dif: {
            presentation_definition: {
              id: 'alumni',
              input_descriptors: [
                { id: 'alumni', schema: [{ uri: 'https://www.w3.org/2018/credentials#VerifiableCredential' }, { uri: 'https://example.org/examples#AlumniCredential' }] },
              ],
            },
          },
        },
      },
    })
    const alumniAtHolder = await presentationIn(holder, 'request-received', alumni.body.thread_id)
    expect((await holder.api('GET', `/present-proof-2.0/records/${alumniAtHolder.pres_ex_id}/credentials`)).body).toEqual([])
    expect((await holder.api('POST', `/present-proof-2.0/records/${alumniAtHolder.pres_ex_id}/send-presentation`, { body: { dif: { issuer_id: holderDid } } })).status).toBe(501)
    expect((await holder.api('POST', `/present-proof-2.0/records/${alumniAtHolder.pres_ex_id}/send-presentation`, { body: { dif: {} } })).status).toBe(400)
    // A broken definition never leaves the verifier.
    const bad = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: { connection_id: issuerConnection, presentation_request: { dif: { presentation_definition: { id: 'x', input_descriptors: 'no' } } } },
    })
    expect(bad.status).toBe(400)
  })

  it('refuses to present a credential whose subject has no id, as ACA-Py does, and never with a 500', async () => {
    const subjectless = { ...credential('Nobody'), credentialSubject: { givenName: 'Nobody', degree: { type: 'BachelorDegree', name: 'Bachelor of Arts' } } }
    await issueByHand(subjectless, 'Ed25519Signature2018')
    const atHolder = await askForGivenName('nobody-at-all', 'nobody', 'Nobody')
    const refused = await holder.api('POST', `/present-proof-2.0/records/${atHolder.pres_ex_id}/send-presentation`, { body: { dif: {} } })
    expect(refused.status, JSON.stringify(refused.body)).toBe(400)
    expect(refused.body).toMatchObject({ field: 'dif', error: expect.stringMatching(/^Unable to determine a local signing DID for the presentation/) })
    expect((await holder.api('GET', `/present-proof-2.0/records/${atHolder.pres_ex_id}`)).body.state).toBe('abandoned')
  })

  it('reads ACA-Py-style definitions: schema oneof_filter groups, a filter without type, and a domain in the options', async () => {
    const definition = {
      id: 'acapy-style',
      input_descriptors: [
        {
          id: 'degree',
          // The first group matches nothing the holder has; the second its degree.
          schema: {
            oneof_filter: [
              [{ uri: 'https://www.w3.org/2018/credentials#VerifiableCredential' }, { uri: 'https://example.org/examples#AlumniCredential' }],
              [{ uri: 'https://www.w3.org/2018/credentials#VerifiableCredential' }, { uri: 'https://example.org/examples#UniversityDegreeCredential' }],
            ],
          },
          constraints: { fields: [{ path: ['$.credentialSubject.givenName'], filter: { const: 'Alice' } }, { path: ['$.credentialSubject.degree.name'], filter: { pattern: '^Bachelor' } }] },
        },
      ],
    }
    const requested = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: { connection_id: issuerConnection, presentation_request: { dif: { presentation_definition: definition, options: { challenge: 'c-acapy', domain: 'verifier.example' } } } },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    // Records show the definition as it was sent.
    expect(requested.body.by_format.pres_request.dif.presentation_definition).toEqual(definition)
    const atHolder = await presentationIn(holder, 'request-received', requested.body.thread_id)
    expect(atHolder.by_format.pres_request.dif.presentation_definition).toEqual(definition)
    const candidates = await holder.api('GET', `/present-proof-2.0/records/${atHolder.pres_ex_id}/credentials`)
    expect(candidates.body.map((c: any) => c.credentialSubject.givenName)).toEqual(['Alice'])
    const presented = await holder.api('POST', `/present-proof-2.0/records/${atHolder.pres_ex_id}/send-presentation`, { body: { dif: {} } })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
    const atVerifier = await presentationIn(issuer, 'presentation-received', requested.body.thread_id)
    expect(atVerifier.verified).toBe('true')
    expect(atVerifier.by_format.pres.dif.proof).toMatchObject({ challenge: 'c-acapy', domain: 'verifier.example' })

    // A group the credential does not match is not enough: nobody is called Zed.
    const zed = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: issuerConnection,
        presentation_request: { dif: { presentation_definition: { ...definition, id: 'zed', input_descriptors: [{ ...definition.input_descriptors[0], constraints: { fields: [{ path: ['$.credentialSubject.givenName'], filter: { const: 'Zed' } }] } }] } } },
      },
    })
    const zedAtHolder = await presentationIn(holder, 'request-received', zed.body.thread_id)
    expect((await holder.api('GET', `/present-proof-2.0/records/${zedAtHolder.pres_ex_id}/credentials`)).body).toEqual([])
  })

  it('an automatic answer the wallet cannot make is abandoned on both sides with a problem report', async () => {
    const proposed = await holder.api('POST', '/present-proof-2.0/send-proposal', {
      body: {
        connection_id: holderConnection,
        presentation_proposal: { dif: { input_descriptors: [{ id: 'alumni', schema: [{ uri: 'https://example.org/examples#AlumniCredential' }] }] } },
        auto_present: true,
        auto_remove: false,
      },
    })
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(200)
    const threadId = proposed.body.thread_id
    const atVerifier = await presentationIn(issuer, 'proposal-received', threadId)
    expect((await issuer.api('POST', `/present-proof-2.0/records/${atVerifier.pres_ex_id}/send-request`, { body: { auto_remove: false } })).status).toBe(200)
    const atHolder = await presentationIn(holder, 'abandoned', threadId)
    expect(atHolder.error_msg).toMatch(/^Unable to build the presentation/)
    const reported = await presentationIn(issuer, 'abandoned', threadId)
    expect(reported.error_msg).toMatch(/^abandoned: Unable to build the presentation/)
  })

  it('refuses offers it could not sign offline, before anything is sent; an uploaded context makes one signable', async () => {
    const before = (await issuer.api('GET', '/issue-credential-2.0/records')).body.results.length
    const offer = (ldCredential: unknown, options: Record<string, unknown> = { proofType: 'Ed25519Signature2018' }) =>
      issuer.api('POST', '/issue-credential-2.0/send-offer', { body: { connection_id: issuerConnection, filter: { ld_proof: { credential: ldCredential, options } } } })

    const remote = await offer(credential('Eve', { '@context': ['https://www.w3.org/2018/credentials/v1', 'https://example.com/contexts/unknown.jsonld'] }))
    expect(remote.status).toBe(400)
    expect(remote.body.error).toContain('https://example.com/contexts/unknown.jsonld')

    const undefinedTerm = await offer({ ...credential('Eve'), credentialSubject: { id: holderDid, favouriteColour: 'blue' } })
    expect(undefinedTerm.status).toBe(400)
    expect(undefinedTerm.body.error).toContain('favouriteColour')

    expect((await offer(credential('Eve'), { proofType: 'BbsBlsSignature2020' })).status).toBe(400)
    expect((await offer({ ...credential('Eve'), issuer: holderDid })).status).toBe(400)
    expect((await offer({ ...credential('Eve'), issuanceDate: 'yesterday' })).status).toBe(400)
    expect((await issuer.api('GET', '/issue-credential-2.0/records')).body.results.length).toBe(before)

    // The tenant's own context: uploaded once, it defines the term and the offer goes out.
    const url = 'https://example.com/contexts/colours/v1'
    const uploaded = await issuer.api('POST', '/jsonld/contexts', {
      body: { url, context: { '@context': { '@version': 1.1, favouriteColour: 'https://example.com/vocab#favouriteColour' } } },
    })
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200)
    const listed = await issuer.api('GET', '/jsonld/contexts')
    expect(listed.body.uploaded.map((c: any) => c.url)).toEqual([url])
    expect(listed.body.shipped).toEqual(expect.arrayContaining(['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/v2', 'https://w3id.org/vc/status-list/2021/v1', 'https://w3id.org/security/suites/ed25519-2020/v1']))
    expect((await issuer.api('POST', '/jsonld/contexts', { body: { url: 'https://www.w3.org/2018/credentials/v1', context: { '@context': {} } } })).status).toBe(409)
    const colourful = await offer({ ...credential('Eve'), '@context': ['https://www.w3.org/2018/credentials/v1', url], type: ['VerifiableCredential'], credentialSubject: { id: holderDid, favouriteColour: 'blue' } })
    expect(colourful.status, JSON.stringify(colourful.body)).toBe(200)
    // Another wallet does not see it.
    expect((await holder.api('GET', '/jsonld/contexts')).body.uploaded).toEqual([])
    expect((await issuer.api('DELETE', `/jsonld/contexts?url=${encodeURIComponent(url)}`)).status).toBe(200)
    expect((await issuer.api('DELETE', `/jsonld/contexts?url=${encodeURIComponent(url)}`)).status).toBe(404)
  })

  it('deleting an exchange emits its deleted state, as ACA-Py does', async () => {
    const offered = await issuer.api('POST', '/issue-credential-2.0/create-offer', {
      body: { filter: { ld_proof: { credential: credential('Dee'), options: { proofType: 'Ed25519Signature2018' } } } },
    })
    expect(offered.status, JSON.stringify(offered.body)).toBe(200)
    expect((await issuer.api('DELETE', `/issue-credential-2.0/records/${offered.body.cred_ex_id}`)).status).toBe(200)
    const requested = await issuer.api('POST', '/present-proof-2.0/create-request', {
      body: { presentation_request: { dif: { presentation_definition: { id: 'x', input_descriptors: [{ id: 'a', schema: [{ uri: 'VerifiableCredential' }] }] } } } },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    expect((await issuer.api('DELETE', `/present-proof-2.0/records/${requested.body.pres_ex_id}`)).status).toBe(200)
    await sink.waitFor('the deleted webhooks', () =>
      sink.deliveries.some((d) => d.path === '/issuer/topic/issue_credential_v2_0/' && d.body.cred_ex_id === offered.body.cred_ex_id && d.body.state === 'deleted') &&
      sink.deliveries.some((d) => d.path === '/issuer/topic/present_proof_v2_0/' && d.body.pres_ex_id === requested.body.pres_ex_id && d.body.state === 'deleted'),
    )
  })

  it('deletes a W3C credential with the w3c_credential webhook; unknown ids are 404', async () => {
    const listed = await holder.api('POST', '/credentials/w3c', { body: {} })
    const recordId = listed.body.results[0].record_id
    expect((await holder.api('DELETE', `/credential/w3c/${recordId}`)).status).toBe(200)
    expect((await holder.api('GET', `/credential/w3c/${recordId}`)).status).toBe(404)
    expect((await holder.api('DELETE', `/credential/w3c/${recordId}`)).status).toBe(404)
    await sink.waitFor('the w3c_credential webhook', () =>
      sink.deliveries.some((d) => d.path === '/holder/topic/w3c_credential/' && d.body.id === recordId && d.body.state === 'deleted'),
    )
  })
})
