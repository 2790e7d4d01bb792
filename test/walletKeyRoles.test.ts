// The wallet-key guard over a real store: viewer keys read, every other role may also write; the
// admin key acts in the wallet its x-wallet-id header names. The guard is mounted on a probe route.
import express from 'express'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { notFoundError } from '../src/errors'
import { errorHandler } from '../src/http/errors'
import { requireWalletKey, principalOf } from '../src/http/auth'
import { authThrottle } from '../src/http/authThrottle'
import { requestContext } from '../src/http/requestContext'
import { createLogger } from '../src/logger'
import { apiKeyService } from '../src/services/apiKeys'
import { openSqliteStore, type Store } from '../src/store/db'
import { migrate } from '../src/store/migrations'
import { tempDataDir } from './helpers/backends'
import { call } from './helpers/http'

const ADMIN_KEY = 'a'.repeat(32)

describe('wallet-key roles', () => {
  let store: Store
  let server: http.Server
  let baseUrl: string
  const keys: Record<string, string> = {}

  beforeAll(async () => {
    store = openSqliteStore(path.join(tempDataDir(), 'roles.sqlite'))
    await migrate(store)
    const now = new Date().toISOString()
    await store.run(
      `INSERT INTO wallets (wallet_id, wallet_name, key_management_mode, wallet_type, webhook_urls, dispatch_type,
         extra_settings, created_at, updated_at) VALUES ('w', 'w', 'managed', 'askar', '[]', 'base', '{}', ?, ?)`,
      [now, now],
    )
    const apiKeys = apiKeyService({ store, hmacSecret: 'x'.repeat(32) })
    for (const role of ['viewer', 'technician', 'admin', 'super-admin'] as const) {
      keys[role] = (await apiKeys.create({ kind: 'base' }, { walletId: 'w', name: role, roles: [role] })).apiKey
    }
    const app = express()
    app.use(requestContext(createLogger('silent')))
    const walletExists = async (walletId: string) => {
      if (!(await store.get('SELECT wallet_id FROM wallets WHERE wallet_id = ?', [walletId]))) throw notFoundError(`Wallet ${walletId} not found`)
    }
    // Roles only: the throttle is off here (test/e2e/authThrottle.e2e.test.ts covers it).
    const noThrottle = authThrottle({ failuresPerMinute: 0, logger: createLogger('silent') })
    const guard = requireWalletKey(apiKeys, 'b'.repeat(32), ADMIN_KEY, walletExists, noThrottle)
    app.get('/probe', guard, (_req, res) => res.json({ wallet: principalOf(res).walletId }))
    app.post('/probe', guard, (_req, res) => res.json({ wallet: principalOf(res).walletId }))
    app.use(errorHandler(createLogger('silent')))
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server?.close()
    await store?.close()
  })

  it('lets every role read', async () => {
    for (const role of Object.keys(keys)) {
      expect((await call(baseUrl, 'GET', '/probe', { headers: { 'x-api-key': keys[role] } })).body).toEqual({ wallet: 'w' })
    }
  })

  it('refuses writes to viewer keys only', async () => {
    const viewer = await call(baseUrl, 'POST', '/probe', { headers: { 'x-api-key': keys.viewer }, body: {} })
    expect(viewer).toEqual({ status: 403, body: { error: 'API key roles (viewer) allow reading only' } })
    for (const role of ['technician', 'admin', 'super-admin']) {
      expect((await call(baseUrl, 'POST', '/probe', { headers: { 'x-api-key': keys[role] }, body: {} })).status).toBe(200)
    }
  })

  it('lets the admin key act in the wallet x-wallet-id names, and only with it', async () => {
    const asAdmin = (wallet?: string) => ({ 'x-api-key': ADMIN_KEY, ...(wallet ? { 'x-wallet-id': wallet } : {}) })
    expect((await call(baseUrl, 'POST', '/probe', { headers: asAdmin('w'), body: {} })).body).toEqual({ wallet: 'w' })
    expect(await call(baseUrl, 'GET', '/probe', { headers: asAdmin() })).toEqual({
      status: 400,
      body: { error: 'The admin key needs the x-wallet-id header naming the wallet to act in', field: 'x-wallet-id' },
    })
    expect((await call(baseUrl, 'GET', '/probe', { headers: asAdmin('elsewhere') })).status).toBe(404)
  })

  it('never lets a wallet key switch wallets with x-wallet-id', async () => {
    const response = await call(baseUrl, 'GET', '/probe', { headers: { 'x-api-key': keys.admin, 'x-wallet-id': 'elsewhere' } })
    expect(response.body).toEqual({ wallet: 'w' })
  })
})
