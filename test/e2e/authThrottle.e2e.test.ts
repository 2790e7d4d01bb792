// Authentication hardening over real HTTP against the server process: failed authentications
// throttled per source address and per credential prefix (CREDENCE_AUTH_FAILURES_PER_MINUTE),
// without ever refusing a valid credential from an address that is not itself throttled; and
// tenant tokens that expire (CREDENCE_TENANT_TOKEN_TTL), including tokens minted before it was set.
// Source addresses are different loopback addresses (127.0.0.x), all of which reach 127.0.0.1.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { waitFor } from '../helpers/waitFor'

interface Answer {
  status: number
  retryAfter?: string
  body: any
}

/** One GET from the given local address, so the server sees that address as the source. */
function getFrom(from: string, baseUrl: string, pathname: string, headers: Record<string, string>): Promise<Answer> {
  const url = new URL(pathname, baseUrl)
  return new Promise((resolve, reject) => {
    const request = http.get({ host: url.hostname, port: url.port, path: url.pathname, headers, localAddress: from, agent: false }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () => {
        const retryAfter = response.headers['retry-after']
        resolve({ status: response.statusCode!, body: text ? JSON.parse(text) : undefined, ...(retryAfter ? { retryAfter } : {}) })
      })
    })
    request.on('error', reject)
  })
}

/** The same credential with its last characters changed: the same prefix, and wrong. */
const lookAlike = (credential: string, n: number) => `${credential.slice(0, -4)}${String(n).padStart(4, 'z')}`

const LIMIT = 5

describe('failed authentications are throttled', () => {
  let env: Record<string, string>
  let server: ServerProcess
  let adminKey: string
  let baseKey: string
  let walletKey: string
  let token: string

  beforeAll(async () => {
    env = { ...sqlite.env(tempDataDir()), CREDENCE_AUTH_FAILURES_PER_MINUTE: String(LIMIT) }
    server = await startServerProcess(env)
    adminKey = adminKeyOf(env)
    baseKey = fs.readFileSync(path.join(env.CREDENCE_DATA_DIR, 'secrets', 'base-api-key'), 'utf8').trim()
    const created = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: { 'x-api-key': adminKey }, body: { wallet_name: 'throttled' } })
    expect(created.status).toBe(200)
    token = created.body.token
    const key = await call(server.adminUrl, 'POST', '/api/apikey/create', {
      headers: { 'x-api-key': baseKey },
      body: { wallet_id: created.body.wallet_id, name: 'ops', roles: ['admin'] },
    })
    expect(key.status).toBe(200)
    walletKey = key.body.api_key
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('after the limit, an address gets 429 with Retry-After on every guard, valid credentials included; other addresses are not slowed', async () => {
    const from = '127.0.0.2'
    // Wrong credentials of every kind count alike.
    const wrong: [string, Record<string, string>][] = [
      ['/status', { 'x-api-key': 'not-the-admin-key-000' }],
      ['/settings', { authorization: 'Bearer not.a.token' }],
      ['/api/v1/connections', { 'x-api-key': 'cred_notakeyatall0000000000' }],
      ['/api/subwallets', { 'x-api-key': 'not-the-base-key-0000' }],
      ['/api/apikeys', { 'x-api-key': 'cred_notakeyeither000000000' }],
    ]
    expect(wrong).toHaveLength(LIMIT)
    for (const [pathname, headers] of wrong) {
      const answer = await getFrom(from, server.adminUrl, pathname, headers)
      expect(answer.status, pathname).toBe(401)
      expect(answer.retryAfter).toBeUndefined()
    }

    const throttled = await getFrom(from, server.adminUrl, '/status', { 'x-api-key': 'not-the-admin-key-001' })
    expect(throttled.status).toBe(429)
    expect(throttled.body).toEqual({ error: 'Too many failed authentications; try again later' })
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(60)
    // The address is refused before its credential is looked at, so a correct guess gains nothing.
    for (const [pathname, headers] of [
      ['/status', { 'x-api-key': adminKey }],
      ['/settings', { authorization: `Bearer ${token}` }],
      ['/api/v1/connections', { 'x-api-key': walletKey }],
    ] as const) {
      expect((await getFrom(from, server.adminUrl, pathname, headers)).status, pathname).toBe(429)
    }
    // Open routes stay open.
    expect((await getFrom(from, server.adminUrl, '/status/live', {})).status).toBe(200)

    // Elsewhere, the same valid credentials pass, and wrong ones still get a plain 401.
    const elsewhere = '127.0.0.3'
    expect((await getFrom(elsewhere, server.adminUrl, '/status', { 'x-api-key': adminKey })).status).toBe(200)
    expect((await getFrom(elsewhere, server.adminUrl, '/settings', { authorization: `Bearer ${token}` })).status).toBe(200)
    expect((await getFrom(elsewhere, server.adminUrl, '/api/v1/connections', { 'x-api-key': walletKey })).status).toBe(200)
    expect((await getFrom(elsewhere, server.adminUrl, '/status', { 'x-api-key': 'not-the-admin-key-002' })).status).toBe(401)

    // One log line for the throttled address, however many requests it sent since.
    const lines = await waitFor('the throttle log line', async () => {
      const found = server
        .output()
        .split('\n')
        .filter((line) => line.includes('authentication failures from this address throttled') && line.includes(`"address":"${from}"`))
      return found.length > 0 ? found : undefined
    }, 10_000)
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0])).toMatchObject({ level: 40, address: from, failures: LIMIT, windowSeconds: 60 })
  })

  it('successful requests are never counted', async () => {
    const from = '127.0.0.4'
    for (let i = 0; i < LIMIT * 3; i++) {
      expect((await getFrom(from, server.adminUrl, '/status', { 'x-api-key': adminKey })).status).toBe(200)
    }
    expect((await getFrom(from, server.adminUrl, '/status', { 'x-api-key': 'not-the-admin-key-003' })).status).toBe(401)
  })

  it('failures of one prefix from many addresses throttle that prefix, but never the valid credential that has it', async () => {
    for (const [name, valid, headersOf] of [
      ['wallet key', walletKey, (credential: string) => ({ 'x-api-key': credential })],
      ['tenant token', token, (credential: string) => ({ authorization: `Bearer ${credential}` })],
    ] as const) {
      const pathname = name === 'wallet key' ? '/api/v1/connections' : '/settings'
      const base = name === 'wallet key' ? 10 : 30
      // One failure per address: no address comes near its own limit.
      for (let i = 0; i < LIMIT; i++) {
        const answer = await getFrom(`127.0.0.${base + i}`, server.adminUrl, pathname, headersOf(lookAlike(valid, i)))
        expect(answer.status, `${name} look-alike ${i}`).toBe(401)
      }
      const fresh = `127.0.0.${base + LIMIT}`
      const refused = await getFrom(fresh, server.adminUrl, pathname, headersOf(lookAlike(valid, 99)))
      expect(refused.status, `${name}: a further look-alike`).toBe(429)
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1)
      // The credential itself verifies, so its throttled prefix does not stop it, from anywhere.
      expect((await getFrom(fresh, server.adminUrl, pathname, headersOf(valid))).status, `${name}: the valid one`).toBe(200)
      expect((await getFrom(`127.0.0.${base + LIMIT + 1}`, server.adminUrl, pathname, headersOf(valid))).status).toBe(200)
    }
    // A credential with another prefix is not affected.
    expect((await getFrom('127.0.0.50', server.adminUrl, '/api/v1/connections', { 'x-api-key': 'cred_otherprefix000000000' })).status).toBe(401)

    // The prefix is logged only as a keyed hash, never as the credential or its start.
    const output = server.output()
    expect(output).toContain('authentication failures for this credential prefix throttled')
    // (The admin and base keys are printed once at a development boot, so they are not checked here.)
    for (const secret of [walletKey, token]) expect(output).not.toContain(secret)
    expect(output).not.toContain(walletKey.slice(0, 13))
    expect(output).not.toContain(token.split('.')[2].slice(0, 8))
  })
})

