// Per-tenant settings as ACA-Py takes them (extra_settings on the wallet and PUT /settings): stored
// as ACA-Py's setting keys, unknown names dropped, endorser flags only with the author role, and
// the auto-accept pair acted on: a tenant set to auto-accept requests and another set to
// auto-accept invitations connect with no auto_accept parameter and no manual step; and seed 000:
// a tenant set to auto-accept requests, with a public did:web, takes DID exchange requests to it
// from two tenants (one on another server, one asking twice at once) to completed with no manual
// step, the acapy-cloud envelope webhook telling the same; and reuse picks only a completed connection;
// and the settings that answer a peer by themselves (credential offers and requests, verification,
// basic messages, a ping on a new connection) and preserve_exchange_records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { startWebhookSink } from '../helpers/webhookSink'
import { degreeOfferFilter } from '../helpers/jsonLdOffers'
import { waitFor } from '../helpers/waitFor'

describe('extra_settings', () => {
  let server: ServerProcess
  let other: ServerProcess
  let admin: Record<string, string>

  beforeAll(async () => {
    ;[server, other] = await Promise.all([
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }),
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }),
    ])
    admin = { 'x-api-key': adminKeyOf(server.env as Record<string, string>) }
  })

  afterAll(async () => {
    await Promise.all([server?.stop(), other?.stop()])
  })

  async function tenantWith(label: string, extraSettings: Record<string, unknown>, webhookUrls?: string[]): Promise<TestTenant & { settings: Record<string, unknown> }> {
    const created = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin, body: { label, extra_settings: extraSettings, ...(webhookUrls ? { wallet_webhook_urls: webhookUrls } : {}) } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const token = created.body.token as string
    return {
      walletId: created.body.wallet_id,
      token,
      settings: created.body.settings,
      api: (method, path, options = {}) => call(server.adminUrl, method, path, { ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } }),
      connectionReaches: async () => undefined,
    }
  }

  it("stores ACA-Py's setting keys, drops unknown names, and sets endorser flags only for an author", async () => {
    const tenant = await tenantWith('Mapped', { ACAPY_AUTO_ACCEPT_INVITES: true, 'auto-accept-requests': true, ACAPY_LOG_LEVEL: 'debug', bogus: 1, ACAPY_AUTO_WRITE_TRANSACTIONS: true })
    expect(tenant.settings).toMatchObject({ 'debug.auto_accept_invites': true, 'debug.auto_accept_requests': true, 'log.level': 'debug' })
    expect(tenant.settings).not.toHaveProperty('bogus')
    expect(tenant.settings).not.toHaveProperty('endorser.auto_write')
    const author = await tenant.api('PUT', '/settings', { body: { extra_settings: { ACAPY_ENDORSER_ROLE: 'author', ACAPY_AUTO_WRITE_TRANSACTIONS: true } } })
    expect(author.status).toBe(200)
    expect(author.body).toMatchObject({ 'endorser.author': true, 'endorser.auto_write': true, 'debug.auto_accept_invites': true })
  })

  it('acts on auto-accept-requests and auto-accept-invites: a connection with no manual step and no auto_accept parameter', async () => {
    const inviter = await tenantWith('Auto inviter', { ACAPY_AUTO_ACCEPT_REQUESTS: true })
    const invitee = await tenantWith('Auto invitee', { ACAPY_AUTO_ACCEPT_INVITES: true })
    const invitation = await inviter.api('POST', '/out-of-band/create-invitation', { body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
    expect(invitation.status).toBe(200)
    const received = await invitee.api('POST', '/out-of-band/receive-invitation', { body: invitation.body.invitation })
    expect(received.status).toBe(200)
    await waitFor('both sides completed', async () => {
      const theirs = (await invitee.api('GET', `/connections/${received.body.connection_id}`)).body
      const ours = (await inviter.api('GET', `/connections?invitation_msg_id=${invitation.body.invi_msg_id}`)).body.results?.[0]
      return theirs?.rfc23_state === 'completed' && ours?.rfc23_state === 'completed' ? true : undefined
    })
  })

  it('seed 000: requests to a public DID of a wallet that auto-accepts requests complete with no manual step', async () => {
    const sink = await startWebhookSink()
    try {
      const issuer = await tenantWith('Public issuer', { ACAPY_AUTO_ACCEPT_REQUESTS: true }, [`${sink.url}/events#format=envelope`])
      const publicDid = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did as string
      expect((await issuer.api('POST', `/wallet/did/public?did=${encodeURIComponent(publicDid)}`)).status).toBe(200)
      const near = await createTenant(server, 'Near')
      const far = await createTenant(other, 'Far')
      const requestTo = (requester: TestTenant) =>
        requester.api('POST', `/v1/connections/did-exchange/create-request?their_public_did=${encodeURIComponent(publicDid)}`)
      // Near asks twice, the second while the first is still pending; ACA-Py makes a connection each time.
      const requests = await Promise.all([requestTo(near), requestTo(far)])
      requests.push(await requestTo(near))
      for (const requested of requests) expect(requested.status, JSON.stringify(requested.body)).toBe(200)
      expect(new Set(requests.map((requested) => requested.body.connection_id)).size).toBe(3)
      await Promise.all(requests.map((requested, index) => (index === 1 ? far : near).connectionReaches(requested.body.connection_id, 'completed')))
      const completed = await waitFor("the issuer's three connections completed", async () => {
        const { body } = await issuer.api('GET', '/connections?state=completed')
        return body.results?.length === 3 ? (body.results as Array<{ connection_id: string }>) : undefined
      })
      // acapy-cloud's envelope tells the issuer's controller the same, with no step of its own.
      await sink.waitFor('a completed envelope for each connection', (deliveries) => {
        const done = deliveries.filter(({ body }) => body.topic === 'connections' && body.payload?.state === 'completed' && body.wallet_id === issuer.walletId)
        return completed.every(({ connection_id }) => done.some(({ body }) => body.payload.connection_id === connection_id))
      })

      // Reuse picks a completed connection only: an invitation from the public DID received by a
      // tenant whose only connection to it is still unfinished makes a new connection (the issuer
      // stops accepting requests by itself, so that one stays unfinished).
      expect((await issuer.api('PUT', '/settings', { body: { extra_settings: { ACAPY_AUTO_ACCEPT_REQUESTS: false } } })).status).toBe(200)
      const invitation = await issuer.api('POST', '/out-of-band/create-invitation?auto_accept=true&multi_use=true', {
        body: { use_public_did: true, handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
      })
      expect(invitation.status, JSON.stringify(invitation.body)).toBe(200)
      const waiting = await createTenant(server, 'Waiting')
      const pending = await waiting.api('POST', `/didexchange/create-request?their_public_did=${encodeURIComponent(publicDid)}`)
      expect(pending.status).toBe(200)
      const reused = await waiting.api('POST', '/out-of-band/receive-invitation?use_existing_connection=true&auto_accept=true', { body: invitation.body.invitation })
      expect(reused.status, JSON.stringify(reused.body)).toBe(200)
      expect(reused.body.connection_id).not.toBe(pending.body.connection_id)
      await waiting.connectionReaches(reused.body.connection_id, 'completed')
      // Once one is completed, reuse answers with it, and never with the unfinished one.
      const again = await waiting.api('POST', '/out-of-band/receive-invitation?use_existing_connection=true&auto_accept=true', { body: invitation.body.invitation })
      expect(again.status, JSON.stringify(again.body)).toBe(200)
      expect(again.body.state).toBe('reuse-accepted')
      expect(again.body.connection_id).toBe(reused.body.connection_id)
      expect((await waiting.api('GET', `/connections/${pending.body.connection_id}`)).body.rfc23_state).toBe('request-sent')
    } finally {
      await sink.stop()
    }
  })
  it('acts on auto-respond-credential-offer/-request, auto-verify, preserve-exchange-records, auto-respond-messages and auto-ping-connection', async () => {
    const sink = await startWebhookSink()
    try {
      const issuer = await tenantWith(
        'Settled issuer',
        { ACAPY_AUTO_RESPOND_CREDENTIAL_REQUEST: true, ACAPY_AUTO_VERIFY_PRESENTATION: true, ACAPY_PRESERVE_EXCHANGE_RECORDS: true, ACAPY_AUTO_RESPOND_MESSAGES: true, ACAPY_AUTO_ACCEPT_REQUESTS: true },
        [`${sink.url}/issuer`],
      )
      const holder = await tenantWith('Settled holder', { ACAPY_AUTO_RESPOND_CREDENTIAL_OFFER: true, ACAPY_AUTO_PING_CONNECTION: true, ACAPY_AUTO_ACCEPT_INVITES: true }, [`${sink.url}/holder`])
      const invitation = await issuer.api('POST', '/out-of-band/create-invitation', { body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
      const received = await holder.api('POST', '/out-of-band/receive-invitation', { body: invitation.body.invitation })
      const holderConnection = received.body.connection_id as string
      await waitFor('the requester to complete', async () => ((await holder.api('GET', `/connections/${holderConnection}`)).body.rfc23_state === 'completed' ? true : undefined))
      const issuerConnection = await waitFor("the issuer's connection", async () => {
        const { body } = await issuer.api('GET', `/connections?invitation_msg_id=${invitation.body.invi_msg_id}&state=completed`)
        return body.results?.[0]?.connection_id as string | undefined
      })

      // auto_ping_connection: the requester pings the new connection.
      await sink.waitFor('the issuer to receive a ping', (deliveries) =>
        deliveries.some(({ path, body }) => path === '/issuer/topic/ping/' && body.connection_id === issuerConnection && body.state === 'received'),
      )

      // auto_respond_messages: "<label> received your message", and no answer to that answer.
      expect((await holder.api('POST', `/connections/${holderConnection}/send-message`, { body: { content: 'hello' } })).status).toBe(200)
      await sink.waitFor('the reply', (deliveries) =>
        deliveries.some(({ path, body }) => path === '/holder/topic/basicmessages/' && body.content === 'Settled issuer received your message'),
      )

      // auto_respond_credential_offer on the holder, auto_respond_credential_request on the issuer:
      // an offer sent with no auto_issue is requested and issued with no step but the holder's store.
      const issuerDid = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
      const holderDid = (await holder.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
      const offered = await issuer.api('POST', '/issue-credential-2.0/send-offer', {
        body: { connection_id: issuerConnection, filter: degreeOfferFilter(issuerDid, holderDid, 'Settled') },
      })
      expect(offered.status, JSON.stringify(offered.body)).toBe(200)
      expect(offered.body).toMatchObject({ auto_issue: true, auto_remove: false })
      const atHolder = await waitFor('the credential to reach the holder', async () => {
        const { body } = await holder.api('GET', `/issue-credential-2.0/records?thread_id=${offered.body.thread_id}&state=credential-received`)
        return body.results?.[0]?.cred_ex_record as { cred_ex_id: string } | undefined
      })
      expect((await holder.api('POST', `/issue-credential-2.0/records/${atHolder.cred_ex_id}/store`, { body: {} })).status).toBe(200)
      // preserve_exchange_records: the issuer's finished exchange is still there.
      await waitFor("the issuer's exchange done and kept", async () => {
        const { status, body } = await issuer.api('GET', `/issue-credential-2.0/records/${offered.body.cred_ex_id}`)
        return status === 200 && body.cred_ex_record.state === 'done' ? true : undefined
      })

      // auto_verify_presentation: a request sent with no auto_verify is verified on arrival.
      const requested = await issuer.api('POST', '/present-proof-2.0/send-request', {
        body: {
          connection_id: issuerConnection,
          presentation_request: {
            dif: {
              options: { challenge: '3fa85f64-5717-4562-b3fc-2c963f66afa7' },
              presentation_definition: {
                id: '32f54163-7166-48f1-93d8-ff217bdb0653',
                input_descriptors: [{ id: 'degree', schema: [{ uri: 'https://www.w3.org/2018/credentials#VerifiableCredential' }] }],
              },
            },
          },
        },
      })
      expect(requested.status, JSON.stringify(requested.body)).toBe(200)
      expect(requested.body).toMatchObject({ auto_verify: true, auto_remove: false })
      const asked = await waitFor('the request at the holder', async () => {
        const { body } = await holder.api('GET', `/present-proof-2.0/records?thread_id=${requested.body.thread_id}&state=request-received`)
        return body.results?.[0] as { pres_ex_id: string } | undefined
      })
      expect((await holder.api('POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, { body: { dif: {} } })).status).toBe(200)
      await waitFor('the presentation verified with no verify-presentation call', async () => {
        const { body } = await issuer.api('GET', `/present-proof-2.0/records/${requested.body.pres_ex_id}`)
        return body.state === 'done' && body.verified === 'true' ? true : undefined
      })
    } finally {
      await sink.stop()
    }
  })
})
