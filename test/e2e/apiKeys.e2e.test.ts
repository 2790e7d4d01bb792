// Proven-style tenancy over real HTTP on both backends: subwallets with the base key, wallet API
// keys with roles (HMAC-stored, shown once), expiry and revocation on the next request, and
// /api/v1/connections as the first route on that auth layer.
import fs from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { Database } from 'node-sqlite3-wasm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { waitFor } from '../helpers/waitFor'

describe.each(BACKENDS)('Proven API keys on $name', (backend) => {
  let env: Record<string, string>
  let server: ServerProcess
  let base: Record<string, string>
  const api = (method: string, p: string, options?: Parameters<typeof call>[3]) => call(server.adminUrl, method, p, options)
  const key = (value: string) => ({ 'x-api-key': value })

  async function subwallet(name: string): Promise<string> {
    const created = await api('POST', '/api/subwallet/create', { headers: base, body: { wallet_name: name, label: name } })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({ wallet_id: expect.any(String), token: expect.any(String) })
    return created.body.wallet_id
  }

  async function apiKey(headers: Record<string, string>, body: Record<string, unknown>) {
    return api('POST', '/api/apikey/create', { headers, body })
  }

  async function storedKeyColumns(): Promise<string> {
    if (env.CREDENCE_DATABASE_URL) {
      const client = new Client({ connectionString: env.CREDENCE_DATABASE_URL })
      await client.connect()
      try {
        return JSON.stringify((await client.query('SELECT * FROM credence.api_keys')).rows)
      } finally {
        await client.end()
      }
    }
    // The server holds the SQLite file locked while it runs: read it between a stop and a start.
    await server.stop()
    try {
      const db = new Database(path.join(env.CREDENCE_DATA_DIR, 'credence.sqlite'), { readOnly: true })
      try {
        db.exec('PRAGMA locking_mode = EXCLUSIVE')
        return JSON.stringify(db.all('SELECT * FROM api_keys'))
      } finally {
        db.close()
      }
    } finally {
      server = await startServerProcess(env)
    }
  }

  beforeAll(async () => {
    env = backend.env(tempDataDir())
    server = await startServerProcess(env)
    base = key(fs.readFileSync(path.join(env.CREDENCE_DATA_DIR, 'secrets', 'base-api-key'), 'utf8').trim())
  })

  afterAll(async () => {
    await server?.stop()
    await backend.cleanup(env)
  })

  it('creates and lists subwallets with the base key only', async () => {
    const walletId = await subwallet('proven-one')
    const list = await api('GET', '/api/subwallets', { headers: base })
    expect(list.status).toBe(200)
    expect(list.body.rows.map((w: any) => w.wallet_name)).toContain('proven-one')
    const one = await api('GET', `/api/subwallets/${walletId}`, { headers: base })
    expect(one.body).toMatchObject({ wallet_id: walletId, wallet_name: 'proven-one', label: 'proven-one' })

    expect((await api('GET', '/api/subwallets')).status).toBe(401)
    expect((await api('GET', '/api/subwallets', { headers: key('nope') })).body).toEqual({ error: 'Base API key invalid or missing' })
    const dup = await api('POST', '/api/subwallet/create', { headers: base, body: { wallet_name: 'proven-one' } })
    expect(dup).toEqual({ status: 409, body: { error: 'A wallet named "proven-one" already exists', field: 'wallet_name' } })
  })

  it('mints a 256-bit key shown once, stored only as its HMAC, that selects its wallet', async () => {
    const walletId = await subwallet('keyed')
    const created = await apiKey(base, { wallet_id: walletId, name: 'ops', roles: ['technician'] })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({
      api_key: expect.stringMatching(/^cred_[A-Za-z0-9_-]{43}$/),
      key_id: expect.any(String),
      wallet_id: walletId,
      name: 'ops',
      roles: ['technician'],
      status: 'active',
      expires_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    })
    expect(Buffer.from(created.body.api_key.slice(5), 'base64url')).toHaveLength(32)
    const stored = await storedKeyColumns()
    expect(stored).not.toContain(created.body.api_key)
    expect(stored).not.toContain(created.body.api_key.slice(5))

    const connections = await api('GET', '/api/v1/connections', { headers: key(created.body.api_key) })
    expect(connections.status).toBe(200)
    expect(connections.body).toEqual({
      params: { sort: [[['updated_at', 'DESC']]], pageSize: '10', currentPage: 1, pageCount: 0, itemCount: 0 },
      rows: [],
      count: 0,
    })
    const sorted = await api('GET', '/api/v1/connections?sort-field=contact_id&sort-direction=ASC&page-size=5&current-page=2', {
      headers: key(created.body.api_key),
    })
    expect(sorted.body.params).toEqual({ sort: [[['contact_id', 'ASC']]], pageSize: '5', currentPage: 2, pageCount: 0, itemCount: 0 })
    const badSort = await api('GET', '/api/v1/connections?sort-field=secret', { headers: key(created.body.api_key) })
    expect(badSort.status).toBe(400)
    expect(badSort.body.error).toMatch(/^sort-field must be one of: connection_id, /)
    expect((await api('GET', '/api/v1/connections?page-size=0', { headers: key(created.body.api_key) })).body.field).toBe('page-size')

    // The request's log line carries its wallet; the secret never reaches the log.
    const requestLines = server
      .output()
      .split('\n')
      .filter((line) => line.includes('"path":"/api/v1/connections"'))
      .map((line) => JSON.parse(line))
    expect(requestLines.length).toBeGreaterThan(0)
    expect(requestLines.every((line) => line.walletId === walletId)).toBe(true)
    expect(server.output()).not.toContain(created.body.api_key)
  })

  it('refuses missing, malformed, expired and revoked keys with 401 and a reason', async () => {
    const walletId = await subwallet('refusals')
    expect((await api('GET', '/api/v1/connections')).body).toEqual({ error: 'API key missing' })
    expect((await api('GET', '/api/v1/connections', { headers: key('cred_not-a-real-key') })).body).toEqual({ error: 'API key invalid' })
    const baseOnWallet = await api('GET', '/api/v1/connections', { headers: base })
    expect(baseOnWallet.status).toBe(403)

    const soon = new Date(Date.now() + 1500).toISOString()
    const expiring = await apiKey(base, { wallet_id: walletId, name: 'short', roles: ['viewer'], expires_at: soon })
    expect(expiring.status).toBe(200)
    expect((await api('GET', '/api/v1/connections', { headers: key(expiring.body.api_key) })).status).toBe(200)
    const expired = await waitFor('the key to expire', async () => {
      const response = await api('GET', '/api/v1/connections', { headers: key(expiring.body.api_key) })
      return response.status === 401 ? response : undefined
    }, 10_000)
    expect(expired.body).toEqual({ error: 'API key expired' })

    const past = await apiKey(base, { wallet_id: walletId, name: 'past', roles: ['viewer'], expires_at: '2020-01-01T00:00:00Z' })
    expect(past).toMatchObject({ status: 422, body: { field: 'expires_at' } })

    const revocable = await apiKey(base, { wallet_id: walletId, name: 'revocable', roles: ['technician'] })
    const byKeyId = await apiKey(base, { wallet_id: walletId, name: 'by-id', roles: ['technician'] })
    const revoked = await api('POST', '/api/apikey/revoke', { headers: base, body: { wallet_id: walletId, name: 'revocable' } })
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ name: 'revocable', status: 'revoked' })
    expect(revoked.body).not.toHaveProperty('api_key')
    expect((await api('GET', '/api/v1/connections', { headers: key(revocable.body.api_key) })).body).toEqual({ error: 'API key revoked' })
    const revokedById = await api('POST', '/api/apikey/revoke', {
      headers: base,
      body: { wallet_id: walletId, key_id: byKeyId.body.key_id },
    })
    expect(revokedById.body.status).toBe('revoked')
    expect((await api('GET', '/api/v1/connections', { headers: key(byKeyId.body.api_key) })).status).toBe(401)
  })

  it('enforces roles: super-admin anywhere, admin in its wallet within its roles, others nothing', async () => {
    const home = await subwallet('home')
    const other = await subwallet('other')
    const superAdmin = (await apiKey(base, { wallet_id: home, name: 'root', roles: ['super-admin'] })).body.api_key
    const admin = (await apiKey(base, { wallet_id: home, name: 'boss', roles: ['admin', 'technician'] })).body.api_key
    const technician = (await apiKey(base, { wallet_id: home, name: 'tech', roles: ['technician'] })).body.api_key

    // super-admin: any wallet, any roles.
    expect((await apiKey(key(superAdmin), { wallet_id: other, name: 'from-root', roles: ['super-admin', 'viewer'] })).status).toBe(200)
    // admin: own wallet, roles on the ladder at or below its own (a weaker role it does not hold too).
    expect((await apiKey(key(admin), { wallet_id: home, name: 'from-boss', roles: ['technician'] })).status).toBe(200)
    expect((await apiKey(key(admin), { wallet_id: home, name: 'boss-viewer', roles: ['viewer'] })).status).toBe(200)
    expect((await apiKey(key(admin), { wallet_id: home, name: 'boss-peer', roles: ['admin'] })).status).toBe(200)
    const escalate = await apiKey(key(admin), { wallet_id: home, name: 'escalate', roles: ['super-admin'] })
    expect(escalate).toEqual({ status: 403, body: { error: 'An admin key cannot grant roles it does not have: super-admin' } })
    const elsewhere = await apiKey(key(admin), { wallet_id: other, name: 'elsewhere', roles: ['technician'] })
    expect(elsewhere).toEqual({ status: 403, body: { error: 'An admin key manages keys of its own wallet only' } })
    // technician: no key management at all.
    const tech = await apiKey(key(technician), { wallet_id: home, name: 'nope', roles: ['technician'] })
    expect(tech.status).toBe(403)
    const techRevoke = await api('POST', '/api/apikey/revoke', { headers: key(technician), body: { wallet_id: home, name: 'boss' } })
    expect(techRevoke.status).toBe(403)
    // Refused attempts created nothing.
    expect((await apiKey(base, { wallet_id: home, name: 'escalate', roles: ['viewer'] })).status).toBe(200)
  })

  it('validates key requests naming the field', async () => {
    const walletId = await subwallet('validation')
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'x', roles: ['viewer'] }, 422, 'wallet_id'],
      [{ wallet_id: walletId, roles: ['viewer'] }, 422, 'name'],
      [{ wallet_id: walletId, name: 'x', roles: [] }, 422, 'roles'],
      [{ wallet_id: walletId, name: 'x', roles: ['wizard'] }, 422, 'roles.0'],
      [{ wallet_id: walletId, name: 'x', roles: ['viewer'], expires_at: 'tomorrow' }, 422, 'expires_at'],
    ]
    for (const [body, status, field] of cases) {
      const response = await apiKey(base, body)
      expect({ body, status: response.status, field: response.body.field }).toEqual({ body, status, field })
    }
    expect((await apiKey(base, { wallet_id: walletId, name: 'same', roles: ['viewer'] })).status).toBe(200)
    expect(await apiKey(base, { wallet_id: walletId, name: 'same', roles: ['viewer'] })).toEqual({
      status: 409,
      body: { error: 'An API key named "same" already exists in this wallet', field: 'name' },
    })
    const unknownWallet = await apiKey(base, { wallet_id: '00000000-0000-4000-8000-000000000000', name: 'x', roles: ['viewer'] })
    expect(unknownWallet.status).toBe(404)
    const revokeNeither = await api('POST', '/api/apikey/revoke', { headers: base, body: { wallet_id: walletId } })
    expect(revokeNeither).toMatchObject({ status: 422, body: { field: 'name' } })
  })

  it('deleting a wallet removes its keys', async () => {
    const walletId = await subwallet('short-lived')
    const created = await apiKey(base, { wallet_id: walletId, name: 'k', roles: ['technician'] })
    const admin = { 'x-api-key': fs.readFileSync(path.join(env.CREDENCE_DATA_DIR, 'secrets', 'admin-api-key'), 'utf8').trim() }
    expect((await api('DELETE', `/multitenancy/wallet/${walletId}`, { headers: admin })).status).toBe(200)
    expect((await api('GET', '/api/v1/connections', { headers: key(created.body.api_key) })).body).toEqual({ error: 'API key invalid' })
    expect(await storedKeyColumns()).not.toContain(walletId)
  })
})
