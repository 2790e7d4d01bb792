// The committed openapi.json is the document of the routes the app registers, and the app serves
// it (and Swagger UI) at /api/doc. The app is built with no agent: only its route table is read,
// and the served routes touch no service.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'

import { createApp } from '../src/app'
import { buildOpenApiDocument, requestDescriptions, routeListingDeps } from '../src/http/openapi'
import { listRoutes } from '../src/http/routeTable'
import { version } from '../src/version'

const app = createApp(routeListingDeps(version))
/** The document as JSON carries it (no undefined members), as openapi.json and the server hold it. */
const generated = () =>
  JSON.parse(JSON.stringify(buildOpenApiDocument(listRoutes(app), { version, requestSchemas: requestDescriptions() })))

describe('OpenAPI document', () => {
  it('openapi.json is the document of the registered routes', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'openapi.json'), 'utf8'))
    expect(committed, 'openapi.json disagrees with the registered routes: run `npm run docs:openapi`').toEqual(generated())
  })

  it('has every registered route, with its path parameters, security and face tag', () => {
    const document = generated()
    for (const route of listRoutes(app)) {
      const operation = document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()]
      expect(operation, `${route.method} ${route.path}`).toBeDefined()
      expect(operation.security).toEqual(route.auth ? [{ [route.auth]: [] }] : [])
      expect(operation.tags[0]).toMatch(/^(ACA-Py|Controller): |^Documentation$/)
    }
    const getConnection = document.paths['/connections/{conn_id}'].get
    expect(getConnection.tags).toEqual(['ACA-Py: connections'])
    expect(getConnection.parameters).toEqual([{ name: 'conn_id', in: 'path', required: true, schema: { type: 'string' } }])
    expect(getConnection.responses[404]).toEqual({ $ref: '#/components/responses/NotFound' })
    expect(document.paths['/api/v1/connections'].get.tags).toEqual(['Controller: connections'])
    expect(document.components.securitySchemes['tenant-token']).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(document.components.securitySchemes['wallet-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' })
  })

  it('shows the request schemas a route is described with', () => {
    const thing = {
      query: z.object({ dry_run: z.coerce.boolean().optional() }),
      body: z.object({ name: z.string(), tags: z.array(z.string()).default([]) }),
    }
    const route = { method: 'POST', path: '/things/:thing_id', auth: 'tenant-token' as const }
    const document = buildOpenApiDocument([route], { version, requestSchemas: new Map([['POST /things/:thing_id', thing]]) })
    const operation = document.paths['/things/{thing_id}'].post
    expect(operation.parameters).toEqual([
      { name: 'thing_id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'dry_run', in: 'query', required: false, schema: { type: 'boolean' } },
    ])
    expect(operation.requestBody?.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    })
  })
})

describe('GET /api/doc', () => {
  const server = http.createServer(app)
  let baseUrl: string

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('serves Swagger UI, open, with its assets', async () => {
    const page = await fetch(`${baseUrl}/api/doc`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await page.text()).toContain("url: '/api/doc/openapi.json'")
    const bundle = await fetch(`${baseUrl}/api/doc/assets/swagger-ui-bundle.js`)
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toMatch(/javascript/)
    await bundle.arrayBuffer()
  })

  it('serves the document of this app, open', async () => {
    const response = await fetch(`${baseUrl}/api/doc/openapi.json`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(generated())
  })
})
