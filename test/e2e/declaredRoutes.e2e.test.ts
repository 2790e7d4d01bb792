// Routes declared as data (src/http/route.ts) answer what they declare: each is called on a real
// server and its answer parsed with the declaration's own response schema, the one the OpenAPI
// document publishes. A declared route without a call here fails the test, so a room moved to
// declarations brings its calls along.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import express from 'express'

import { createApp } from '../../src/app'
import { routeListingDeps } from '../../src/http/openapi'
import { listRoutes } from '../../src/http/routeTable'
import { sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'

/** Declared routes that cannot answer here, and why. */
const NOT_CALLED: Record<string, string> = {
  'POST /did/cheqd/create': 'writes to a cheqd network, which tests do not reach (README "What was verified how")',
}

/** The calls, in order (later ones use what earlier ones made); `path` may use the context. */
type Context = { webDid?: string; keyDid?: string }
const CALLS: Array<{ route: string; path?: (context: Context) => string; body?: unknown; keep?: (body: any, context: Context) => void }> = [
  { route: 'POST /wallet/did/create', body: { method: 'key' }, keep: (body, context) => (context.keyDid = body.result.did) },
  { route: 'POST /wallet/did/create', body: { method: 'web' }, keep: (body, context) => (context.webDid = body.result.did) },
  { route: 'GET /wallet/did/public' },
  { route: 'POST /wallet/did/public', path: (context) => `/wallet/did/public?did=${encodeURIComponent(context.webDid!)}` },
  { route: 'GET /wallet/did/public' },
  { route: 'GET /wallet/did', path: () => '/wallet/did?method=web' },
  { route: 'GET /settings' },
  { route: 'PUT /settings', body: { extra_settings: { ACAPY_AUTO_ACCEPT_INVITES: true } } },
  { route: 'GET /resolver/resolve/:did', path: (context) => `/resolver/resolve/${encodeURIComponent(context.keyDid!)}` },
  { route: 'GET /discover-features-2.0/queries', path: () => '/discover-features-2.0/queries?query_protocol=https://didcomm.org/*' },
  { route: 'GET /discover-features-2.0/records' },
  { route: 'POST /jsonld/contexts', body: { url: 'https://example.com/declared/v1', context: { '@context': { name: 'https://schema.org/name' } } } },
  { route: 'GET /jsonld/contexts' },
  { route: 'DELETE /jsonld/contexts', path: () => `/jsonld/contexts?url=${encodeURIComponent('https://example.com/declared/v1')}` },
]

const declared = listRoutes(createApp(routeListingDeps('test')) as express.Express).filter((entry) => entry.declaration)

describe('routes declared as data', () => {
  let server: ServerProcess
  let tenant: TestTenant
  const dataDir = tempDataDir()

  beforeAll(async () => {
    server = await startServerProcess(sqlite.env(dataDir))
    tenant = await createTenant(server, 'Declared')
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
    const context: Context = {}
    for (const call of CALLS) {
      const entry = declared.find((candidate) => `${candidate.method} ${candidate.path}` === call.route)
      expect(entry, call.route).toBeDefined()
      const path = call.path ? call.path(context) : entry!.path
      const { status, body } = await tenant.api(entry!.method, path, call.body === undefined ? {} : { body: call.body })
      expect(status, `${call.route}: ${JSON.stringify(body)}`).toBe(200)
      const parsed = entry!.declaration!.response.safeParse(body)
      expect(parsed.success, `${call.route} answered ${JSON.stringify(body)}: ${parsed.success ? '' : parsed.error.message}`).toBe(true)
      call.keep?.(body, context)
    }
  })
})
