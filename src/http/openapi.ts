// The OpenAPI 3 document of the admin app, both faces, built from the same route declarations the
// app mounts (http/rooms.ts), so it names exactly the routes the app serves, with their request
// and response schemas. The committed openapi.json is this document; test/openapi.test.ts fails
// when the two disagree.
import { ZodNever, type z } from 'zod'
import { zodToJsonSchema } from 'zod-to-json-schema'

import type { AuthKind } from './auth'
import { authKindOf, type Route } from './route'

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

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

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

function operationOf(route: Route): Operation {
  const auth = authKindOf(route)
  const pathParams: Parameter[] = paramNames(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
  const parameters = [...pathParams, ...(route.query ? queryParameters(route.query) : [])]
  const errors: Record<string, ErrorResponse> = {}
  if (auth) Object.assign(errors, { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 422: 'ValidationFailed', 429: 'TooManyFailedAuthentications' })
  if (pathParams.length > 0) errors[404] = 'NotFound'
  const answer = declaredAnswer(route)
  return {
    tags: [tagOf(route.path)],
    summary: route.summary,
    operationId: operationIdOf(route.method, route.path),
    // An empty list says the route is open on purpose (status probes, this documentation).
    security: auth ? [{ [auth]: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body) } } } } : {}),
    responses: {
      200: { description: 'Success', content: answer },
      ...Object.fromEntries(Object.entries(route.alsoAnswers ?? {}).map(([status, description]) => [status, { description, content: answer }])),
      ...Object.fromEntries(Object.entries(errors).map(([status, name]) => [status, errorResponse(name)])),
    },
  }
}

/** The document of the given routes; the same routes give the same document, in route order. */
export function buildOpenApiDocument(routes: readonly Route[], { version }: { version: string }): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  const tags: string[] = []
  for (const route of routes) {
    const operation = operationOf(route)
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
        'Generated from the route declarations the server mounts.',
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
