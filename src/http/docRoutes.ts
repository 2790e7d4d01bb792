// The API's own documentation: GET /api/doc (Swagger UI) and GET /api/doc/openapi.json (the OpenAPI
// document of this very app, built from its route table on first request, so it is always true).
// Both are open on purpose: they describe routes, which anyone can probe anyway, and expose no
// data. Swagger UI's files come from the swagger-ui-dist package, served from node_modules (no CDN).
import path from 'node:path'

import express, { Router, type Express } from 'express'

import { buildOpenApiDocument, requestDescriptions, type OpenApiDocument } from './openapi'
import type { RoomDeps } from './rooms'
import { listRoutes } from './routeTable'

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

export function docRoutes({ version }: RoomDeps): Router {
  const router = Router()
  // Routes are all registered before the first request, so the first document stays true.
  let document: OpenApiDocument | undefined

  router.use(ASSETS_PATH, express.static(SWAGGER_UI_DIR, { index: false }))

  router.get(DOC_PATH, (_req, res) => {
    res.type('html').send(SWAGGER_UI_PAGE)
  })

  router.get(DOCUMENT_PATH, (req, res) => {
    document ??= buildOpenApiDocument(listRoutes(req.app as Express), { version, requestSchemas: requestDescriptions() })
    res.json(document)
  })

  return router
}
