#!/usr/bin/env node
// Writes openapi.json (repo root): the OpenAPI document of every route the admin app serves, both
// faces, from their declarations (run `npm run build` first; `npm run docs:openapi` does both). No
// agent is started; the routes are only declared. test/openapi.test.ts fails when it is stale.
// Then the console's API types from it (scripts/openapi-types.mjs), which the test also checks.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import { writeOpenapiTypes } from './openapi-types.mjs'

const require = createRequire(import.meta.url)
const { routeTable } = require('../dist/http/rooms.js')
const { routeListingDeps } = require('../dist/app.js')
const { buildOpenApiDocument } = require('../dist/http/openapi.js')
const { version } = require('../dist/version.js')

const document = buildOpenApiDocument(routeTable(routeListingDeps(version)), { version })
const target = new URL('../openapi.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`)
console.log(`wrote ${target.pathname}: ${Object.keys(document.paths).length} paths`)
console.log(`wrote ${await writeOpenapiTypes()}`)
