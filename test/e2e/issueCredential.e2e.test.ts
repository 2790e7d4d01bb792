// issue-credential 2.0 with AnonCreds between two Credence processes over real HTTP: the issuer
// (SQLite) publishes under its hosted did:web on the embedded registry, the holder (PostgreSQL)
// resolves it over loopback. By hand and automated; bad input and wrong states are refused with
// nothing sent; a problem report abandons the exchange on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { postgres, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

describe('issue-credential 2.0 with AnonCreds', () => {
  let envHolder: Record<string, string>
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
    ;[issuer, holder] = await Promise.all([createTenant(issuerServer, 'Issuer'), createTenant(holderServer, 'Holder')])
    const did = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
    const schema = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'membership', version: '1.0', attrNames: ['name', 'level'] } } })
    const definition = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: 'default' } },
    })
    credDefId = definition.body.credential_definition_state.credential_definition_id
    const invitation = await issuer.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
    })
    const received = await holder.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: invitation.body.invitation })
    holderConnection = received.body.connection_id
    await holder.connectionReaches(holderConnection, 'completed')
    issuerConnection = await waitFor("the issuer's connection", async () => {
      const { body } = await issuer.api('GET', `/connections?invitation_msg_id=${invitation.body.invi_msg_id}&state=completed`)
      return body.results?.[0]?.connection_id
    })
  })

  afterAll(async () => {
    await Promise.all([issuerServer?.stop(), holderServer?.stop()])
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
    await exchangeIn(issuer, 'done', threadId)
  })

  it('runs the whole exchange from /send with the holder only requesting and storing; finished records are removed', async () => {
    const sent = await issuer.api('POST', '/issue-credential-2.0/send', {
      body: { connection_id: issuerConnection, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview('Bob', '5') },
    })
    expect(sent.body).toMatchObject({ state: 'offer-sent', auto_issue: true, auto_remove: true })
    const offer = await exchangeIn(holder, 'offer-received', sent.body.thread_id)
    await holder.api('POST', `/issue-credential-2.0/records/${offer.cred_ex_record.cred_ex_id}/send-request`)
    const arrived = await exchangeIn(holder, 'credential-received', sent.body.thread_id)
    await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`)
    // auto_remove (ACA-Py's default): both records go once done.
    await waitFor('both finished records to be removed', async () => {
      const [atIssuer, atHolder] = await Promise.all([
        issuer.api('GET', `/issue-credential-2.0/records/${sent.body.cred_ex_id}`),
        holder.api('GET', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}`),
      ])
      return atIssuer.status === 404 && atHolder.status === 404 ? true : undefined
    })
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
    ]
    for (const [body, status, field] of cases) {
      const response = await offer(body)
      expect(response.status, JSON.stringify(response.body)).toBe(status)
      expect(response.body.field).toBe(field)
    }
    expect((await offer({ filter: { ld_proof: {} } })).status).toBe(501)
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
  })
})
