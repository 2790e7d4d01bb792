// The controller API's request records (seed 003 "Credentials", "Verifications"), between two
// real Credence processes: an AnonCreds issuance asked for before the holder connects is carried
// out when the holder's connection through the invitation completes; by contact, with `timeout`
// waiting for the outcome in the same call; across a restart in the middle of the exchange;
// verifications in both of the seed's body forms, and one the holder cannot meet; bad input
// refused with nothing kept. The holder is driven through the ACA-Py face, as a controller would.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { openEventStream } from '../helpers/eventStream'
import { degreeOfferFilter } from '../helpers/jsonLdOffers'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { startSmtpSink, type SmtpSink } from '../helpers/smtpSink'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

const ATTRIBUTES = [
  { name: 'local_part', value: 'alice' },
  { name: 'domain', value: 'example.com' },
  { name: 'address', value: 'alice@example.com' },
  { name: 'verified_at', value: '1670296277' },
]

describe.each(BACKENDS)('controller request records on $name', (backend) => {
  let issuerEnv: Record<string, string>
  let holderEnv: Record<string, string>
  let issuerServer: ServerProcess
  let holderServer: ServerProcess
  let issuerKey: Record<string, string>
  let issuerToken: Record<string, string>
  let otherKey: Record<string, string>
  let schemaId: string
  let smtp: SmtpSink

  const issuerApi = (method: string, p: string, body?: unknown, headers = issuerKey) => call(issuerServer.adminUrl, method, p, { headers, body })

  async function walletKey(server: ServerProcess, name: string): Promise<{ walletId: string; token: string; key: Record<string, string> }> {
    const base = { 'x-api-key': fs.readFileSync(path.join(server.env.CREDENCE_DATA_DIR!, 'secrets', 'base-api-key'), 'utf8').trim() }
    const created = await call(server.adminUrl, 'POST', '/api/subwallet/create', { headers: base, body: { wallet_name: `${name}-${Math.random().toString(36).slice(2, 8)}`, label: name } })
    const minted = await call(server.adminUrl, 'POST', '/api/apikey/create', { headers: base, body: { wallet_id: created.body.wallet_id, name: 'ops', roles: ['admin'] } })
    return { walletId: created.body.wallet_id, token: created.body.token, key: { 'x-api-key': minted.body.api_key } }
  }

  /** A holder tenant that receives the invitation URL; its connection id. */
  async function holderConnects(invitationUrl: string): Promise<{ holder: TestTenant; connectionId: string }> {
    const holder = await createTenant(holderServer, 'Holder')
    const received = await holder.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: { invitation_url: invitationUrl } })
    expect(received.status).toBe(200)
    await holder.connectionReaches(received.body.connection_id, 'completed')
    return { holder, connectionId: received.body.connection_id }
  }

  /** The holder takes the offer: request, then store once the credential arrives. */
  async function holderAccepts(holder: TestTenant, options: { store?: boolean } = {}): Promise<string> {
    const offer = await waitFor('the offer at the holder', async () => (await holder.api('GET', '/issue-credential-2.0/records?state=offer-received')).body.results?.[0])
    const credExId = offer.cred_ex_record.cred_ex_id
    expect((await holder.api('POST', `/issue-credential-2.0/records/${credExId}/send-request`, { body: {} })).status).toBe(200)
    if (options.store === false) return credExId
    await holderStores(holder, credExId)
    return credExId
  }

  async function holderStores(holder: TestTenant, credExId: string): Promise<void> {
    await waitFor('the credential at the holder', async () => {
      const { body } = await holder.api('GET', `/issue-credential-2.0/records/${credExId}`)
      return body.cred_ex_record?.state === 'credential-received' ? true : undefined
    })
    expect((await holder.api('POST', `/issue-credential-2.0/records/${credExId}/store`, { body: {} })).status).toBe(200)
  }

  /** The holder answers a proof request with its credentials, or refuses it with a problem report. */
  async function holderPresents(holder: TestTenant, options: { refuse?: string } = {}): Promise<void> {
    const asked = await waitFor('the proof request at the holder', async () => (await holder.api('GET', '/present-proof-2.0/records?state=request-received')).body.results?.[0])
    const presExId = asked.pres_ex_id
    if (options.refuse) {
      expect((await holder.api('POST', `/present-proof-2.0/records/${presExId}/problem-report`, { body: { description: options.refuse } })).status).toBe(200)
      return
    }
    const candidates = (await holder.api('GET', `/present-proof-2.0/records/${presExId}/credentials`)).body as any[]
    const referents = Object.keys(asked.by_format.pres_request.anoncreds.requested_attributes)
    const requested = Object.fromEntries(
      referents.map((referent) => [referent, { cred_id: candidates.find((c) => c.presentation_referents.includes(referent)).cred_info.referent, revealed: true }]),
    )
    const presented = await holder.api('POST', `/present-proof-2.0/records/${presExId}/send-presentation`, {
      body: { anoncreds: { requested_attributes: requested, requested_predicates: {}, self_attested_attributes: {} } },
    })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
  }

  const verificationOf = async (id: number) => (await issuerApi('GET', `/api/v1/verifications/${id}`)).body
  const verified = (id: number) =>
    waitFor(`verification record ${id} to complete`, async () => {
      const record = await verificationOf(id)
      return record.complete ? record : undefined
    })

  const recordOf = async (requestId: number) => (await issuerApi('GET', `/api/v1/credential-records/${requestId}`)).body
  const completed = (requestId: number) =>
    waitFor(`request record ${requestId} to complete`, async () => {
      const record = await recordOf(requestId)
      return record.complete ? record : undefined
    })

  beforeAll(async () => {
    smtp = await startSmtpSink()
    issuerEnv = { ...backend.env(tempDataDir()), CREDENCE_SMTP_URL: smtp.url, CREDENCE_SMTP_FROM: 'Issuer <issuer@example.org>' }
    // The holder resolves the issuer's did:web (and its AnonCreds objects) over loopback http.
    holderEnv = { ...backend.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }
    ;[issuerServer, holderServer] = await Promise.all([startServerProcess(issuerEnv), startServerProcess(holderEnv)])
    const issuer = await walletKey(issuerServer, 'issuer')
    issuerKey = issuer.key
    otherKey = (await walletKey(issuerServer, 'other')).key
    // The issuer's public did:web and an Email schema on the embedded registry (no ledger).
    const asToken = { authorization: `Bearer ${issuer.token}` }
    issuerToken = asToken
    const did = (await call(issuerServer.adminUrl, 'POST', '/wallet/did/create', { headers: asToken, body: { method: 'web' } })).body.result.did
    expect((await issuerApi('POST', `/api/v1/set-public-did?DID=${encodeURIComponent(did)}`)).status).toBe(200)
    const schema = await call(issuerServer.adminUrl, 'POST', '/anoncreds/schema', {
      headers: asToken,
      body: { schema: { issuerId: did, name: 'Email', version: '1.0', attrNames: ATTRIBUTES.map((a) => a.name) } },
    })
    expect(schema.status, JSON.stringify(schema.body)).toBe(200)
    schemaId = schema.body.schema_state.schema_id
  })

  afterAll(async () => {
    await Promise.all([issuerServer?.stop(), holderServer?.stop()])
    await Promise.all([backend.cleanup(issuerEnv), backend.cleanup(holderEnv)])
    await smtp?.stop()
  })

  it('issues to whoever connects through the invitation, once the connection completes', async () => {
    const invitation = (await issuerApi('POST', '/api/v1/invitations', { invitation_mode: 'once' })).body
    const live = await openEventStream(issuerServer.adminUrl, issuerToken)
    const created = await issuerApi('POST', '/api/v1/credentials', { invitation_id: invitation.invitation_id, schema_id: schemaId, attributes: ATTRIBUTES, timeout: 0 })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).toEqual([
      {
        request_id: expect.any(Number),
        connection_id: null,
        contact_id: '',
        invitation_id: invitation.invitation_id,
        schema_id: schemaId,
        attributes: ATTRIBUTES,
        wallet_id: expect.any(String),
        timeout: 0,
        rule: 'no rule',
        meta_data: { credential_definition_id: expect.any(String), credential_definition_created: true },
        state: null,
        complete: false,
        result: false,
        result_string: 'Pending',
        credential_exchange_id: [],
        error: '',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ])
    const [record] = created.body
    const { holder, connectionId } = await holderConnects(invitation.invitation_url)
    await holderAccepts(holder)
    const done = await completed(record.request_id)
    expect(done).toMatchObject({ complete: true, result: true, result_string: 'Issued', state: 'done', error: '', connection_id: expect.any(String) })
    expect(done.credential_exchange_id).toHaveLength(1)
    // Every change of the record was an `issuance_request` event, from pending to issued.
    const changes = await waitFor('the record\'s events', async () => {
      const mine = live.events.filter((event) => event.topic === 'issuance_request' && event.payload.request_id === record.request_id)
      return mine.at(-1)?.payload.complete ? mine : undefined
    })
    await live.stop()
    expect(changes[0].payload).toMatchObject({ state: null, result_string: 'Pending' })
    expect(changes.map((event) => event.payload.state)).toContain('offer_sent')
    expect(changes.at(-1)!.payload).toMatchObject({ state: 'done', complete: true, result: true, result_string: 'Issued' })
    const credentials = (await holder.api('GET', '/credentials')).body.results
    expect(credentials.map((c: any) => c.attrs)).toContainEqual(Object.fromEntries(ATTRIBUTES.map((a) => [a.name, a.value])))
    expect((await holder.api('GET', `/connections/${connectionId}`)).body.rfc23_state).toBe('completed')

    // The issuer's exchange record, by exchange id and by credential definition.
    const definitionId = record.meta_data.credential_definition_id
    const exchangeRow = {
      credential_exchange_id: done.credential_exchange_id[0],
      wallet_id: done.wallet_id,
      credential_id: null,
      revocation_id: null,
      connection_id: done.connection_id,
      state: 'done',
      thread_id: expect.any(String),
      parent_thread_id: null,
      schema_id: schemaId,
      credential_definition_id: definitionId,
      revoc_reg_id: null,
      revoked: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      attributes: Object.fromEntries(ATTRIBUTES.map((a) => [a.name, a.value])),
    }
    expect((await issuerApi('GET', '/api/v1/credentials')).body).toContainEqual(exchangeRow)
    expect((await issuerApi('GET', `/api/v1/credentials/${done.credential_exchange_id[0]}`)).body).toEqual(exchangeRow)
    expect((await issuerApi('GET', `/api/v1/credentials/${encodeURIComponent(definitionId)}`)).body).toEqual(exchangeRow)
    expect((await issuerApi('GET', '/api/v1/credentials/nothing-of-the-kind')).status).toBe(404)

    // The next request for the same schema reuses the definition made by the first.
    const again = await issuerApi('POST', '/api/v1/credentials', { invitation_id: invitation.invitation_id, schema_id: schemaId, attributes: ATTRIBUTES, timeout: 0 })
    expect(again.body[0].meta_data).toEqual({ credential_definition_id: record.meta_data.credential_definition_id, credential_definition_created: false })
    // …and starts at once on the active connection.
    expect(again.body[0].connection_id).toBe(done.connection_id)
    await holderAccepts(holder)
    expect(await completed(again.body[0].request_id)).toMatchObject({ result: true, result_string: 'Issued' })
  })

  it('verifies a holder through either form of the seed\'s schemas, and reports one without the credential', async () => {
    // A holder that holds the Email credential, connected through an invitation of contact "carol".
    const invitation = (await issuerApi('POST', '/api/v1/invitations', { contact_id: 'carol', invitation_mode: 'once' })).body
    const { holder } = await holderConnects(invitation.invitation_url)
    await issuerApi('POST', '/api/v1/credentials', { contact_id: 'carol', schema_id: schemaId, attributes: ATTRIBUTES })
    await holderAccepts(holder)

    // The seed's first sample body: schema_id with attribute names (timeout as a string, contact "").
    const first = await issuerApi('POST', '/api/v1/verifications', {
      invitation_id: invitation.invitation_id,
      contact_id: '',
      schemas: [{ schema_id: schemaId, schema_attributes: ['address'] }],
      timeout: '0',
      rule: 'no rule',
    })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body[0]).toMatchObject({
      verification_id: expect.any(Number),
      contact_id: '',
      invitation_id: invitation.invitation_id,
      schema_id: null,
      schema_attributes: { address: { restrictions: [{ schema_id: schemaId }] } },
      timeout: 0,
      rule: 'no rule',
      complete: false,
      result: false,
      result_string: 'Pending',
      presentation_exchange_id: [expect.any(String)],
      error: '',
    })
    await holderPresents(holder)
    expect(await verified(first.body[0].verification_id)).toMatchObject({
      complete: true,
      result: true,
      result_string: 'Verified',
      state: 'done',
      result_data: [{ name: 'address', value: 'alice@example.com' }],
      connection_id: expect.any(String),
    })

    // The verifier's presentation row, with the contact of the connection it ran on.
    const presentationId = first.body[0].presentation_exchange_id[0]
    const row = (await issuerApi('GET', `/api/v1/presentations/${presentationId}`)).body
    expect(row).toMatchObject({
      presentation_exchange_id: presentationId,
      trace: false,
      role: 'verifier',
      verified: true,
      initiator: 'self',
      state: 'done',
      thread_id: expect.any(String),
      auto_present: false,
      contact_label: 'Holder',
      contact_id: 'carol',
      presentation_request: { requested_attributes: { attribute_0: { name: 'address', restrictions: [{ schema_id: schemaId }] } } },
      presentation_request_dict: { '@type': 'https://didcomm.org/present-proof/2.0/request-presentation' },
      presentation: { requested_proof: { revealed_attrs: { attribute_0: { raw: 'alice@example.com' } } } },
    })
    expect((await issuerApi('GET', '/api/v1/presentations')).body).toContainEqual(row)
    expect((await issuerApi('GET', '/api/v1/presentations/nothing-of-the-kind')).status).toBe(404)
    expect((await issuerApi('GET', `/api/v1/presentations/${presentationId}`, undefined, otherKey)).status).toBe(404)

    // The second sample's shape: restrictions given, empty, an empty object, or none; the holder
    // answers while the POST waits, so it returns the verified record.
    const presenting = holderPresents(holder)
    const second = await issuerApi('POST', '/api/v1/verifications', {
      contact_id: 'carol',
      schemas: [{ schema_attributes: { domain: { restrictions: [{ schema_id: schemaId }] }, address: { restrictions: [{}] }, local_part: { restrictions: [] }, verified_at: {} } }],
      timeout: 15,
    })
    expect(second.body[0].schema_attributes).toEqual({
      domain: { restrictions: [{ schema_id: schemaId }] },
      address: { restrictions: [] },
      local_part: { restrictions: [] },
      verified_at: { restrictions: [] },
    })
    await presenting
    expect(second.body[0]).toMatchObject({ complete: true, result: true, result_string: 'Verified' })
    expect(second.body[0].result_data).toEqual([
      { name: 'domain', value: 'example.com' },
      { name: 'address', value: 'alice@example.com' },
      { name: 'local_part', value: 'alice' },
      { name: 'verified_at', value: '1670296277' },
    ])

    // A holder without the credential refuses: complete, not verified, and the error says why.
    const bare = (await issuerApi('POST', '/api/v1/invitations', { contact_id: 'dave', invitation_mode: 'once' })).body
    const { holder: dave } = await holderConnects(bare.invitation_url)
    const third = await issuerApi('POST', '/api/v1/verifications', { contact_id: 'dave', schemas: [{ schema_id: schemaId, schema_attributes: ['address'] }] })
    await holderPresents(dave, { refuse: 'I hold no such credential' })
    expect(await verified(third.body[0].verification_id)).toMatchObject({
      complete: true,
      result: false,
      result_string: 'Not Verified',
      error: expect.stringContaining('I hold no such credential'),
      result_data: [],
    })

    // Bad bodies: empty schemas, attributes not in the schema, malformed restrictions.
    const bad: Array<[Record<string, unknown>, number, string]> = [
      [{ contact_id: 'carol', schemas: [] }, 422, 'schemas'],
      [{ contact_id: 'carol', schemas: [{ schema_id: schemaId, schema_attributes: ['favourite_colour'] }] }, 400, 'schemas'],
      [{ contact_id: 'carol', schemas: [{ schema_attributes: ['address'] }] }, 422, 'schemas.0.schema_id'],
      [{ contact_id: 'carol', schemas: [{ schema_attributes: { address: { restrictions: 'any' } } }] }, 422, 'schemas.0.schema_attributes.address.restrictions'],
      [{ contact_id: 'carol', schemas: [{ schema_id: schemaId, schema_attributes: ['address', 'address'] }] }, 422, 'schemas.0.schema_attributes.1'],
      [{ contact_id: 'nobody', schemas: [{ schema_id: schemaId, schema_attributes: ['address'] }] }, 404, ''],
    ]
    for (const [body, status, field] of bad) {
      const response = await issuerApi('POST', '/api/v1/verifications', body)
      expect(response.status, JSON.stringify(response.body)).toBe(status)
      if (field) expect(response.body.field).toBe(field)
    }
    expect((await issuerApi('GET', `/api/v1/verifications/${third.body[0].verification_id}`, undefined, otherKey)).status).toBe(404)
    // An issuance record is not a verification record, and the other way round.
    expect((await issuerApi('GET', `/api/v1/credential-records/${third.body[0].verification_id}`)).status).toBe(404)
  })

  it('issues a JSON-LD credential to a contact and verifies it with a DIF request; refuses what it could not sign or the holder cannot meet', async () => {
    const invitation = (await issuerApi('POST', '/api/v1/invitations', { contact_id: 'erin', invitation_mode: 'once' })).body
    const { holder } = await holderConnects(invitation.invitation_url)
    await waitFor("the issuer's use of the invitation", async () => ((await issuerApi('GET', `/api/v1/invitations/${invitation.invitation_id}`)).body.uses_total === 1 ? true : undefined))
    const did = (await call(issuerServer.adminUrl, 'POST', '/wallet/did/create', { headers: issuerToken, body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
    const body = {
      contact_id: 'erin',
      context: ['https://www.w3.org/2018/credentials/examples/v1'],
      label: 'University degree',
      issuer_name: 'Example University',
      type: ['UniversityDegreeCredential'],
      attributes: [{ name: 'degree', value: { type: 'BachelorDegree', name: 'Bachelor of Science' } }],
      did,
      proofType: 'Ed25519Signature2020',
      timeout: 30,
    }
    const accepting = holderAccepts(holder)
    const created = await issuerApi('POST', '/api/v1/credentials/json-ld', body)
    await accepting
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const expected = {
      request_id: expect.any(Number),
      connection_id: expect.any(String),
      contact_id: 'erin',
      invitation_id: null,
      context: body.context,
      label: body.label,
      type: body.type,
      attributes: body.attributes,
      wallet_id: expect.any(String),
      issuer_name: body.issuer_name,
      timeout: 30,
      rule: 'no rule',
      meta_data: null,
      state: 'done',
      complete: true,
      result: true,
      result_string: 'Issued',
      credential_exchange_id: [expect.any(String)],
      error: '',
      issuer_did: did,
      proof_type: 'Ed25519Signature2020',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    }
    expect(created.body).toEqual([expected])
    expect((await issuerApi('GET', `/api/v1/credentials/json-ld/${created.body[0].request_id}`)).body).toEqual(expected)
    const held = (await holder.api('POST', '/credentials/w3c', { body: {} })).body.results
    expect(held.map((c: any) => c.cred_value.credentialSubject.degree?.name)).toContain('Bachelor of Science')

    const refusals: Array<[Record<string, unknown>, number, string]> = [
      [{ ...body, attributes: [{ name: 'favouriteColour', value: 'blue' }] }, 400, 'attributes'],
      [{ ...body, context: ['https://example.com/contexts/unknown.jsonld'] }, 400, 'context'],
      [{ ...body, did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }, 400, 'did'],
      [{ ...body, proofType: 'BbsBlsSignature2020' }, 422, 'proofType'],
      [{ ...body, attributes: [] }, 422, 'attributes'],
    ]
    for (const [bad, status, field] of refusals) {
      const response = await issuerApi('POST', '/api/v1/credentials/json-ld', { ...bad, timeout: 0 })
      expect(response.status, JSON.stringify(response.body)).toBe(status)
      expect(response.body.field).toBe(field)
    }
    // Kinds do not mix: an AnonCreds record is not a JSON-LD one.
    expect((await issuerApi('GET', `/api/v1/credential-records/${created.body[0].request_id}`)).status).toBe(404)

    // JSON-LD verification. A Credo holder signs a presentation with the credential subject's DID,
    // so the holder is given a degree bound to its own did:key first (issued on the ACA-Py face).
    const holderDid = (await holder.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
    const bound = await call(issuerServer.adminUrl, 'POST', '/issue-credential-2.0/send', {
      headers: issuerToken,
      body: { connection_id: created.body[0].connection_id, filter: degreeOfferFilter(did, holderDid, 'Bachelor of Science') },
    })
    expect(bound.status, JSON.stringify(bound.body)).toBe(200)
    await holderAccepts(holder)

    // A DIF request for the degree, schema URIs in ACA-Py's expanded form.
    const definitions = [
      {
        context: ['https://www.w3.org/2018/credentials#VerifiableCredential', 'https://example.org/examples#UniversityDegreeCredential'],
        attributes: ['degree'],
        label: 'Degree',
      },
    ]
    const asked = await issuerApi('POST', '/api/v1/verifications/json-ld', { contact_id: 'erin', definitions })
    expect(asked.status, JSON.stringify(asked.body)).toBe(200)
    expect(asked.body[0]).toMatchObject({
      verification_id: expect.any(Number),
      contact_id: 'erin',
      context: definitions[0].context,
      attributes: ['degree'],
      label: 'Degree',
      complete: false,
      result_string: 'Pending',
      result_data: null,
      presentation_exchange_id: [expect.any(String)],
    })
    const request = await waitFor('the DIF request at the holder', async () => (await holder.api('GET', '/present-proof-2.0/records?state=request-received')).body.results?.[0])
    const candidates = (await holder.api('GET', `/present-proof-2.0/records/${request.pres_ex_id}/credentials`)).body as any[]
    const boundRecord = candidates.find((candidate) => candidate.credentialSubject?.id === holderDid)
    const sent = await holder.api('POST', `/present-proof-2.0/records/${request.pres_ex_id}/send-presentation`, {
      body: { dif: { record_ids: { definition_0: [boundRecord.record_id] } } },
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const verifiedLd = await waitFor('the JSON-LD verification to complete', async () => {
      const record = (await issuerApi('GET', `/api/v1/verifications/json-ld/${asked.body[0].verification_id}`)).body
      return record.complete ? record : undefined
    })
    expect(verifiedLd).toMatchObject({
      complete: true,
      result: true,
      result_string: 'Verified',
      state: 'done',
      result_data: [{ name: 'degree', value: { type: 'BachelorDegree', name: 'Bachelor of Science' } }],
    })
    // An attribute the holder's credential lacks: its send-presentation is refused, and the exchange
    // abandoned with a problem report (as ACA-Py's prover does); the record says why.
    const unmet = await issuerApi('POST', '/api/v1/verifications/json-ld', { contact_id: 'erin', definitions: [{ ...definitions[0], attributes: ['favouriteColour'] }] })
    const unmetRequest = await waitFor('the second DIF request at the holder', async () => (await holder.api('GET', '/present-proof-2.0/records?state=request-received')).body.results?.[0])
    expect((await holder.api('POST', `/present-proof-2.0/records/${unmetRequest.pres_ex_id}/send-presentation`, { body: { dif: {} } })).status).toBe(400)
    const notVerified = await waitFor('the unmet verification to complete', async () => {
      const record = (await issuerApi('GET', `/api/v1/verifications/json-ld/${unmet.body[0].verification_id}`)).body
      return record.complete ? record : undefined
    })
    expect(notVerified).toMatchObject({ result: false, result_string: 'Not Verified', error: expect.stringContaining('do not satisfy the presentation definition'), result_data: null })
    expect((await issuerApi('POST', '/api/v1/verifications/json-ld', { contact_id: 'erin', definitions: [] })).body.field).toBe('definitions')
    expect((await issuerApi('POST', '/api/v1/verifications/json-ld', { contact_id: 'erin', definitions: [{ context: [], attributes: ['degree'] }] })).body.field).toBe('definitions.0.context')
    expect((await issuerApi('GET', `/api/v1/verifications/${asked.body[0].verification_id}`)).status).toBe(404)
  })

  it('verifies an email address: the mail carries a single-use invitation, and following it yields the Email credential', async () => {
    const sent = await issuerApi('POST', '/api/v1/emails/verify', { emails: [{ email: 'frank@example.com' }] })
    expect(sent.body).toEqual({ success: 'All emails sent successfully!' })
    const mail = await waitFor('the verification mail', async () => smtp.mails.find((m) => m.to.includes('frank@example.com')))
    expect(mail.raw).toContain('Subject: Verify your email address')
    expect(mail.raw).toContain('From: Issuer <issuer@example.org>')
    expect(mail.raw).toContain('image/png')
    const shortLink = /http:\/\/127\.0\.0\.1:\d+\/i\/[\w-]+/.exec(mail.raw)?.[0]
    expect(shortLink).toBeDefined()
    // A phone follows the short link to the invitation.
    const redirect = await fetch(shortLink!, { redirect: 'manual' })
    const invitationUrl = redirect.headers.get('location')!
    expect(invitationUrl).toContain('?oob=')
    const { holder } = await holderConnects(invitationUrl)
    await holderAccepts(holder)
    const credentials = (await holder.api('GET', '/credentials')).body.results
    expect(credentials.map((c: any) => c.attrs)).toContainEqual({
      local_part: 'frank',
      domain: 'example.com',
      address: 'frank@example.com',
      verified_at: expect.stringMatching(/^\d{10}$/),
    })
    // The invitation belongs to the address as its contact, and was used once.
    const contact = (await issuerApi('GET', '/api/v1/contacts/frank@example.com')).body
    expect(contact.connection_ids).toHaveLength(1)

    // Bad addresses are refused one by one, and then nothing is sent at all.
    const before = smtp.mails.length
    const refused = await issuerApi('POST', '/api/v1/emails/verify', { emails: [{ email: 'not-an-address' }, { email: 'grace@example.com' }, { email: 'x@localhost' }] })
    expect(refused.status).toBe(422)
    expect(refused.body.field).toBe('emails')
    expect(refused.body.error).toContain('emails.0.email')
    expect(refused.body.error).toContain('emails.2.email')
    expect(refused.body.error).not.toContain('emails.1.email')
    expect((await issuerApi('POST', '/api/v1/emails/verify', { emails: [] })).status).toBe(422)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.mails.length).toBe(before)

    // A server without SMTP says so.
    const elsewhere = await walletKey(holderServer, 'no-mail')
    const unconfigured = await call(holderServer.adminUrl, 'POST', '/api/v1/emails/verify', { headers: elsewhere.key, body: { emails: [{ email: 'heidi@example.com' }] } })
    expect(unconfigured).toEqual({ status: 503, body: { error: 'Email is not configured on this server (CREDENCE_SMTP_URL)' } })
  })

  it('issues by contact on the active connection, and `timeout` waits for the outcome in the same call', async () => {
    const invitation = (await issuerApi('POST', '/api/v1/invitations', { contact_id: 'alice', invitation_mode: 'once' })).body
    const { holder } = await holderConnects(invitation.invitation_url)
    await waitFor("the issuer's use of the invitation", async () => ((await issuerApi('GET', `/api/v1/invitations/${invitation.invitation_id}`)).body.uses_total === 1 ? true : undefined))
    const accepting = holderAccepts(holder)
    const created = await issuerApi('POST', '/api/v1/credentials', { contact_id: 'alice', schema_id: schemaId, attributes: ATTRIBUTES, timeout: 30 })
    await accepting
    expect(created.body[0]).toMatchObject({ contact_id: 'alice', complete: true, result: true, result_string: 'Issued', state: 'done' })

    // Nobody to issue to: the call returns after its timeout with the record still pending.
    await issuerApi('POST', '/api/v1/invitations', { contact_id: 'bob' })
    const started = Date.now()
    const pending = await issuerApi('POST', '/api/v1/credentials', { contact_id: 'bob', schema_id: schemaId, attributes: ATTRIBUTES, timeout: 1 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(pending.body[0]).toMatchObject({ complete: false, result: false, result_string: 'Pending', state: null })
  })

  it('keeps a standing record with rule "every new connection": one issuance per newcomer of a multi-use invitation', async () => {
    const invitation = (await issuerApi('POST', '/api/v1/invitations', { invitation_mode: 'multi' })).body
    const [record] = (await issuerApi('POST', '/api/v1/credentials', { invitation_id: invitation.invitation_id, schema_id: schemaId, attributes: ATTRIBUTES, rule: 'every new connection' })).body
    expect(record).toMatchObject({ rule: 'every new connection', complete: false, state: null })
    for (const expected of [1, 2]) {
      const { holder } = await holderConnects(invitation.invitation_url)
      await holderAccepts(holder)
      const current = await waitFor(`issuance ${expected} of the standing record`, async () => {
        const now = await recordOf(record.request_id)
        return now.credential_exchange_id.length === expected && now.state === 'done' ? now : undefined
      })
      expect(current).toMatchObject({ complete: false, result: true, result_string: 'Issued' })
    }
  })

  it('follows an exchange across a restart of the issuer', async () => {
    const invitation = (await issuerApi('POST', '/api/v1/invitations', { invitation_mode: 'once' })).body
    const { holder } = await holderConnects(invitation.invitation_url)
    const [record] = (await issuerApi('POST', '/api/v1/credentials', { invitation_id: invitation.invitation_id, schema_id: schemaId, attributes: ATTRIBUTES })).body
    const offered = await waitFor('the offer to go out', async () => {
      const current = await recordOf(record.request_id)
      return current.state === 'offer_sent' ? current : undefined
    })
    expect(offered.complete).toBe(false)
    await issuerServer.stop()
    issuerServer = await startServerProcess(issuerServer.env as Record<string, string>)
    await holderAccepts(holder)
    expect(await completed(record.request_id)).toMatchObject({ complete: true, result: true, state: 'done' })
  })

  it('refuses bad requests by name and keeps nothing of them', async () => {
    const invitation = (await issuerApi('POST', '/api/v1/invitations', {})).body
    const base = { invitation_id: invitation.invitation_id, schema_id: schemaId, attributes: ATTRIBUTES }
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...base, schema_id: 'did:web:nowhere?service=anoncreds&relativeRef=/schema/nothing' }, 400, 'schema_id'],
      [{ ...base, attributes: [...ATTRIBUTES, { name: 'favourite_colour', value: 'blue' }] }, 400, 'attributes'],
      [{ ...base, attributes: ATTRIBUTES.slice(1) }, 400, 'attributes'],
      [{ ...base, attributes: [] }, 422, 'attributes'],
      [{ ...base, rule: 'sometimes' }, 422, 'rule'],
      [{ ...base, timeout: -1 }, 422, 'timeout'],
      [{ schema_id: schemaId, attributes: ATTRIBUTES }, 400, 'contact_id'],
    ]
    for (const [body, status, field] of cases) {
      const response = await issuerApi('POST', '/api/v1/credentials', body)
      expect(response.status, JSON.stringify(response.body)).toBe(status)
      expect(response.body.field, JSON.stringify(body)).toBe(field)
    }
    // Another wallet's invitation is not this wallet's to use.
    expect((await issuerApi('POST', '/api/v1/credentials', base, otherKey)).status).toBe(404)
    const probe = await issuerApi('POST', '/api/v1/credentials', { ...base, timeout: 0 })
    const probeId = probe.body[0].request_id
    expect((await issuerApi('GET', `/api/v1/credential-records/${probeId - 1}`)).body.schema_id).toBe(schemaId)
    // The refused ones took no ids in between: the last good record is just before the probe.
    expect((await issuerApi('GET', `/api/v1/credential-records/${probeId}`, undefined, otherKey)).status).toBe(404)
    expect((await issuerApi('GET', '/api/v1/credential-records/abc')).status).toBe(422)
  })
})
