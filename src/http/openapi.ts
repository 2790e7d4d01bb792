// The OpenAPI 3 document of the admin app, both faces, built from its route table (routeTable.ts)
// rather than written by hand, so it names exactly the routes the app registers. The committed
// openapi.json is this document; test/openapi.test.ts fails when the two disagree.
import { ZodNever, type z } from 'zod'
import { zodToJsonSchema } from 'zod-to-json-schema'

import type { AppDeps } from '../app'
import { loadConfig } from '../config'
import { createLogger } from '../logger'
import type { AuthKind } from './auth'
import type { Route } from './route'
import type { RouteEntry } from './routeTable'

type JsonSchema = Record<string, unknown>

interface Parameter {
  name: string
  in: 'path' | 'query'
  required: boolean
  schema: JsonSchema
}

interface Operation {
  tags: string[]
  summary: string
  operationId: string
  security: Record<string, string[]>[]
  parameters?: Parameter[]
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> }
  responses: Record<string, unknown>
}

export interface OpenApiDocument {
  openapi: '3.0.3'
  info: { title: string; version: string; description: string }
  tags: { name: string }[]
  paths: Record<string, Record<string, Operation>>
  components: {
    securitySchemes: Record<AuthKind, JsonSchema>
    schemas: Record<string, JsonSchema>
    responses: Record<string, unknown>
  }
}

/** The zod schemas a route validates its request with (`parse(schema, req.query, 'query')`). */
export interface RequestSchemas {
  query?: z.ZodTypeAny
  body?: z.ZodTypeAny
}

const describedRequests = new Map<string, RequestSchemas>()

/**
 * Names the schemas a route parses so its document shows them. A room calls it next to the route,
 * keyed as the route table prints it: `describeRequest('POST /connections/:conn_id/send-message',
 * { body: sendMessageBody })`. Routes nobody describes are documented without request schemas.
 */
export function describeRequest(route: string, schemas: RequestSchemas): void {
  describedRequests.set(route, schemas)
}

/** What rooms have described so far (all of it, once the app is built). */
export function requestDescriptions(): ReadonlyMap<string, RequestSchemas> {
  return describedRequests
}

