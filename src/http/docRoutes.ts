// The API's own documentation: GET /api/doc (Swagger UI) and GET /api/doc/openapi.json (the OpenAPI
// document of this very app, built from its route table on first request, so it is always true).
// Both are open on purpose: they describe routes, which anyone can probe anyway, and expose no
// data. Swagger UI's files come from the swagger-ui-dist package, served from node_modules (no CDN).
import path from 'node:path'

import express, { Router, type Express } from 'express'
import { z } from 'zod'

import { buildOpenApiDocument, requestDescriptions, type OpenApiDocument } from './openapi'
import { mountRoutes, noJsonAnswer, Reply, route } from './route'
import type { RoomDeps } from './rooms'
import { listRoutes } from './routeTable'
import { parse } from './validate'

const DOC_PATH = '/api/doc'
const DOCUMENT_PATH = `${DOC_PATH}/openapi.json`
const ASSETS_PATH = `${DOC_PATH}/assets`

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'))

const SWAGGER_UI_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Credence admin API</title>
  <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '${DOCUMENT_PATH}', dom_id: '#swagger-ui', deepLinking: true })
  </script>
</body>
</html>
`

/** An OpenAPI 3 document (this one). */
const openApiDocument = z.object({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) }).passthrough()

export const docRouteDeclarations = ({ version }: RoomDeps) => {
  // Routes are all registered before the first request, so the first document stays true.
  let document: OpenApiDocument | undefined
  return [
    route({
      method: 'GET',
      path: DOC_PATH,
      auth: 'open',
      summary: 'This documentation, browsable (Swagger UI)',
      response: noJsonAnswer,
      produces: ['text/html'],
      async handle() {
        return Reply.bytes('html', SWAGGER_UI_PAGE)
      },
    }),
    route({
      method: 'GET',
      path: DOCUMENT_PATH,
      auth: 'open',
      summary: 'This documentation as an OpenAPI 3 document',
      response: openApiDocument,
      async handle() {
        return Reply.written((req, res) => {
          document ??= buildOpenApiDocument(listRoutes(req.app as Express), { version, requestSchemas: requestDescriptions() })
          res.json(document)
        })
      },
    }),
  ]
}

/** Swagger UI's own files, beside the routes. */
export function docRoutes(deps: RoomDeps): Router {
  const router = Router()
  router.use(ASSETS_PATH, express.static(SWAGGER_UI_DIR, { index: false }))
  router.use(mountRoutes(deps, docRouteDeclarations(deps), { parse }))
  return router
}
