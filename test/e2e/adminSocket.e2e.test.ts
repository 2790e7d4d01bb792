// ACA-Py's admin websocket, GET /ws on the admin port: the settings message first, then events as
// {topic, payload, wallet_id} and nothing else, keepalive pings when idle. The admin key (header,
// or a later {"x-api-key"} message) sees every wallet; a tenant token sees its own wallet only; no
// credential sees no events; a bad token is refused before the upgrade. Insecure mode (ACA-Py's
// --admin-insecure-mode, for scenario scripts) opens the admin routes and /ws without a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { MALFORMED_FRAMES, sendRawAfterUpgrade } from '../helpers/wsFrames'

interface AdminSocket {
  socket: WebSocket
  messages: any[]
  close(): void
}

async function openAdminSocket(server: ServerProcess, headers: Record<string, string> = {}): Promise<AdminSocket> {
  const socket = new WebSocket(`${server.adminUrl.replace('http', 'ws')}/ws`, { headers })
  const messages: any[] = []
  socket.on('message', (data) => messages.push(JSON.parse(String(data))))
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  await waitFor('the settings message', async () => (messages.length > 0 ? true : undefined), 5000)
  return { socket, messages, close: () => socket.close() }
}

const eventsOf = (ws: AdminSocket) => ws.messages.filter((m) => m.topic !== 'settings' && m.topic !== 'ping')

describe('the admin websocket /ws', () => {
  let server: ServerProcess
  let alice: TestTenant
  let bob: TestTenant
  let adminKey: string

  beforeAll(async () => {
    server = await startServerProcess(sqlite.env(tempDataDir()))
    adminKey = adminKeyOf(server.env as Record<string, string>)
    alice = await createTenant(server, 'Alice')
    bob = await createTenant(server, 'Bob')
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('sends the settings first, then events as {topic, payload, wallet_id}: every wallet to the admin key, its own to a tenant', async () => {
    const admin = await openAdminSocket(server, { 'x-api-key': adminKey })
    const asAlice = await openAdminSocket(server, { authorization: `Bearer ${alice.token}` })
    const anonymous = await openAdminSocket(server)
    expect(admin.messages[0]).toEqual({
      topic: 'settings',
      payload: { authenticated: true, label: 'Credence', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), no_receive_invites: false, help_link: null },
    })
    expect(asAlice.messages[0].payload.authenticated).toBe(true)
    expect(anonymous.messages[0].payload.authenticated).toBe(false)

    const { inviterConnection, inviteeConnection } = await connectTenants(alice, bob)
    await waitFor("both sides' completed connection at the admin socket", async () => {
      const completed = eventsOf(admin).filter((m) => m.topic === 'connections' && m.payload.rfc23_state === 'completed')
      return completed.some((m) => m.wallet_id === alice.walletId && m.payload.connection_id === inviterConnection) &&
        completed.some((m) => m.wallet_id === bob.walletId && m.payload.connection_id === inviteeConnection)
        ? true
        : undefined
    })
    await waitFor("Alice's completed connection at her socket", async () =>
      eventsOf(asAlice).some((m) => m.topic === 'connections' && m.payload.connection_id === inviterConnection && m.payload.rfc23_state === 'completed') ? true : undefined,
    )
    // acapy-controller drops a message with any other key.
    for (const message of [...eventsOf(admin), ...eventsOf(asAlice)]) expect(Object.keys(message).sort()).toEqual(['payload', 'topic', 'wallet_id'])
    expect(eventsOf(asAlice).every((m) => m.wallet_id === alice.walletId)).toBe(true)
    expect(eventsOf(anonymous)).toEqual([])

    // ACA-Py's late authentication: the admin key as a message.
    anonymous.socket.send(JSON.stringify({ 'x-api-key': adminKey }))
    await new Promise((resolve) => setTimeout(resolve, 300))
    await bob.api('POST', `/connections/${inviteeConnection}/send-message`, { body: { content: 'seen by the admin socket' } })
    await waitFor('the message at the late-authenticated socket', async () =>
      eventsOf(anonymous).some((m) => m.topic === 'basicmessages' && m.payload.content === 'seen by the admin socket') ? true : undefined,
    )
    for (const ws of [admin, asAlice, anonymous]) ws.close()
  })

  it('pings an idle socket every 5 s, refuses a bad token before the upgrade and survives bad frames', async () => {
    const idle = await openAdminSocket(server)
    await waitFor('a keepalive ping', async () => idle.messages.find((m) => m.topic === 'ping'), 8000)
    expect(idle.messages.find((m) => m.topic === 'ping')).toEqual({ topic: 'ping', authenticated: false })
    idle.close()

    const refused = new WebSocket(`${server.adminUrl.replace('http', 'ws')}/ws`, { headers: { authorization: 'Bearer not.a.token' } })
    const status = await new Promise<number | undefined>((resolve) => {
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode))
      refused.once('open', () => resolve(undefined))
      refused.once('error', () => undefined)
    })
    expect(status).toBe(401)

    for (const make of Object.values(MALFORMED_FRAMES)) await sendRawAfterUpgrade(`${server.adminUrl}/ws`, make(), 2000)
    expect((await fetch(`${server.adminUrl}/status/live`)).status).toBe(200)
  })
})

describe('insecure mode (ACA-Py --admin-insecure-mode)', () => {
  let server: ServerProcess

  beforeAll(async () => {
    server = await startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_ADMIN_INSECURE_MODE: 'true' })
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('opens the admin routes and /ws without a key, not the tenant routes', async () => {
    const config = await fetch(`${server.adminUrl}/status/config`)
    expect(config.status).toBe(200)
    expect(((await config.json()) as any).config['admin.admin_insecure_mode']).toBe(true)
    const ws = await openAdminSocket(server)
    expect(ws.messages[0].payload.authenticated).toBe(true)
    const tenant = await createTenant(server, 'Carol')
    expect((await fetch(`${server.adminUrl}/connections`)).status).toBe(401)
    expect((await tenant.api('GET', '/connections')).status).toBe(200)
    ws.close()
  })
})
