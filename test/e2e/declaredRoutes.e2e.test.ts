// Routes declared as data (src/http/route.ts) answer what they declare: each is called on a real
// server and its answer parsed with the declaration's own response schema, the one the OpenAPI
// document publishes. A declared route without a call here fails the test, so a room moved to
// declarations brings its calls along.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import express from 'express'

import { createApp } from '../../src/app'
import { routeListingDeps } from '../../src/http/openapi'
import { listRoutes } from '../../src/http/routeTable'
import { sqlite, tempDataDir } from '../helpers/backends'
import { call as callServer } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'

/** Declared routes that cannot answer here, and why. */
const NOT_CALLED: Record<string, string> = {
  'POST /did/cheqd/create': 'writes to a cheqd network, which tests do not reach (README "What was verified how")',
  'POST /api/v1/emails/verify': 'needs an SMTP server; controllerRequests.e2e runs one and checks the answer',
}

/** The calls, in order (later ones use what earlier ones made); `path` may use the context. */
type Context = { webDid?: string; keyDid?: string; subwallet?: string; connection?: string; message?: number; wallet?: string }
type Call = {
  route: string
  /** Whose credential: the tenant's bearer token (default), the admin key, the base key, or an API key of the tenant's wallet. */
  as?: 'tenant' | 'admin' | 'base' | 'walletKey'
  path?: (context: Context) => string
  body?: (context: Context) => unknown
  keep?: (body: any, context: Context) => void
}
const CALLS: Call[] = [
  { route: 'POST /wallet/did/create', body: () => ({ method: 'key' }), keep: (body, context) => (context.keyDid = body.result.did) },
  { route: 'POST /wallet/did/create', body: () => ({ method: 'web' }), keep: (body, context) => (context.webDid = body.result.did) },
  { route: 'GET /wallet/did/public' },
  { route: 'POST /wallet/did/public', path: (context) => `/wallet/did/public?did=${encodeURIComponent(context.webDid!)}` },
  { route: 'GET /wallet/did/public' },
  { route: 'GET /wallet/did', path: () => '/wallet/did?method=web' },
  { route: 'GET /settings' },
  { route: 'PUT /settings', body: () => ({ extra_settings: { ACAPY_AUTO_ACCEPT_INVITES: true } }) },
  { route: 'GET /resolver/resolve/:did', path: (context) => `/resolver/resolve/${encodeURIComponent(context.keyDid!)}` },
  { route: 'GET /discover-features-2.0/queries', path: () => '/discover-features-2.0/queries?query_protocol=https://didcomm.org/*' },
  { route: 'GET /discover-features-2.0/records' },
  { route: 'POST /jsonld/contexts', body: () => ({ url: 'https://example.com/declared/v1', context: { '@context': { name: 'https://schema.org/name' } } }) },
  { route: 'GET /jsonld/contexts' },
  { route: 'DELETE /jsonld/contexts', path: () => `/jsonld/contexts?url=${encodeURIComponent('https://example.com/declared/v1')}` },
  {
    route: 'POST /api/subwallet/create',
    as: 'base',
    body: () => ({ wallet_name: 'declared-sub', label: 'Sub' }),
    keep: (body, context) => (context.subwallet = body.wallet_id),
  },
  { route: 'GET /api/subwallets', as: 'base' },
  { route: 'GET /api/subwallets/:wallet_id', as: 'base', path: (context) => `/api/subwallets/${context.subwallet}` },
  { route: 'POST /api/apikey/create', as: 'base', body: (context) => ({ wallet_id: context.subwallet, name: 'ops', roles: ['admin'] }) },
  { route: 'GET /api/apikeys', as: 'base', path: (context) => `/api/apikeys?wallet_id=${context.subwallet}` },
  { route: 'POST /api/apikey/revoke', as: 'base', body: (context) => ({ wallet_id: context.subwallet, name: 'ops' }) },
  { route: 'GET /api/v1/connections', as: 'walletKey' },
  { route: 'GET /api/v1/connections/:connection_id', as: 'walletKey', path: (context) => `/api/v1/connections/${context.connection}` },
  {
    route: 'POST /api/v1/messages',
    as: 'walletKey',
    body: (context) => ({ connection_id: context.connection, message: 'hello' }),
    keep: (body, context) => (context.message = body.id),
  },
  { route: 'GET /api/v1/messages', as: 'walletKey' },
  { route: 'GET /api/v1/messages/:id', as: 'walletKey', path: (context) => `/api/v1/messages/${context.message}` },
  ...(['POST /multitenancy/wallet/:wallet_id/remove', 'DELETE /multitenancy/wallet/:wallet_id'] as const).flatMap((removal, index): Call[] => [
    {
      route: 'POST /multitenancy/wallet',
      as: 'admin',
      body: () => ({ wallet_name: `declared-${index}`, label: 'MT' }),
      keep: (body, context) => (context.wallet = body.wallet_id),
    },
    { route: 'GET /multitenancy/wallets', as: 'admin' },
    { route: 'GET /multitenancy/wallet/:wallet_id', as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}` },
    { route: 'PUT /multitenancy/wallet/:wallet_id', as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}`, body: () => ({ label: 'MT 2' }) },
    { route: 'POST /multitenancy/wallet/:wallet_id/token', as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}/token`, body: () => ({}) },
    { route: removal, as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}${removal.startsWith('POST') ? '/remove' : ''}`, body: () => ({}) },
  ]),
]

