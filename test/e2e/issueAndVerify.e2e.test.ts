// issue-credential 2.0 and present-proof 2.0 with AnonCreds between two Credence processes over
// real HTTP: the issuer (SQLite) publishes under its hosted did:web on the embedded registry, the
// holder (PostgreSQL) resolves it over loopback, stores the credential and proves from it. By hand
// and automated; bad input and wrong states are refused with nothing sent; a problem report
// abandons the exchange on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { postgres, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { startWebhookSink, type WebhookSink } from '../helpers/webhookSink'

describe('issue and verify with AnonCreds', () => {
  let envHolder: Record<string, string>
  let sink: WebhookSink
  let issuerServer: ServerProcess
  let holderServer: ServerProcess
  let issuer: TestTenant
  let holder: TestTenant
  let credDefId: string
  let issuerConnection: string
  let holderConnection: string

  const preview = (name: string, level = '3') => ({
    '@type': 'issue-credential/2.0/credential-preview',
    attributes: [
      { name: 'name', value: name },
      { name: 'level', value: level },
      { name: 'since', value: '2024' },
    ],
  })

  /** The first exchange of `tenant` in `state` (optionally on a thread), once it is there. */
  const exchangeIn = (tenant: TestTenant, state: string, threadId?: string) =>
    waitFor(`a credential exchange in ${state}`, async () => {
      const { body } = await tenant.api('GET', `/issue-credential-2.0/records?state=${state}${threadId ? `&thread_id=${threadId}` : ''}`)
      return body.results?.[0]
    })

  beforeAll(async () => {
    envHolder = { ...postgres.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }
    ;[issuerServer, holderServer] = await Promise.all([
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }),
      startServerProcess(envHolder),
    ])
    sink = await startWebhookSink()
    // The issuer's webhooks in ACA-Py's format, the holder's in acapy-cloud's envelope.
    ;[issuer, holder] = await Promise.all([
      createTenant(issuerServer, 'Issuer', { webhookUrls: [`${sink.url}/issuer`] }),
      createTenant(holderServer, 'Holder', { webhookUrls: [`${sink.url}/holder#format=envelope`] }),
    ])
    const did = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
    const schema = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'membership', version: '1.0', attrNames: ['name', 'level', 'since'] } } })
    const definition = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: 'default' } },
    })
    credDefId = definition.body.credential_definition_state.credential_definition_id
    ;({ inviterConnection: issuerConnection, inviteeConnection: holderConnection } = await connectTenants(issuer, holder))
  })

  afterAll(async () => {
    await Promise.all([issuerServer?.stop(), holderServer?.stop()])
    await sink?.stop()
    await postgres.cleanup(envHolder)
  })

  it('offers, requests, issues and stores by hand, with ACA-Py\'s records and states on both sides', async () => {
    const offered = await issuer.api('POST', '/issue-credential-2.0/send-offer', {
      body: { connection_id: issuerConnection, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Alice'), auto_remove: false },
    })
    expect(offered.status, JSON.stringify(offered.body)).toBe(200)
    expect(offered.body).toMatchObject({
      state: 'offer-sent',
      role: 'issuer',
      initiator: 'self',
      connection_id: issuerConnection,
      auto_issue: false,
      auto_remove: false,
      by_format: { cred_offer: { anoncreds: { cred_def_id: credDefId } } },
    })
    const threadId = offered.body.thread_id

    const atHolder = await exchangeIn(holder, 'offer-received', threadId)
    expect(atHolder).toMatchObject({
      cred_ex_record: { role: 'holder', initiator: 'external', state: 'offer-received', connection_id: holderConnection },
      anoncreds: { cred_ex_id: atHolder.cred_ex_record.cred_ex_id },
      indy: null,
      ld_proof: null,
      vc_di: null,
    })
    expect(atHolder.cred_ex_record.cred_preview.attributes).toEqual(preview('Alice').attributes.map((a) => expect.objectContaining(a)))
    // The offer as it came over the wire, labelled as RFC 0771 says (Credo 0.5.19 said anoncreds/credential@v1.0).
    expect(atHolder.cred_ex_record.cred_offer.formats).toEqual([{ attach_id: expect.any(String), format: 'anoncreds/credential-offer@v1.0' }])

    const requested = await holder.api('POST', `/issue-credential-2.0/records/${atHolder.cred_ex_record.cred_ex_id}/send-request`, { body: { auto_remove: false } })
    expect(requested.body).toMatchObject({ state: 'request-sent' })

    const atIssuer = await exchangeIn(issuer, 'request-received', threadId)
    const issued = await issuer.api('POST', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}/issue`, { body: { comment: 'welcome' } })
    expect(issued.status, JSON.stringify(issued.body)).toBe(200)
    expect(issued.body.cred_ex_record.state).toBe('credential-issued')

    const arrived = await exchangeIn(holder, 'credential-received', threadId)
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
    expect(stored.status, JSON.stringify(stored.body)).toBe(200)
    expect(stored.body).toMatchObject({ cred_ex_record: { state: 'done' }, anoncreds: { cred_id_stored: expect.any(String) } })
    expect(stored.body.cred_ex_record.by_format.cred_issue.anoncreds.values.name.raw).toBe('Alice')
    expect(stored.body.cred_ex_record.cred_request.formats.map((f: any) => f.format)).toEqual(['anoncreds/credential-request@v1.0'])
    expect(stored.body.cred_ex_record.cred_issue.formats.map((f: any) => f.format)).toEqual(['anoncreds/credential@v1.0'])
    await exchangeIn(issuer, 'done', threadId)

    // Every state reached the controllers, in order: ACA-Py's topic for the issuer, acapy-cloud's
    // `credentials` envelope for the holder.
    const statesOf = (deliveries: any[]) => deliveries.map((d) => d.state)
    const issuerStates = () => statesOf(sink.deliveries.filter((d) => d.path === '/issuer/topic/issue_credential_v2_0/' && d.body.thread_id === threadId).map((d) => d.body))
    const holderStates = () => statesOf(sink.deliveries.filter((d) => d.path === '/holder' && d.body.topic === 'credentials' && d.body.payload.thread_id === threadId).map((d) => d.body.payload))
    await sink.waitFor('the exchange webhooks', () => issuerStates().includes('done') && holderStates().includes('done'))
    expect(issuerStates()).toEqual(['offer-sent', 'request-received', 'credential-issued', 'done'])
    expect(holderStates()).toEqual(['offer-received', 'request-sent', 'credential-received', 'done'])
    // And the AnonCreds detail record on its own topic, with the stored credential's id at the end.
    // As many as ACA-Py sends (controllers take the next one of the topic): the holder's as it requests
    // and as it stores, the issuer's once, as it issues.
    const holderExchangeId = arrived.cred_ex_record.cred_ex_id
    const holderDetails = () =>
      sink.deliveries.filter((d) => d.path === '/holder' && d.body.topic === 'issue_credential_v2_0_anoncreds' && d.body.payload.cred_ex_id === holderExchangeId).map((d) => d.body.payload)
    await sink.waitFor('the stored detail', () => holderDetails().some((detail) => detail.cred_id_stored))
    expect(holderDetails().map((detail) => detail.cred_id_stored ?? null)).toEqual([null, stored.body.anoncreds.cred_id_stored])
    expect(holderDetails()[1]).toMatchObject({ cred_ex_anoncreds_id: holderExchangeId })
    const issuerDetails = sink.deliveries.filter((d) => d.path === '/issuer/topic/issue_credential_v2_0_anoncreds/' && d.body.cred_ex_id === offered.body.cred_ex_id)
    expect(issuerDetails).toHaveLength(1)
  })

  it('runs the whole exchange from /send with the holder only requesting and storing; finished records are removed', async () => {
    const sent = await issuer.api('POST', '/issue-credential-2.0/send', {
      body: { connection_id: issuerConnection, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Bob', '5') },
    })
    expect(sent.body).toMatchObject({ state: 'offer-sent', auto_issue: true, auto_remove: true, auto_remove_on_failure: false, initiator: 'self' })
    // As ACA-Py, /send stands on a proposal of the issuer's own, shown but never sent.
    expect(sent.body.cred_proposal).toMatchObject({
      '@type': 'https://didcomm.org/issue-credential/2.0/propose-credential',
      '@id': expect.any(String),
      credential_preview: { '@type': 'https://didcomm.org/issue-credential/2.0/credential-preview', attributes: preview('Bob', '5').attributes },
      formats: [{ attach_id: 'anoncreds', format: 'anoncreds/credential-filter@v1.0' }],
      'filters~attach': [{ '@id': 'anoncreds', 'mime-type': 'application/json', data: { base64: expect.any(String) } }],
    })
    expect(sent.body.by_format.cred_proposal).toEqual({ anoncreds: { cred_def_id: credDefId } })
    const offer = await exchangeIn(holder, 'offer-received', sent.body.thread_id)
    await holder.api('POST', `/issue-credential-2.0/records/${offer.cred_ex_record.cred_ex_id}/send-request`)
    const arrived = await exchangeIn(holder, 'credential-received', sent.body.thread_id)
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`)
    // The answer is whole even though the finished exchange is being removed meanwhile.
    expect(stored.body).toMatchObject({ cred_ex_record: { state: 'done', by_format: { cred_issue: { anoncreds: expect.any(Object) } } }, anoncreds: expect.any(Object) })
    // auto_remove (ACA-Py's default): both records go once done.
    await waitFor('both finished records to be removed', async () => {
      const [atIssuer, atHolder] = await Promise.all([
        issuer.api('GET', `/issue-credential-2.0/records/${sent.body.cred_ex_id}`),
        holder.api('GET', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}`),
      ])
      return atIssuer.status === 404 && atHolder.status === 404 ? true : undefined
    })
    const issuerStates = () =>
      sink.deliveries.filter((d) => d.path === '/issuer/topic/issue_credential_v2_0/' && d.body.thread_id === sent.body.thread_id).map((d) => d.body.state)
    await sink.waitFor('the deleted webhook', () => issuerStates().includes('deleted'))
    expect(issuerStates().slice(-2)).toEqual(['done', 'deleted'])
  })

  it('carries a create-offer offer in an out-of-band invitation; the holder connects and takes it', async () => {
    const created = await issuer.api('POST', '/issue-credential-2.0/create-offer', {
      body: { filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Erin', '4'), auto_remove: false },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).toMatchObject({ state: 'offer-sent', role: 'issuer', initiator: 'self' })
    expect(created.body).not.toHaveProperty('connection_id')
    // The proposal ACA-Py makes of a free offer too.
    expect(created.body.cred_proposal['@type']).toBe('https://didcomm.org/issue-credential/2.0/propose-credential')
    expect(created.body.by_format.cred_proposal).toEqual({ anoncreds: { cred_def_id: credDefId } })

    const attach = (attachments: unknown, handshake = true) =>
      issuer.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
        body: { attachments, ...(handshake ? { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } : {}) },
      })
    expect(await attach([{ id: '00000000-0000-4000-8000-000000000000', type: 'credential-offer' }])).toMatchObject({ status: 400, body: { field: 'attachments' } })
    expect(await attach([{ id: created.body.cred_ex_id, type: 'credential-offer' }], false)).toMatchObject({ status: 400, body: { field: 'handshake_protocols' } })
    const invitation = await attach([{ id: created.body.cred_ex_id, type: 'credential-offer' }])
    expect(invitation.status, JSON.stringify(invitation.body)).toBe(200)
    expect(invitation.body.invitation['requests~attach']).toHaveLength(1)

    await holder.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: invitation.body.invitation })
    const offer = await exchangeIn(holder, 'offer-received', created.body.thread_id)
    expect(offer.cred_ex_record.connection_id).toEqual(expect.any(String))
    await holder.api('POST', `/issue-credential-2.0/records/${offer.cred_ex_record.cred_ex_id}/send-request`, { body: { auto_remove: false } })
    const atIssuer = await exchangeIn(issuer, 'request-received', created.body.thread_id)
    expect(atIssuer.cred_ex_record.connection_id).toEqual(expect.any(String))
    await issuer.api('POST', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}/issue`, { body: {} })
    const arrived = await exchangeIn(holder, 'credential-received', created.body.thread_id)
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`)
    expect(stored.body.cred_ex_record.state).toBe('done')

    // An offer that no invitation carried yet is abandoned where it is: there is no one to tell.
    const unsent = await issuer.api('POST', '/issue-credential-2.0/create-offer', {
      body: { filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Nobody'), auto_remove: false },
    })
    expect((await issuer.api('POST', `/issue-credential-2.0/records/${unsent.body.cred_ex_id}/problem-report`, { body: { description: 'withdrawn' } })).status).toBe(200)
    expect((await issuer.api('GET', `/issue-credential-2.0/records/${unsent.body.cred_ex_id}`)).body.cred_ex_record).toMatchObject({ state: 'abandoned', error_msg: 'withdrawn' })
  })

  it('refuses bad offers and wrong steps with a 4xx naming the reason, sending nothing', async () => {
    const before = (await holder.api('GET', '/issue-credential-2.0/records')).body.results.length
    const offer = (body: Record<string, unknown>) => issuer.api('POST', '/issue-credential-2.0/send-offer', { body: { connection_id: issuerConnection, ...body } })
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: { attributes: [{ name: 'name', value: 'x' }, { name: 'rank', value: '1' }] } }, 400, 'credential_preview.attributes'],
      [{ filter: { anoncreds: { cred_def_id: `${credDefId}x` } }, credential_preview: preview('x') }, 400, 'filter.cred_def_id'],
      [{ filter: { anoncreds: {} }, credential_preview: preview('x') }, 400, 'filter.anoncreds.cred_def_id'],
      [{ filter: { anoncreds: { cred_def_id: credDefId } } }, 400, 'credential_preview'],
      [{ filter: {} }, 400, 'filter'],
      [{ filter: { indy: { cred_def_id: credDefId } }, credential_preview: preview('x') }, 400, 'filter.indy.cred_def_id'],
    ]
    for (const [body, status, field] of cases) {
      const response = await offer(body)
      expect(response.status, JSON.stringify(response.body)).toBe(status)
      expect(response.body.field).toBe(field)
    }
    expect((await offer({ filter: { ld_proof: {} } })).status).toBe(422)
    expect((await offer({ filter: { vc_di: {} } })).status).toBe(501)
    expect((await holder.api('POST', '/issue-credential-2.0/send-request', { body: { connection_id: holderConnection, filter: { ld_proof: {} } } })).status).toBe(501)
    expect((await offer({ filter: { anoncreds: { cred_def_id: credDefId }, indy: { cred_def_id: credDefId } }, credential_preview: preview('x') })).body.field).toBe('filter')
    const unknownConnection = await issuer.api('POST', '/issue-credential-2.0/send-offer', {
      body: { connection_id: '00000000-0000-4000-8000-000000000000', filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('x') },
    })
    expect(unknownConnection.status).toBe(404)
    expect((await issuer.api('GET', '/issue-credential-2.0/records/00000000-0000-4000-8000-000000000000')).status).toBe(404)

    // A step in the wrong state.
    const sent = await offer({ filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Carol'), auto_remove: false })
    const early = await issuer.api('POST', `/issue-credential-2.0/records/${sent.body.cred_ex_id}/issue`, { body: {} })
    expect(early).toMatchObject({ status: 400, body: { field: 'cred_ex_id', error: expect.stringContaining('offer-sent') } })
    await exchangeIn(holder, 'offer-received', sent.body.thread_id)
    expect((await holder.api('GET', '/issue-credential-2.0/records')).body.results.length).toBe(before + 1)
  })

  it('abandons the exchange on both sides when the holder reports a problem', async () => {
    const sent = await issuer.api('POST', '/issue-credential-2.0/send-offer', {
      body: { connection_id: issuerConnection, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Dave'), auto_remove: false },
    })
    const offer = await exchangeIn(holder, 'offer-received', sent.body.thread_id)
    const reported = await holder.api('POST', `/issue-credential-2.0/records/${offer.cred_ex_record.cred_ex_id}/problem-report`, { body: { description: 'not for me' } })
    expect(reported).toMatchObject({ status: 200, body: {} })
    expect((await exchangeIn(holder, 'abandoned', sent.body.thread_id)).cred_ex_record.error_msg).toBe('not for me')
    const atIssuer = await exchangeIn(issuer, 'abandoned', sent.body.thread_id)
    expect(atIssuer.cred_ex_record.error_msg).toContain('not for me')
    expect(sent.body.auto_remove_on_failure).toBe(false)

    // auto_remove_on_failure: the abandoned exchange is deleted, as in ACA-Py.
    const removed = await issuer.api('POST', '/issue-credential-2.0/send-offer', {
      body: { connection_id: issuerConnection, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Erin'), auto_remove_on_failure: true },
    })
    expect(removed.body).toMatchObject({ state: 'offer-sent', auto_remove_on_failure: true })
    const removedOffer = await exchangeIn(holder, 'offer-received', removed.body.thread_id)
    await holder.api('POST', `/issue-credential-2.0/records/${removedOffer.cred_ex_record.cred_ex_id}/problem-report`, { body: { description: 'not this one either' } })
    await waitFor('the failed exchange to be removed at the issuer', async () =>
      (await issuer.api('GET', `/issue-credential-2.0/records/${removed.body.cred_ex_id}`)).status === 404 ? true : undefined,
    )
    expect((await holder.api('GET', `/issue-credential-2.0/records/${removedOffer.cred_ex_record.cred_ex_id}`)).status).toBe(200)
  })

  /** The first presentation exchange of `tenant` in `state` on `threadId`, once it is there. */
  const presentationIn = (tenant: TestTenant, state: string, threadId: string) =>
    waitFor(`a presentation exchange in ${state}`, async () => {
      const { body } = await tenant.api('GET', `/present-proof-2.0/records?state=${state}&thread_id=${threadId}`)
      return body.results?.[0]
    })

  it('proves revealed attributes, a names group and a predicate from the stored credential; the verifier sees verified "true"', async () => {
    const restrictions = [{ cred_def_id: credDefId }]
    const requested = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: issuerConnection,
        auto_remove: false,
        presentation_request: {
          anoncreds: {
            name: 'membership check',
            version: '1.0',
            requested_attributes: { attr_name: { name: 'name', restrictions }, attr_group: { names: ['name', 'since'], restrictions } },
            requested_predicates: { pred_level: { name: 'level', p_type: '>=', p_value: 2, restrictions } },
          },
        },
      },
    })
    expect(requested.status, JSON.stringify(requested.body)).toBe(200)
    expect(requested.body).toMatchObject({ state: 'request-sent', role: 'verifier', initiator: 'self', auto_verify: false, auto_remove: false, auto_remove_on_failure: false })
    const threadId = requested.body.thread_id

    const atProver = await presentationIn(holder, 'request-received', threadId)
    expect(atProver).toMatchObject({ role: 'prover', initiator: 'external', by_format: { pres_request: { anoncreds: { name: 'membership check' } } } })
    const candidates = await holder.api('GET', `/present-proof-2.0/records/${atProver.pres_ex_id}/credentials`)
    expect(candidates.status, JSON.stringify(candidates.body)).toBe(200)
    const alice = candidates.body.find((c: any) => c.cred_info.attrs.name === 'Alice')
    expect(alice).toMatchObject({ cred_info: { cred_def_id: credDefId, rev_reg_id: null, cred_rev_id: null, attrs: { name: 'Alice', level: '3', since: '2024' } }, interval: null })
    expect(alice.presentation_referents.sort()).toEqual(['attr_group', 'attr_name', 'pred_level'])
    const credId = alice.cred_info.referent

    const presented = await holder.api('POST', `/present-proof-2.0/records/${atProver.pres_ex_id}/send-presentation`, {
      body: {
        anoncreds: {
          requested_attributes: { attr_name: { cred_id: credId, revealed: true }, attr_group: { cred_id: credId, revealed: true } },
          requested_predicates: { pred_level: { cred_id: credId } },
          self_attested_attributes: {},
        },
        auto_remove: false,
      },
    })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
    expect(presented.body.state).toBe('presentation-sent')

    const received = await presentationIn(issuer, 'presentation-received', threadId)
    expect(received.verified).toBe('true')
    const verified = await issuer.api('POST', `/present-proof-2.0/records/${received.pres_ex_id}/verify-presentation`)
    expect(verified.body).toMatchObject({ state: 'done', verified: 'true' })
    const proof = verified.body.by_format.pres.anoncreds.requested_proof
    expect(proof.revealed_attrs.attr_name.raw).toBe('Alice')
    expect(proof.revealed_attr_groups.attr_group.values.since.raw).toBe('2024')
    expect(Object.keys(proof.predicates)).toEqual(['pred_level'])
    await presentationIn(holder, 'done', threadId)
    const verifierStates = () =>
      sink.deliveries.filter((d) => d.path === '/issuer/topic/present_proof_v2_0/' && d.body.thread_id === threadId).map((d) => d.body.state)
    await sink.waitFor('the proof webhooks', () => verifierStates().includes('done'))
    expect(verifierStates()).toEqual(['request-sent', 'presentation-received', 'done'])
  })

  it('carries a create-request proof request in an out-of-band invitation; the holder connects and proves', async () => {
    const created = await issuer.api('POST', '/present-proof-2.0/create-request', {
      body: {
        auto_remove: false,
        presentation_request: { anoncreds: { name: 'at the door', version: '1.0', requested_attributes: { who: { name: 'name', restrictions: [{ cred_def_id: credDefId }] } } } },
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).toMatchObject({ state: 'request-sent', role: 'verifier' })
    expect(created.body).not.toHaveProperty('connection_id')
    const invitation = await issuer.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'], attachments: [{ id: created.body.pres_ex_id, type: 'present-proof' }] },
    })
    expect(invitation.status, JSON.stringify(invitation.body)).toBe(200)
    await holder.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: invitation.body.invitation })
    const asked = await presentationIn(holder, 'request-received', created.body.thread_id)
    const [candidate] = (await holder.api('GET', `/present-proof-2.0/records/${asked.pres_ex_id}/credentials`)).body
    await holder.api('POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, {
      body: { anoncreds: { requested_attributes: { who: { cred_id: candidate.cred_info.referent, revealed: true } } }, auto_remove: false },
    })
    const received = await presentationIn(issuer, 'presentation-received', created.body.thread_id)
    expect(received).toMatchObject({ verified: 'true', connection_id: expect.any(String) })
    expect((await issuer.api('POST', `/present-proof-2.0/records/${received.pres_ex_id}/verify-presentation`)).body.state).toBe('done')
  })

  it('refuses bad proof requests and presentations with a 4xx, and a predicate the credential cannot meet', async () => {
    const request = (presentation_request: unknown) =>
      issuer.api('POST', '/present-proof-2.0/send-request', { body: { connection_id: issuerConnection, presentation_request, auto_remove: false } })
    expect((await request({})).status).toBe(400)
    expect((await request({ anoncreds: { requested_attributes: {}, requested_predicates: {} } })).status).toBe(422)
    expect((await request({ anoncreds: { requested_attributes: { a: { name: 'x', names: ['y'] } } } })).status).toBe(422)
    expect((await request({ anoncreds: { requested_predicates: { p: { name: 'level', p_type: '!=', p_value: 1 } } } })).status).toBe(422)
    expect((await request({ dif: {} })).status).toBe(422)
    // AnonCreds cannot reveal and predicate the same attribute in one request (ACA-Py would send it).
    const both = await request({ anoncreds: { requested_attributes: { a: { name: 'level' } }, requested_predicates: { p: { name: 'level', p_type: '>', p_value: 1 } } } })
    expect(both).toMatchObject({ status: 400, body: { field: 'presentation_request', error: expect.stringContaining('level') } })
    expect((await issuer.api('GET', '/present-proof-2.0/records/00000000-0000-4000-8000-000000000000')).status).toBe(404)

    const sent = await request({ anoncreds: { requested_predicates: { pred_level: { name: 'level', p_type: '>=', p_value: 10, restrictions: [{ cred_def_id: credDefId }] } } } })
    const atProver = await presentationIn(holder, 'request-received', sent.body.thread_id)
    const candidates = (await holder.api('GET', `/present-proof-2.0/records/${atProver.pres_ex_id}/credentials`)).body
    const wrongReferent = await holder.api('POST', `/present-proof-2.0/records/${atProver.pres_ex_id}/send-presentation`, {
      body: { anoncreds: { requested_predicates: { nope: { cred_id: 'x' } } } },
    })
    expect(wrongReferent).toMatchObject({ status: 400, body: { field: 'anoncreds.requested_predicates' } })
    const unmet = await holder.api('POST', `/present-proof-2.0/records/${atProver.pres_ex_id}/send-presentation`, {
      body: { anoncreds: { requested_predicates: { pred_level: { cred_id: candidates[0].cred_info.referent } } } },
    })
    expect(unmet, JSON.stringify(unmet.body)).toMatchObject({ status: 400, body: { field: 'anoncreds', error: expect.stringContaining('Predicate is not satisfied') } })
    expect((await holder.api('GET', `/present-proof-2.0/records/${atProver.pres_ex_id}`)).body.state).toBe('request-received')
    const early = await issuer.api('POST', `/present-proof-2.0/records/${sent.body.pres_ex_id}/verify-presentation`)
    expect(early).toMatchObject({ status: 400, body: { field: 'pres_ex_id' } })
  })

  it('lists, finds and deletes the holder\'s credentials (ACA-Py\'s IndyCredInfo), with WQL equalities', async () => {
    const all = await holder.api('GET', '/credentials')
    expect(all.status).toBe(200)
    const byName = Object.fromEntries(all.body.results.map((c: any) => [c.attrs.name, c]))
    // As ACA-Py's holder: the revocation ids are null for a credential that cannot be revoked.
    expect(byName.Alice).toEqual({
      referent: expect.any(String),
      attrs: { name: 'Alice', level: '3', since: '2024' },
      schema_id: expect.any(String),
      cred_def_id: credDefId,
      rev_reg_id: null,
      cred_rev_id: null,
    })
    expect(byName.Bob.attrs.level).toBe('5')

    const wql = (query: unknown) => holder.api('GET', `/credentials?wql=${encodeURIComponent(JSON.stringify(query))}`)
    expect((await wql({ 'attr::name::value': 'Bob' })).body.results.map((c: any) => c.attrs.name)).toEqual(['Bob'])
    expect((await wql({ cred_def_id: credDefId })).body.results).toHaveLength(3)
    expect((await wql({ cred_def_id: 'nothing' })).body.results).toEqual([])
    expect(await wql({ $or: [{ cred_def_id: credDefId }] })).toMatchObject({ status: 400, body: { field: 'wql' } })
    expect(await holder.api('GET', '/credentials?wql=not-json')).toMatchObject({ status: 400, body: { field: 'wql' } })
    expect((await holder.api('GET', '/credentials?limit=1')).body.results).toHaveLength(1)

    expect((await holder.api('GET', `/credential/${byName.Alice.referent}`)).body).toEqual(byName.Alice)
    expect((await holder.api('GET', '/credential/00000000-0000-4000-8000-000000000000')).status).toBe(404)
    // Another wallet cannot see or delete it.
    expect((await issuer.api('GET', `/credential/${byName.Alice.referent}`)).status).toBe(404)
    expect((await holder.api('DELETE', `/credential/${byName.Bob.referent}`)).body).toEqual({})
    expect((await holder.api('GET', `/credential/${byName.Bob.referent}`)).status).toBe(404)
    expect((await holder.api('GET', '/credentials')).body.results.map((c: any) => c.attrs.name).sort()).toEqual(['Alice', 'Erin'])
  })

  it('starts from the holder: a credential proposal answered with a counter offer, and a proof proposal answered with its request', async () => {
    const proposed = await holder.api('POST', '/issue-credential-2.0/send-proposal', {
      body: { connection_id: holderConnection, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Frank', '9'), auto_remove: false },
    })
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(200)
    expect(proposed.body).toMatchObject({ state: 'proposal-sent', role: 'holder', initiator: 'self' })
    const threadId = proposed.body.thread_id
    const atIssuer = await exchangeIn(issuer, 'proposal-received', threadId)
    expect(atIssuer.cred_ex_record).toMatchObject({ role: 'issuer', initiator: 'external' })
    expect(atIssuer.cred_ex_record.cred_preview.attributes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'level', value: '9' })]))
    // Half a counter offer is refused; the issuer offers level 4 instead of the proposed 9.
    const half = await issuer.api('POST', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}/send-offer`, { body: { counter_preview: preview('Frank', '4') } })
    expect(half).toMatchObject({ status: 400, body: { field: 'counter_preview' } })
    const countered = await issuer.api('POST', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}/send-offer`, {
      body: { filter: { anoncreds: { cred_def_id: credDefId } }, counter_preview: preview('Frank', '4') },
    })
    expect(countered.status, JSON.stringify(countered.body)).toBe(200)
    expect(countered.body.state).toBe('offer-sent')
    // Once answered, it is no longer a proposal to answer; an unknown connection is a 404.
    const again = await issuer.api('POST', `/issue-credential-2.0/records/${atIssuer.cred_ex_record.cred_ex_id}/send-offer`, { body: {} })
    expect(again).toMatchObject({ status: 400, body: { field: 'cred_ex_id' } })
    const nowhere = await holder.api('POST', '/issue-credential-2.0/send-proposal', {
      body: { connection_id: '00000000-0000-4000-8000-000000000000', filter: { anoncreds: { cred_def_id: credDefId } } },
    })
    expect(nowhere.status).toBe(404)
    const offered = await exchangeIn(holder, 'offer-received', threadId)
    expect(offered.cred_ex_record.cred_preview.attributes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'level', value: '4' })]))
    await holder.api('POST', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}/send-request`, { body: { auto_remove: false } })
    const requested = await exchangeIn(issuer, 'request-received', threadId)
    await issuer.api('POST', `/issue-credential-2.0/records/${requested.cred_ex_record.cred_ex_id}/issue`, { body: {} })
    const arrived = await exchangeIn(holder, 'credential-received', threadId)
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
    expect(stored.body.cred_ex_record.by_format.cred_issue.anoncreds.values.level.raw).toBe('4')

    // The holder proposes to prove Frank's name; the verifier asks exactly that.
    const proofProposal = await holder.api('POST', '/present-proof-2.0/send-proposal', {
      body: {
        connection_id: holderConnection,
        presentation_proposal: { anoncreds: { name: 'proposed', version: '1.0', requested_attributes: { who: { name: 'name', restrictions: [{ cred_def_id: credDefId }] } } } },
        auto_remove: false,
      },
    })
    expect(proofProposal.status, JSON.stringify(proofProposal.body)).toBe(200)
    expect(proofProposal.body).toMatchObject({ state: 'proposal-sent', role: 'prover', initiator: 'self' })
    const proofThread = proofProposal.body.thread_id
    const proposalAtVerifier = await waitFor('the proof proposal', async () => {
      const { body } = await issuer.api('GET', `/present-proof-2.0/records?state=proposal-received&thread_id=${proofThread}`)
      return body.results?.[0]
    })
    expect(proposalAtVerifier.by_format.pres_proposal.anoncreds).toBeDefined()
    const asked = await issuer.api('POST', `/present-proof-2.0/records/${proposalAtVerifier.pres_ex_id}/send-request`, { body: { auto_verify: true, auto_remove: false } })
    expect(asked.status, JSON.stringify(asked.body)).toBe(200)
    expect(asked.body.state).toBe('request-sent')
    const atProver = await waitFor('the proof request', async () => {
      const { body } = await holder.api('GET', `/present-proof-2.0/records?state=request-received&thread_id=${proofThread}`)
      return body.results?.[0]
    })
    const [referent] = Object.keys(atProver.by_format.pres_request.anoncreds.requested_attributes)
    const candidates = await holder.api('GET', `/present-proof-2.0/records/${atProver.pres_ex_id}/credentials`)
    const frank = candidates.body.find((c: any) => c.cred_info.attrs.name === 'Frank')
    await holder.api('POST', `/present-proof-2.0/records/${atProver.pres_ex_id}/send-presentation`, {
      body: { anoncreds: { requested_attributes: { [referent]: { cred_id: frank.cred_info.referent, revealed: true } }, requested_predicates: {}, self_attested_attributes: {} } },
    })
    // auto_verify: the verifier finishes by itself.
    const done = await waitFor('the verified proof', async () => {
      const { body } = await issuer.api('GET', `/present-proof-2.0/records?state=done&thread_id=${proofThread}`)
      return body.results?.[0]
    })
    expect(done.verified).toBe('true')
    // A proposed predicate needs the credential definition it is about.
    const vague = await holder.api('POST', '/present-proof-2.0/send-proposal', {
      body: { connection_id: holderConnection, presentation_proposal: { anoncreds: { requested_predicates: { p: { name: 'level', p_type: '>=', p_value: 1 } } } } },
    })
    expect(vague.status).toBe(400)
  })
})
