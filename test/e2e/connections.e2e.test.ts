// Connections between two Credence processes (one on SQLite, one on PostgreSQL), driven through the
// ACA-Py admin API exactly as an ACA-Py controller would: out-of-band with automatic and manual
// acceptance, a multi-use invitation used twice, connection reuse, an implicit invitation to a
// hosted did:web, reject, basic messages and pings both ways, and delete. Messages travel over
// real HTTP between the processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { postgres, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { openEventStream } from '../helpers/eventStream'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { startWebhookSink, type WebhookSink } from '../helpers/webhookSink'

const ACAPY_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

describe('connections between two Credence processes', () => {
  let envA: Record<string, string>
  let envB: Record<string, string>
  let serverA: ServerProcess
  let serverB: ServerProcess
  let sink: WebhookSink
  let alice: TestTenant // on A
  let bob: TestTenant // on B
  let carol: TestTenant // on B

  beforeAll(async () => {
    sink = await startWebhookSink()
    envA = { ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }
    envB = { ...postgres.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }
    ;[serverA, serverB] = await Promise.all([startServerProcess(envA), startServerProcess(envB)])
    alice = await createTenant(serverA, 'Alice')
    bob = await createTenant(serverB, 'Bob', { webhookUrls: [`${sink.url}/bob`] })
    carol = await createTenant(serverB, 'Carol')
  })

  afterAll(async () => {
    await Promise.all([serverA?.stop(), serverB?.stop()])
    await sink?.stop()
    await postgres.cleanup(envB)
  })

  /** Alice invites, Bob receives; both with auto-accept. Returns both connection ids once completed. */
  async function connectAutomatically(inviter: TestTenant, invitee: TestTenant, body: Record<string, unknown> = {}) {
    const created = await inviter.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'], ...body },
    })
    expect(created.status).toBe(200)
    const received = await invitee.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: created.body.invitation })
    expect(received.status).toBe(200)
    const inviteeConnection = await invitee.connectionReaches(received.body.connection_id, 'completed')
    const inviterConnection = await waitForConnection(inviter, created.body.invi_msg_id, 'active')
    return { created: created.body, received: received.body, inviterConnection, inviteeConnection }
  }

  it('connects through an out-of-band invitation with auto-accept; both ConnRecords are ACA-Py shaped', async () => {
    const { created, received, inviterConnection, inviteeConnection } = await connectAutomatically(alice, bob, {
      my_label: 'Alice the issuer',
      alias: 'bob-at-alice',
      metadata: { crm_id: 'c-17' },
    })
    expect(created).toMatchObject({
      state: 'initial',
      trace: false,
      oob_id: expect.any(String),
      invi_msg_id: created.invitation['@id'],
      invitation_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\?oob=[A-Za-z0-9_-]+$/),
    })
    expect(created.invitation).toMatchObject({
      '@type': 'https://didcomm.org/out-of-band/1.1/invitation',
      label: 'Alice the issuer',
      handshake_protocols: ['https://didcomm.org/didexchange/1.1'],
    })
    // ACA-Py answers receive-invitation with the record it deleted once the handshake began.
    expect(received).toMatchObject({ role: 'receiver', state: 'deleted', invi_msg_id: created.invi_msg_id, connection_id: expect.any(String) })
    // ACA-Py keeps their_service (a ServiceDecorator of raw keys) only for a connectionless invitation.
    expect(received).not.toHaveProperty('their_service')

    expect(inviteeConnection).toEqual({
      connection_id: received.connection_id,
      state: 'active',
      rfc23_state: 'completed',
      their_role: 'inviter',
      connection_protocol: 'didexchange/1.1',
      my_did: expect.stringMatching(/^did:peer:4/),
      their_did: expect.stringMatching(/^did:peer:/),
      their_label: 'Alice the issuer',
      invitation_key: expect.any(String),
      invitation_msg_id: created.invi_msg_id,
      request_id: expect.any(String),
      accept: 'auto',
      invitation_mode: 'once',
      created_at: expect.stringMatching(ACAPY_TIMESTAMP),
      updated_at: expect.stringMatching(ACAPY_TIMESTAMP),
    })
    expect(inviterConnection).toMatchObject({
      state: 'active',
      rfc23_state: 'completed',
      their_role: 'invitee',
      their_label: 'Bob',
      alias: 'bob-at-alice',
      invitation_key: inviteeConnection.invitation_key,
      invitation_msg_id: created.invi_msg_id,
      my_did: inviteeConnection.their_did,
      their_did: inviteeConnection.my_did,
    })
    // metadata given at create-invitation lands on the inviter's connection
    const metadata = await alice.api('GET', `/connections/${inviterConnection.connection_id}/metadata`)
    expect(metadata.body).toEqual({ results: { crm_id: 'c-17' } })

    // As in ACA-Py, a single-use invitation's record is gone once a request for it came, and the
    // invitee's once its handshake began: neither is listed any more.
    const oobRecords = await alice.api('GET', `/out-of-band/records?invi_msg_id=${created.invi_msg_id}`)
    expect(oobRecords.body.results).toEqual([])
    expect((await bob.api('GET', `/out-of-band/records?invi_msg_id=${created.invi_msg_id}`)).body.results).toEqual([])
    const byId = await alice.api('GET', `/out-of-band/invitations?oob_id=${created.oob_id}`)
    expect(byId.status).toBe(404)
  })

  it('connects by hand: accept-invitation on the invitee, accept-request on the inviter', async () => {
    const created = await alice.api('POST', '/out-of-band/create-invitation?auto_accept=false', {
      body: { handshake_protocols: ['didexchange/1.1'] },
    })
    const received = await bob.api('POST', '/out-of-band/receive-invitation?auto_accept=false', { body: created.body.invitation })
    expect(received.status).toBe(200)
    const connectionId = received.body.connection_id
    expect(connectionId).toEqual(expect.any(String))
    const waiting = await bob.api('GET', `/connections/${connectionId}`)
    expect(waiting.body).toMatchObject({ state: 'invitation', rfc23_state: 'invitation-received', their_role: 'inviter', accept: 'manual' })
    const listed = await bob.api('GET', '/connections?state=invitation-received')
    expect(listed.body.results.map((c: any) => c.connection_id)).toContain(connectionId)

    const accepted = await bob.api('POST', `/didexchange/${connectionId}/accept-invitation?my_label=Bob%20by%20hand`)
    expect(accepted.status).toBe(200)
    expect(accepted.body).toMatchObject({ connection_id: connectionId, rfc23_state: 'request-sent', state: 'request' })

    const request = await waitForConnection(alice, created.body.invi_msg_id, 'request-received')
    expect(request).toMatchObject({ state: 'request', their_role: 'invitee', their_label: 'Bob by hand', accept: 'manual' })
    const responded = await alice.api('POST', `/didexchange/${request.connection_id}/accept-request`)
    expect(responded.status).toBe(200)
    expect(responded.body).toMatchObject({ rfc23_state: 'response-sent', state: 'response' })
    await bob.connectionReaches(connectionId, 'completed')
    await alice.connectionReaches(request.connection_id, 'completed')
  })

  it('lets two parties use one multi-use invitation', async () => {
    const aliceEvents = await openEventStream(serverA.adminUrl, { authorization: `Bearer ${alice.token}` })
    const created = await alice.api('POST', '/out-of-band/create-invitation?auto_accept=true&multi_use=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.0'] },
    })
    expect(created.status).toBe(200)
    const viaBob = await bob.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: created.body.invitation })
    const viaCarol = await carol.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: created.body.invitation })
    await bob.connectionReaches(viaBob.body.connection_id, 'completed')
    await carol.connectionReaches(viaCarol.body.connection_id, 'completed')
    // The inviter completes when the requester's `complete` message arrives, a moment after the requester.
    const atAlice = await waitFor("both of Alice's connections to complete", async () => {
      const listed = await alice.api('GET', `/connections?invitation_msg_id=${created.body.invi_msg_id}&state=completed`)
      return listed.body.results?.length === 2 ? listed : undefined
    })
    for (const connection of atAlice.body.results) {
      // As in ACA-Py, connections made from a multi-use invitation are `once` themselves.
      expect(connection).toMatchObject({ invitation_mode: 'once', connection_protocol: 'didexchange/1.0' })
    }
    expect(atAlice.body.results.map((c: any) => c.their_label).sort()).toEqual(['Bob', 'Carol'])

    // ACA-Py's out-of-band lifecycle: the inviter reports done at each request and keeps a
    // multi-use invitation (never deleted, still listed); each invitee reports initial, done and
    // deleted as it receives, and answers receive-invitation with the deleted record.
    const oobStates = () => aliceEvents.events.filter((e) => e.topic === 'out_of_band' && e.payload.invi_msg_id === created.body.invi_msg_id).map((e) => e.payload.state)
    await waitFor('done at each request', async () => (oobStates().filter((state) => state === 'done').length === 2 ? true : undefined))
    await aliceEvents.stop()
    expect(oobStates()).not.toContain('deleted')
    const listed = await alice.api('GET', `/out-of-band/records?invi_msg_id=${created.body.invi_msg_id}`)
    expect(listed.body.results).toEqual([expect.objectContaining({ state: 'await-response', multi_use: true, role: 'sender' })])
    expect([viaBob.body.state, viaCarol.body.state]).toEqual(['deleted', 'deleted'])
    const bobStates = await sink.waitFor("Bob's out-of-band lifecycle", (all) =>
      all.filter((d) => d.path === '/bob/topic/out_of_band/' && d.body.invi_msg_id === created.body.invi_msg_id).length >= 3,
    )
    expect(bobStates.filter((d) => d.path === '/bob/topic/out_of_band/' && d.body.invi_msg_id === created.body.invi_msg_id).map((d) => d.body.state)).toEqual([
      'initial',
      'done',
      'deleted',
    ])
  })

  it('receives a legacy RFC 0160 invitation from a c_i URL and connects with connections/1.0', async () => {
    const created = await alice.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/connections/1.0'] },
    })
    expect(created.status).toBe(200)
    const [service] = created.body.invitation.services
    // The same invitation in its legacy form, as an RFC 0160 inviter would publish it.
    const { Key } = await import('@credo-ts/core')
    const legacy = {
      '@type': 'https://didcomm.org/connections/1.0/invitation',
      '@id': created.body.invi_msg_id,
      label: 'Alice (legacy)',
      recipientKeys: service.recipientKeys.map((didKey: string) => Key.fromFingerprint(didKey.replace('did:key:', '')).publicKeyBase58),
      serviceEndpoint: service.serviceEndpoint,
    }
    const url = `https://example.org/invite?c_i=${Buffer.from(JSON.stringify(legacy)).toString('base64url')}`
    const received = await bob.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: { invitation_url: url } })
    expect(received.status).toBe(200)
    const connection = await bob.connectionReaches(received.body.connection_id, 'completed')
    expect(connection).toMatchObject({ connection_protocol: 'connections/1.0', their_label: 'Alice (legacy)' })
  })

  let alicePublicDid: string

  it('hosts a did:web for a tenant and makes it the public DID', async () => {
    const created = await alice.api('POST', '/wallet/did/create', { body: { method: 'web' } })
    expect(created.status).toBe(200)
    alicePublicDid = created.body.result.did
    expect(created.body.result).toEqual({
      did: `did:web:127.0.0.1%3A${new URL(serverA.inboundUrl).port}:wallets:${alice.walletId}`,
      verkey: expect.any(String),
      posture: 'wallet_only',
      method: 'web',
      key_type: 'ed25519',
      metadata: {},
    })
    const document = await fetch(`${serverA.inboundUrl}/wallets/${alice.walletId}/did.json`).then((r) => r.json() as Promise<any>)
    expect(document.id).toBe(alicePublicDid)
    expect(document.service).toEqual([
      expect.objectContaining({ type: 'did-communication', serviceEndpoint: serverA.inboundUrl, recipientKeys: [`${alicePublicDid}#key-1`] }),
      { id: `${alicePublicDid}#anoncreds`, type: 'AnonCredsRegistry', serviceEndpoint: `${serverA.inboundUrl}/wallets/${alice.walletId}/anoncreds` },
    ])
    const published = await alice.api('POST', `/wallet/did/public?did=${encodeURIComponent(alicePublicDid)}`)
    expect(published.body.result).toMatchObject({ did: alicePublicDid, posture: 'public' })
    expect((await alice.api('GET', '/wallet/did/public')).body.result.did).toBe(alicePublicDid)
    const listed = await alice.api('GET', '/wallet/did?method=web')
    expect(listed.body.results.map((d: any) => d.did)).toEqual([alicePublicDid])
  })

  it('reuses the existing connection for a second invitation from the same public DID', async () => {
    const first = await alice.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'], use_public_did: true },
    })
    expect(first.status).toBe(200)
    expect(first.body.invitation.services).toEqual([alicePublicDid])
    const connected = await carol.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: first.body.invitation })
    await carol.connectionReaches(connected.body.connection_id, 'completed')

    const second = await alice.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'], use_public_did: true },
    })
    const reused = await carol.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: second.body.invitation })
    expect(reused.status).toBe(200)
    expect(reused.body).toMatchObject({ connection_id: connected.body.connection_id, state: 'reuse-accepted' })
    const carolsConnections = await carol.api('GET', `/connections?their_label=Alice`)
    expect(carolsConnections.status).toBe(200)
  })

  it('sends a DID exchange request to a public did:web (implicit invitation), accepted by hand', async () => {
    const requested = await bob.api('POST', `/didexchange/create-request?their_public_did=${encodeURIComponent(alicePublicDid)}&alias=alice-public`)
    expect(requested.status).toBe(200)
    expect(requested.body).toMatchObject({ rfc23_state: 'request-sent', their_public_did: alicePublicDid, alias: 'alice-public' })
    const atAlice = await waitForConnection(alice, undefined, 'request-received', (c) => c.their_label === 'Bob' && c.request_id === requested.body.request_id)
    await alice.api('POST', `/didexchange/${atAlice.connection_id}/accept-request`)
    await bob.connectionReaches(requested.body.connection_id, 'completed')
    await alice.connectionReaches(atAlice.connection_id, 'completed')
  })

  it('serves the seed path /v1/connections/did-exchange/create-request, and a rejected request is abandoned on both sides', async () => {
    const requested = await carol.api('POST', `/v1/connections/did-exchange/create-request?their_public_did=${encodeURIComponent(alicePublicDid)}`)
    expect(requested.status).toBe(200)
    const atAlice = await waitForConnection(alice, undefined, 'request-received', (c) => c.request_id === requested.body.request_id)
    const rejected = await alice.api('POST', `/didexchange/${atAlice.connection_id}/reject`, { body: { reason: 'not today' } })
    expect(rejected.status).toBe(200)
    expect(rejected.body).toMatchObject({ state: 'error', rfc23_state: 'abandoned', error_msg: 'not today' })
    await carol.connectionReaches(requested.body.connection_id, 'abandoned')
  })

  it('exchanges basic messages and pings both ways; inbound messages reach the webhook', async () => {
    const { inviterConnection, inviteeConnection } = await connectAutomatically(alice, bob)
    const toBob = await alice.api('POST', `/connections/${inviterConnection.connection_id}/send-message`, { body: { content: 'hello Bob' } })
    expect(toBob).toEqual({ status: 200, body: {} })
    const toAlice = await bob.api('POST', `/connections/${inviteeConnection.connection_id}/send-message`, { body: { content: 'hi Alice' } })
    expect(toAlice.status).toBe(200)
    const received = await sink.waitFor('Bob to receive the basic message', (all) =>
      all.some((d) => d.path === '/bob/topic/basicmessages/' && d.body.content === 'hello Bob'),
    )
    const message = received.find((d) => d.path === '/bob/topic/basicmessages/' && d.body.content === 'hello Bob')!
    expect(message.body).toEqual({
      connection_id: inviteeConnection.connection_id,
      message_id: expect.any(String),
      content: 'hello Bob',
      state: 'received',
      sent_time: expect.any(String),
    })
    expect(message.headers['x-wallet-id']).toBe(bob.walletId)

    const pingFromAlice = await alice.api('POST', `/connections/${inviterConnection.connection_id}/send-ping`, { body: {} })
    expect(pingFromAlice.body).toEqual({ thread_id: expect.any(String) })
    const pingFromBob = await bob.api('POST', `/connections/${inviteeConnection.connection_id}/send-ping`, { body: { comment: 'ping' } })
    await sink.waitFor('Bob to see both pings', (all) =>
      all.some((d) => d.path === '/bob/topic/ping/' && d.body.state === 'received' && d.body.thread_id === pingFromAlice.body.thread_id) &&
      all.some((d) => d.path === '/bob/topic/ping/' && d.body.state === 'response_received' && d.body.thread_id === pingFromBob.body.thread_id),
    )

    const discovered = await bob.api('GET', `/discover-features-2.0/queries?connection_id=${inviteeConnection.connection_id}&query_protocol=https://didcomm.org/basicmessage/*`)
    expect(discovered.status).toBe(200)
    // Flat, as ACA-Py 1.7's route answers (not the `{results}` its OpenAPI document names).
    expect(discovered.body).toMatchObject({
      discovery_exchange_id: expect.any(String),
      connection_id: inviteeConnection.connection_id,
      state: 'done',
      queries_msg: { '@type': 'https://didcomm.org/discover-features/2.0/queries', '@id': expect.any(String), '~thread': { thid: discovered.body.discovery_exchange_id } },
      disclosures: { '@type': 'https://didcomm.org/discover-features/2.0/disclosures', '@id': expect.any(String), '~thread': { thid: discovered.body.discovery_exchange_id } },
    })
    expect(discovered.body).not.toHaveProperty('results')
    expect(discovered.body.disclosures.disclosures).toContainEqual(
      expect.objectContaining({ 'feature-type': 'protocol', id: 'https://didcomm.org/basicmessage/1.0' }),
    )
    const records = await bob.api('GET', `/discover-features-2.0/records?connection_id=${inviteeConnection.connection_id}`)
    expect(records.body.results).toHaveLength(1)

    const endpoints = await alice.api('GET', `/connections/${inviterConnection.connection_id}/endpoints`)
    expect(endpoints.body).toEqual({ my_endpoint: serverA.inboundUrl, their_endpoint: serverB.inboundUrl })

    const deleted = await bob.api('DELETE', `/connections/${inviteeConnection.connection_id}`)
    expect(deleted).toEqual({ status: 200, body: {} })
    expect((await bob.api('GET', `/connections/${inviteeConnection.connection_id}`)).status).toBe(404)
    await sink.waitFor('the deleted webhook', (all) =>
      all.some((d) => d.path === '/bob/topic/connections/' && d.body.connection_id === inviteeConnection.connection_id && d.body.state === 'deleted'),
    )
  })
})

async function waitForConnection(tenant: TestTenant, invitationMsgId: string | undefined, state: string, match: (c: any) => boolean = () => true) {
  return waitFor(`a connection in ${state}`, async () => {
    const query = invitationMsgId ? `?invitation_msg_id=${invitationMsgId}&state=${state}` : `?state=${state}`
    const { body } = await tenant.api('GET', `/connections${query}`)
    return body.results?.find(match)
  })
}
