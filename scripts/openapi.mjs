#!/usr/bin/env node
// Writes openapi.json (repo root): the OpenAPI document of every route the admin app registers,
// both faces (run `npm run build` first; `npm run docs:openapi` does both). The app is built with
// no agent, only to read its route table. test/openapi.test.ts fails when openapi.json is stale.
// Then the console's API types from it (scripts/openapi-types.mjs), which the test also checks.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import { writeOpenapiTypes } from './openapi-types.mjs'

const require = createRequire(import.meta.url)
const { createApp } = require('../dist/app.js')
const { listRoutes } = require('../dist/http/routeTable.js')
const { buildOpenApiDocument, requestDescriptions, routeListingDeps } = require('../dist/http/openapi.js')
const { version } = require('../dist/version.js')

const app = createApp(routeListingDeps(version))
const document = buildOpenApiDocument(listRoutes(app), { version, requestSchemas: requestDescriptions() })
const target = new URL('../openapi.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`)
console.log(`wrote ${target.pathname}: ${Object.keys(document.paths).length} paths`)
console.log(`wrote ${await writeOpenapiTypes()}`)