describe('tenant tokens with a TTL', () => {
  const TTL = 5
  let env: Record<string, string>
  let server: ServerProcess | undefined
  const admin = () => ({ 'x-api-key': adminKeyOf(env) })
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))
  const settingsWith = (token: string) => call(server!.adminUrl, 'GET', '/settings', { headers: { authorization: `Bearer ${token}` } })

  afterAll(async () => {
    await server?.stop()
  })

  it('a token minted without exp expires by its age once a TTL is set; new tokens carry exp and expire', async () => {
    // Without a TTL (the default), tokens carry no exp, as ACA-Py's.
    env = sqlite.env(tempDataDir())
    server = await startServerProcess(env)
    const created = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin(), body: { wallet_name: 'expiring' } })
    const walletId = created.body.wallet_id
    const old = created.body.token
    expect(claimsOf(old)).toEqual({ wallet_id: walletId, iat: expect.any(Number) })
    await server.stop()

    // Same store, now with a TTL: the old token is judged by its iat.
    server = await startServerProcess({ ...server.env, CREDENCE_TENANT_TOKEN_TTL: String(TTL) } as Record<string, string>)
    await waitFor('the old token to be older than the TTL', async () => (Date.now() / 1000 >= claimsOf(old).iat + TTL ? true : undefined), 30_000)
    expect(await settingsWith(old)).toEqual({ status: 401, body: { error: 'Authorization token expired' } })

    const minted = await call(server.adminUrl, 'POST', `/multitenancy/wallet/${walletId}/token`, { headers: admin(), body: {} })
    const fresh = minted.body.token
    const claims = claimsOf(fresh)
    expect(claims).toEqual({ wallet_id: walletId, iat: expect.any(Number), exp: claims.iat + TTL })
    expect((await settingsWith(fresh)).status).toBe(200)
    await waitFor('the new token to pass its exp', async () => (Date.now() / 1000 >= claims.exp ? true : undefined), 30_000)
    expect(await settingsWith(fresh)).toEqual({ status: 401, body: { error: 'Authorization token expired' } })

    // Wallets created under a TTL get an exp as well.
    const second = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin(), body: { wallet_name: 'expiring-two' } })
    expect(claimsOf(second.body.token).exp).toBe(claimsOf(second.body.token).iat + TTL)
    expect((await settingsWith(second.body.token)).status).toBe(200)
  })
})
