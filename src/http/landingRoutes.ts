// GET / on the admin port: where a newcomer's browser lands first. It points at what there is to
// open (the console, the API documentation, the status routes) and holds no data, so it is open
// like /api/doc. ACA-Py redirects / to its API docs; a page with both links serves people better,
// and clients asking for JSON get the same links as JSON.
import { z } from 'zod'

import { CONSOLE_PATH } from './consoleRoutes'
import { Reply, route } from './route'
import type { RoomDeps } from './roomDeps'

const LINKS = [
  { path: CONSOLE_PATH, title: 'Web console', note: 'connections, invitations, issuing and verifying, from a browser' },
  { path: '/api/doc', title: 'API documentation', note: 'both faces: the ACA-Py admin API and the controller API under /api/v1' },
  { path: '/api/doc/openapi.json', title: 'OpenAPI document', note: 'for generated clients' },
  { path: '/status/live', title: 'Liveness', note: 'open' },
  { path: '/status/ready', title: 'Readiness', note: 'open' },
] as const

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const landing = z.object({ name: z.literal('Credence'), version: z.string(), endpoint: z.string().optional(), links: z.record(z.string(), z.string()) })

const PAGE_SECURITY = { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" }

function landingPage(version: string, endpoint: string | undefined): string {
  const items = LINKS.map(
    (link) => `<li><a href="${link.path}">${escapeHtml(link.title)}</a> <code>${link.path}</code> — ${escapeHtml(link.note)}</li>`,
  ).join('\n    ')
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Credence</title>
  <style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}code{font-size:.9em}</style>
</head>
<body>
  <h1>Credence ${escapeHtml(version)}</h1>
  <p>Multi-tenant DIDComm agent server. This is the admin port; other agents reach the DIDComm endpoint at <code>${escapeHtml(endpoint ?? '')}</code>.</p>
  <ul>
    ${items}
  </ul>
  <p>The ACA-Py admin routes take the admin key (<code>x-api-key</code>) or a tenant's bearer token; the admin websocket is <code>/ws</code>.</p>
</body>
</html>
`
}

export const landingRouteDeclarations = ({ config, version }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/',
    auth: 'open',
    summary: 'Landing page: links to the console, this documentation and the status routes',
    response: landing,
    produces: ['text/html'],
    async handle() {
      const body = { name: 'Credence' as const, version, endpoint: config.endpoint, links: Object.fromEntries(LINKS.map((link) => [link.title, link.path])) }
      return Reply.written((req, res) => {
        if (req.accepts(['html', 'json']) !== 'html') return void res.json(body)
        res.type('html').set(PAGE_SECURITY).send(landingPage(version, config.endpoint))
      })
    },
  }),
]