const declared = listRoutes(createApp(routeListingDeps('test')) as express.Express).filter((entry) => entry.declaration)

describe('routes declared as data', () => {
  let server: ServerProcess
  let tenant: TestTenant
  const keys = { admin: '', base: '', walletKey: '' }
  const context: Context = {}
  const dataDir = tempDataDir()

  beforeAll(async () => {
    server = await startServerProcess(sqlite.env(dataDir))
    tenant = await createTenant(server, 'Declared')
    keys.admin = fs.readFileSync(path.join(dataDir, 'secrets', 'admin-api-key'), 'utf8').trim()
    keys.base = fs.readFileSync(path.join(dataDir, 'secrets', 'base-api-key'), 'utf8').trim()
    const minted = await callServer(server.adminUrl, 'POST', '/api/apikey/create', {
      headers: { 'x-api-key': keys.base },
      body: { wallet_id: tenant.walletId, name: 'declared', roles: ['admin'] },
    })
    keys.walletKey = minted.body.api_key
    // A connection for the routes that show one.
    context.connection = (await connectTenants(tenant, await createTenant(server, 'Peer'))).inviterConnection
  }, 60_000)

  afterAll(async () => {
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('are each called below, or say why they cannot be', () => {
    expect(declared.length).toBeGreaterThan(0)
    const called = new Set([...CALLS.map((call) => call.route), ...Object.keys(NOT_CALLED)])
    expect(declared.map((entry) => `${entry.method} ${entry.path}`).filter((route) => !called.has(route))).toEqual([])
  })

  it('answer what their response schema declares', async () => {
    for (const call of CALLS) {
      const entry = declared.find((candidate) => `${candidate.method} ${candidate.path}` === call.route)
      expect(entry, call.route).toBeDefined()
      const target = call.path ? call.path(context) : entry!.path
      const options = call.body === undefined ? {} : { body: call.body(context) }
      const { status, body } =
        call.as === undefined || call.as === 'tenant'
          ? await tenant.api(entry!.method, target, options)
          : await callServer(server.adminUrl, entry!.method, target, { ...options, headers: { 'x-api-key': keys[call.as] } })
      expect(status, `${call.route}: ${JSON.stringify(body)}`).toBe(200)
      const parsed = entry!.declaration!.response.safeParse(body)
      expect(parsed.success, `${call.route} answered ${JSON.stringify(body)}: ${parsed.success ? '' : parsed.error.message}`).toBe(true)
      call.keep?.(body, context)
    }
  })
})
