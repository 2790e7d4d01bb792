// Boot, restart and bad input against the real server process, once per storage backend.
// The tenant part runs the same createAgent the server uses, in this process, while the server
// process is stopped (one writer per store), so persistence is checked across process restarts.
import { KeyType, type KeyDidCreateOptions } from '@credo-ts/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

import { createAgent } from '../../src/agent/createAgent'
import { loadConfig } from '../../src/config'
import { createLogger } from '../../src/logger'
import { resolveBootSecrets } from '../../src/secrets'
import { tenantService } from '../../src/services/tenants'
import { adminKeyOf, BACKENDS, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'

describe.each(BACKENDS)('Credence server on $name', (backend) => {
  let env: Record<string, string>
  let server: ServerProcess
  let adminKey: string

  beforeAll(async () => {
    env = backend.env(tempDataDir())
    server = await startServerProcess(env)
    adminKey = adminKeyOf(env)
  })

  afterAll(async () => {
    await server?.stop()
    await backend.cleanup(env)
  })

  it('is live and ready, and has created its base wallet', async () => {
    expect(await (await fetch(`${server.adminUrl}/status/live`)).json()).toEqual({ alive: true })
    expect(await (await fetch(`${server.adminUrl}/status/ready`)).json()).toEqual({ ready: true })
    expect(await backend.baseWalletExists(env)).toBe(true)
  })

  it('prints the generated admin key once and never logs it', () => {
    const output = server.output()
    expect(output.split(adminKey).length - 1).toBe(1)
    expect(output).toContain('Generated admin api key')
  })

  it('guards /status and /status/config with the admin key and hides secrets', async () => {
    const missing = await fetch(`${server.adminUrl}/status`)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toEqual({ error: 'API Key invalid or missing' })
    const wrong = await fetch(`${server.adminUrl}/status/config`, { headers: { 'x-api-key': 'not-the-key' } })
    expect(wrong.status).toBe(401)

    const status = await fetch(`${server.adminUrl}/status`, { headers: { 'x-api-key': adminKey } })
    expect(status.status).toBe(200)
    expect(await status.json()).toMatchObject({ label: 'Credence', version: expect.any(String) })

    const config = await fetch(`${server.adminUrl}/status/config`, { headers: { 'x-api-key': adminKey } })
    const body = await config.text()
    expect(config.status).toBe(200)
    // ACA-Py's keys (clients such as acapy-controller read them), then Credence's own.
    expect(JSON.parse(body).config).toMatchObject({ default_label: 'Credence', 'wallet.type': 'askar-anoncreds', 'multitenant.enabled': true, 'admin.port': expect.any(String) })
    expect(JSON.parse(body).credence).toMatchObject({ CREDENCE_LABEL: 'Credence' })
    expect(body).not.toContain(adminKey)
    expect(body).not.toContain('CREDENCE_ADMIN_API_KEY')
    expect(body).not.toContain('CREDENCE_WALLET_KEY"')
    if (env.CREDENCE_DATABASE_URL) expect(body).not.toContain(':credence@')
  })

  it('answers unknown admin paths and bad admin bodies with JSON errors', async () => {
    const unknown = await fetch(`${server.adminUrl}/no/such/route`)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: 'No route for GET /no/such/route' })

    const malformed = await fetch(`${server.adminUrl}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken": ',
    })
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toEqual({ error: 'Request body is not valid JSON' })

    // A NUL character would be cut by SQLite's binding and refused by PostgreSQL: refused first.
    const nul = await fetch(`${server.adminUrl}/multitenancy/wallet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
      body: JSON.stringify({ wallet_name: 'fuzz\u0000evil', label: 'x' }),
    })
    expect(nul.status).toBe(422)
    expect(await nul.json()).toMatchObject({ field: 'wallet_name' })
    const nulQuery = await fetch(`${server.adminUrl}/multitenancy/wallets?wallet_name=a%00b`, { headers: { 'x-api-key': adminKey } })
    expect(nulQuery.status).toBe(422)
  })

  it('refuses garbage and malformed DIDComm bodies with a 4xx and keeps serving', async () => {
    const post = (body: string | Uint8Array, contentType = 'application/didcomm-envelope-enc') =>
      fetch(`${server.inboundUrl}/`, { method: 'POST', headers: { 'content-type': contentType }, body })

    const garbage = await post(new Uint8Array([0xff, 0x00, 0x13, 0x37, 0x80, 0x81]))
    expect(garbage.status).toBe(400)
    expect(await garbage.json()).toEqual({ error: 'body is not valid JSON' })

    const truncated = await post('{"protected": "eyJlbmMiOi')
    expect(truncated.status).toBe(400)

    const notEnvelope = await post('{"@type": "https://didcomm.org/trust_ping/1.0/ping"}')
    expect(notEnvelope.status).toBe(400)
    expect(((await notEnvelope.json()) as { error: string }).error).toContain('"protected"')

    const noRecipients = await post(JSON.stringify({ protected: 'e30', iv: 'AA', ciphertext: 'AA', tag: 'AA' }))
    expect(noRecipients.status).toBe(400)
    expect(((await noRecipients.json()) as { error: string }).error).toContain('names no recipients')

    // Well-formed, but for a key no tenant here owns.
    const header = { enc: 'xchacha20poly1305_ietf', typ: 'JWM/1.0', alg: 'Anoncrypt', recipients: [{ encrypted_key: 'AA', header: { kid: '8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K' } }] }
    const forged = JSON.stringify({ protected: Buffer.from(JSON.stringify(header)).toString('base64url'), iv: 'AA', ciphertext: 'AA', tag: 'AA' })
    const forgedEnvelope = await post(forged)
    expect(forgedEnvelope.status).toBe(400)
    expect(((await forgedEnvelope.json()) as { error: string }).error).toMatch(/^message refused: Couldn't determine tenant id/)

    const tooMany = { ...header, recipients: Array.from({ length: 21 }, () => header.recipients[0]) }
    const crowded = await post(JSON.stringify({ protected: Buffer.from(JSON.stringify(tooMany)).toString('base64url'), iv: 'AA', ciphertext: 'AA', tag: 'AA' }))
    expect(crowded.status).toBe(400)

    const wrongType = await post('{}', 'text/plain')
    expect(wrongType.status).toBe(415)

    const wrongPath = await fetch(`${server.inboundUrl}/elsewhere`)
    expect(wrongPath.status).toBe(404)

    expect((await fetch(`${server.adminUrl}/status/live`)).status).toBe(200)
    expect((await post('still {not json')).status).toBe(400)
  })

  it('accepts WebSocket connections on the inbound port and survives garbage frames', async () => {
    const socket = new WebSocket(server.inboundUrl.replace('http', 'ws'))
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    socket.send('not json at all')
    socket.send(JSON.stringify({ protected: 'e30', iv: 'AA', ciphertext: 'AA', tag: 'AA' }))
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(socket.readyState).toBe(WebSocket.OPEN)
    socket.close()
    expect((await fetch(`${server.adminUrl}/status/live`)).status).toBe(200)
  })

  it('keeps a tenant and its data across restarts, and exits 0 on SIGTERM', async () => {
    expect(await server.stop()).toBe(0)

    // Create a tenant with a DID through the internal tenant service, against the same store.
    const config = loadConfig({ ...env, CREDENCE_INBOUND_PORT: '0', CREDENCE_LOG_LEVEL: 'error' })
    const secrets = resolveBootSecrets(config)
    const logger = createLogger('error')
    let handle = await createAgent(config, secrets, logger, [])
    const tenants = tenantService(handle.agent)
    const tenant = await tenants.create('Tenant A')
    const did = await tenants.withTenant(tenant.id, async (tenantAgent) => {
      const created = await tenantAgent.dids.create<KeyDidCreateOptions>({ method: 'key', options: { keyType: KeyType.Ed25519 } })
      return created.didState.did
    })
    expect(did).toMatch(/^did:key:z6Mk/)
    await handle.agent.shutdown()

    // The server process reopens the store with the tenant in it.
    server = await startServerProcess(env)
    expect((await fetch(`${server.adminUrl}/status/ready`)).status).toBe(200)
    expect(await server.stop()).toBe(0)

    handle = await createAgent(config, secrets, logger, [])
    const reopened = tenantService(handle.agent)
    expect((await reopened.get(tenant.id)).config.label).toBe('Tenant A')
    const dids = await reopened.withTenant(tenant.id, (tenantAgent) => tenantAgent.dids.getCreatedDids({ method: 'key' }))
    expect(dids.map((record) => record.did)).toEqual([did])
    await handle.agent.shutdown()

    server = await startServerProcess(env)
  })
})