/** Each guard kind (http/auth.ts) as a security scheme; the Record makes a new kind a type error here. */
const SECURITY_SCHEMES: Record<AuthKind, JsonSchema> = {
  admin: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The admin API key (CREDENCE_ADMIN_API_KEY).' },
  'tenant-token': { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A wallet's bearer token (ACA-Py style)." },
  'base-key': { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The Proven base API key (CREDENCE_BASE_API_KEY).' },
  'wallet-key': { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'A wallet API key; it selects the wallet.' },
  'base-or-wallet-key': {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'The base API key, or a wallet API key whose roles allow managing keys.',
  },
}

/** Every error is `{error, field?}` (http/errors.ts). */
const ERROR_RESPONSES = {
  BadRequest: 'Malformed JSON, a bad paging parameter, or a request the record or peer refuses',
  Unauthorized: 'Missing or wrong credential',
  Forbidden: 'The credential lacks the right',
  NotFound: 'Unknown id',
  ValidationFailed: 'The body, query or path fails validation; `field` names it',
  TooManyFailedAuthentications: 'Too many failed authentications from this address, or for this credential prefix; `Retry-After` says when to try again',
}
type ErrorResponse = keyof typeof ERROR_RESPONSES

/**
 * The few routes whose derived summary reads badly or that answer something other than JSON.
 * Keyed like the route table; the rest of the document is derived from the path.
 */
const ROUTE_NOTES: Record<string, { summary?: string; responseType?: string }> = {
  'GET /': { summary: 'Landing page: links to the console, this documentation and the status routes', responseType: 'text/html' },
  'GET /api/doc': { summary: 'This documentation, browsable (Swagger UI)', responseType: 'text/html' },
  'GET /api/doc/openapi.json': { summary: 'This documentation as an OpenAPI 3 document' },
  'GET /events/stream': { summary: "Stream the wallet's events (server-sent events)", responseType: 'text/event-stream' },
  'GET /out-of-band/invitations/:oob_id/qr': { summary: 'Invitation QR code (PNG, or SVG with format=svg)', responseType: 'image/png' },
  'GET /webhooks/deliveries': { summary: "A wallet's webhook delivery log: pending, failed and delivered" },
  'POST /webhooks/deliveries/:delivery_id/redeliver': { summary: 'Post a webhook delivery again' },
}

/** Path segments whose tag would split a room in two. */
const TAG_ALIASES: Record<string, string> = { credential: 'credentials', subwallet: 'subwallets', v1: 'didexchange' }

const DOC_PREFIX = '/api/doc'

/** `:conn_id` (optionally with a regex or `?`) as express writes a path parameter. */
const EXPRESS_PARAM = /:(\w+)(?:\([^)]*\))?\??/g

const paramNames = (path: string) => [...path.matchAll(EXPRESS_PARAM)].map((match) => match[1])
const openApiPath = (path: string) => path.replace(EXPRESS_PARAM, '{$1}')
const literalSegments = (path: string) => path.split('/').filter((segment) => segment && !segment.startsWith(':'))

/** The controller face lives under /api (its wallet routes under /api/v1); everything else is ACA-Py's. */
function tagOf(path: string): string {
  if (path === '/' || path === DOC_PREFIX || path.startsWith(`${DOC_PREFIX}/`)) return 'Documentation'
  const segments = literalSegments(path)
  const [face, rest] = segments[0] === 'api' ? ['Controller', segments.slice(segments[1] === 'v1' ? 2 : 1)] : ['ACA-Py', segments]
  const room = rest[0] ?? ''
  return `${face}: ${TAG_ALIASES[room] ?? room}`
}

/** Verbs that open a POST route's last segment (`send-message`, `accept-request`, `remove`). */
const ACTIONS = new Set(['accept', 'create', 'fetch', 'issue', 'receive', 'register', 'reject', 'remove', 'revoke', 'send', 'set', 'store', 'verify'])

/** Abbreviations a path writes in lower case. */
const WORDS: Record<string, string> = {
  apikey: 'API key',
  did: 'DID',
  jsonld: 'JSON-LD',
  nym: 'NYM',
  qr: 'QR',
  taa: 'TAA',
  url: 'URL',
  w3c: 'W3C',
}
const humanize = (segment: string) => segment.split('-').map((word) => WORDS[word] ?? word).join(' ')
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/**
 * A summary from method and path: `Remove multitenancy wallet`, `Send message (connections)`,
 * `Fetch connections by conn_id`.
 */
function summaryOf(method: string, path: string): string {
  const segments = literalSegments(path).filter((segment) => segment !== 'api' && segment !== 'v1')
  const words = segments.map(humanize).join(' ')
  const action = segments[segments.length - 1] ?? ''
  if (method === 'POST' && ACTIONS.has(action.split('-')[0])) {
    const object = segments.slice(0, -1).map(humanize).join(' ')
    if (!object) return capitalize(humanize(action))
    return action.includes('-') ? `${capitalize(humanize(action))} (${object})` : `${capitalize(action)} ${object}`
  }
  const verb = { GET: 'Fetch', PUT: 'Update', DELETE: 'Delete', POST: 'Create' }[method] ?? method
  const lastParam = path.match(/:(\w+)[^/]*$/)
  return `${verb} ${words}${lastParam ? ` by ${lastParam[1]}` : ''}`
}

/** camelCase id from method and path, unique because method + path is. */
function operationIdOf(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean)
  return method.toLowerCase() + words.map(capitalize).join('')
}

const jsonSchemaOf = (schema: z.ZodTypeAny): JsonSchema => {
  // Requests are documented as the client sends them: before transforms and coercions.
  const json = zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none', effectStrategy: 'input', pipeStrategy: 'input' })
  const { $schema: _, ...rest } = json as JsonSchema
  return rest
}

/** Responses are documented as the client receives them: after transforms. */
const responseSchemaOf = (schema: z.ZodTypeAny): JsonSchema => {
  const json = zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none', effectStrategy: 'input' })
  const { $schema: _, ...rest } = json as JsonSchema
  return rest
}

