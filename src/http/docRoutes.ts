// The API's own documentation: GET /api/doc (Swagger UI) and GET /api/doc/openapi.json (the OpenAPI
// document of this very app, built from its route table on first request, so it is always true).
// Both are open on purpose: they describe routes, which anyone can probe anyway, and expose no
// data. Swagger UI's files come from the swagger-ui-dist package, served from node_modules (no CDN).
import path from 'node:path'

import express, { Router } from 'express'
import { z } from 'zod'

import { buildOpenApiDocument, type OpenApiDocument } from './openapi'
import { noJsonAnswer, Reply, route } from './route'
import type { RoomDeps } from './roomDeps'

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

export const docRouteDeclarations = ({ version, routes }: RoomDeps) => {
  // Built on first request, from the routes the app serves.
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
        document ??= buildOpenApiDocument(routes(), { version })
        return { ...document }
      },
    }),
  ]
}

/** Swagger UI's own files, beside the routes. */
export const docAssets = () => Router().use(ASSETS_PATH, express.static(SWAGGER_UI_DIR, { index: false }))