/** A declared route's answers by media type: its JSON schema, and each other type as text or bytes. */
function declaredAnswer(declared: Route): Record<string, { schema: JsonSchema }> {
  const other = (type: string) => {
    if (type === 'text/event-stream' && declared.events) return [type, { schema: { ...responseSchemaOf(declared.events), description: "Each event's data line" } }]
    return [type, { schema: { type: 'string', ...(type.startsWith('image/') && !type.includes('svg') ? { format: 'binary' } : {}) } }]
  }
  return {
    ...(declared.response instanceof ZodNever ? {} : { 'application/json': { schema: responseSchemaOf(declared.response) } }),
    ...Object.fromEntries((declared.produces ?? []).map(other)),
  }
}

/** A query schema's properties, one query parameter each. */
function queryParameters(schema: z.ZodTypeAny): Parameter[] {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] }
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }))
}

const errorResponse = (name: ErrorResponse) => ({ $ref: `#/components/responses/${name}` })

function operationOf(route: RouteEntry, described: RequestSchemas | undefined): Operation {
  const key = `${route.method} ${route.path}`
  const declared = route.declaration
  const note: { summary?: string; responseType?: string } = declared ? { summary: declared.summary } : (ROUTE_NOTES[key] ?? {})
  const schemas: RequestSchemas | undefined = declared ? { query: declared.query, body: declared.body } : described
  const pathParams: Parameter[] = paramNames(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
  const parameters = [...pathParams, ...(schemas?.query ? queryParameters(schemas.query) : [])]
  const errors: Record<string, ErrorResponse> = {}
  if (route.auth) {
    Object.assign(errors, { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 422: 'ValidationFailed', 429: 'TooManyFailedAuthentications' })
  }
  if (pathParams.length > 0) errors[404] = 'NotFound'
  const answer = declared ? declaredAnswer(declared) : { [note.responseType ?? 'application/json']: { schema: {} } }
  return {
    tags: [tagOf(route.path)],
    summary: note.summary ?? summaryOf(route.method, route.path),
    operationId: operationIdOf(route.method, route.path),
    // An empty list says the route is open on purpose (status probes, this documentation).
    security: route.auth ? [{ [route.auth]: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(schemas?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(schemas.body) } } } } : {}),
    responses: {
      200: { description: 'Success', content: answer },
      ...Object.fromEntries(Object.entries(declared?.alsoAnswers ?? {}).map(([status, description]) => [status, { description, content: answer }])),
      ...Object.fromEntries(Object.entries(errors).map(([status, name]) => [status, errorResponse(name)])),
    },
  }
}

export interface DocumentOptions {
  version: string
  /** Request schemas by `METHOD path` (see describeRequest). */
  requestSchemas?: ReadonlyMap<string, RequestSchemas>
}

/** The document of the given routes; the same routes give the same document, in route order. */
export function buildOpenApiDocument(routes: RouteEntry[], { version, requestSchemas = new Map() }: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  const tags: string[] = []
  for (const route of routes) {
    const operation = operationOf(route, requestSchemas.get(`${route.method} ${route.path}`))
    if (!tags.includes(operation.tags[0])) tags.push(operation.tags[0])
    ;(paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Credence admin API',
      version,
      description:
        'Both faces of the admin port: the ACA-Py-compatible admin API (admin key or tenant bearer token) ' +
        'and the Proven-style controller API under /api (base API key or wallet API keys in x-api-key). ' +
        'Generated from the routes the server registers.',
    },
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'string' }, field: { type: 'string', description: 'The request field the error is about' } },
        },
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([name, description]) => [
          name,
          {
            description,
            ...(name === 'TooManyFailedAuthentications'
              ? { headers: { 'Retry-After': { description: 'Seconds until the throttle lets this address or prefix try again', schema: { type: 'integer' } } } }
              : {}),
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
    },
  }
}

/**
 * Dependencies for building the app only to read its route table (scripts/openapi.mjs, the test):
 * rooms take their services when they register routes but use them only when a request arrives,
 * so no agent, store or secret is needed and nothing here ever runs. (A room that used a service
 * while registering would fail here, and so would test/openapi.test.ts.)
 */
export function routeListingDeps(version: string): AppDeps {
  return {
    config: loadConfig({}),
    logger: createLogger('silent'),
    agent: {} as AppDeps['agent'],
    services: {} as AppDeps['services'],
    lifecycle: { alive: false, ready: false },
    version,
    adminApiKey: 'unused',
    baseApiKey: 'unused',
  }
}
