// Checks recorded admin-API answers against an agent's own OpenAPI (Swagger 2.0) document — ACA-Py's
// `/api/docs/swagger.json`, downloaded from the ACA-Py a test runs, never committed — the way a
// client generated from that document (aries-cloudcontroller) reads them: types, required keys,
// enums, patterns and `additionalProperties: false` are kept; `x-nullable` and optional properties
// take null (such a client reads an optional property as Optional, and ACA-Py itself answers null
// for, e.g., the unused formats of V20CredExRecordDetail); formats are not checked.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'

import type { RecordedExchange } from './recordingProxy'

export interface Swagger {
  swagger: string
  paths: Record<string, Record<string, { responses?: Record<string, { schema?: unknown }> }>>
  definitions: Record<string, unknown>
}

export interface SwaggerMismatch {
  /** e.g. `POST /issue-credential-2.0/send` (the document's path template) */
  operation: string
  /** The path the client asked for. */
  url: string
  status: number
  /** ajv's complaint: where in the body and what. */
  error: string
}

export interface SwaggerReport {
  mismatches: SwaggerMismatch[]
  /**
   * Ids of AnonCreds objects on a DID-based registry (did:web) where the document has a pattern for
   * Indy's `<did>:2:…`/`<did>:3:CL:…` ids only: kept apart, as no such id can match it.
   */
  nonIndyIds: SwaggerMismatch[]
  /** Answers checked against a schema. */
  checked: number
  /** `METHOD path` of answers whose route the document does not have (Credence's own routes). */
  unmatched: string[]
}

export async function downloadSwagger(adminUrl: string): Promise<Swagger> {
  const response = await fetch(`${adminUrl}/api/docs/swagger.json`)
  if (!response.ok) throw new Error(`GET ${adminUrl}/api/docs/swagger.json answered ${response.status}`)
  return (await response.json()) as Swagger
}

const DOC_ID = 'swagger.json'

/** Swagger 2.0 schema → JSON schema draft-07 as ajv reads it. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (!node || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'example' || key === 'x-nullable' || key === 'discriminator' || key === 'format') continue
    if (key === '$ref' && typeof value === 'string') out.$ref = value.startsWith('#/') ? `${DOC_ID}${value}` : value
    else if (key === 'properties' && value && typeof value === 'object') {
      // An optional property may be null: such a client reads every one as Optional[...] = None.
      const required = ((node as { required?: string[] }).required ?? []) as string[]
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, required.includes(name) ? toJsonSchema(schema) : nullable(toJsonSchema(schema))]),
      )
    } else if (key === 'pattern' && typeof value === 'string') {
      // A Python pattern JavaScript cannot read is left out rather than failing the whole document.
      try {
        new RegExp(value)
        out.pattern = value
      } catch {
        // dropped
      }
    } else out[key] = toJsonSchema(value)
  }
  return (node as Record<string, unknown>)['x-nullable'] === true ? nullable(out) : out
}

const nullable = (schema: unknown) => ({ anyOf: [schema, { type: 'null' }] })

/** `/connections/{conn_id}` → a regex for one path; literal segments win over templates. */
function routeMatchers(swagger: Swagger) {
  return Object.keys(swagger.paths)
    .map((template) => {
      const params = (template.match(/\{[^}]+\}/g) ?? []).length
      const source = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')
      return { template, params, regex: new RegExp(`^${source}/?$`) }
    })
    .sort((a, b) => a.params - b.params)
}

/** Without the echoes of the null branch added for optional properties ("must be null", "anyOf"). */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const echo = (e: ErrorObject) => e.keyword === 'anyOf' || (e.keyword === 'type' && (e.params as { type?: string }).type === 'null')
  const rest = errors.filter((e) => !echo(e))
  return rest.length ? rest : errors
}

/** A DID-based AnonCreds id (`did:…`) failing one of the document's Indy id patterns (`:2:`, `:3:CL:`, `:4:`). */
function isNonIndyId(error: ErrorObject): boolean {
  const pattern = (error.params as { pattern?: string }).pattern ?? ''
  return error.keyword === 'pattern' && typeof error.data === 'string' && error.data.startsWith('did:') && /:2:|:3:CL:|:4:/.test(pattern)
}

const describeError = (error: ErrorObject) => `${error.instancePath || '(body)'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`

/** Every 2xx JSON answer matched to its operation and checked against that operation's response schema. */
export function validateExchanges(swagger: Swagger, exchanges: RecordedExchange[]): SwaggerReport {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false, verbose: true })
  ajv.addSchema({ $id: DOC_ID, definitions: toJsonSchema(swagger.definitions) })
  const routes = routeMatchers(swagger)
  const compiled = new Map<string, ValidateFunction>()
  const mismatches: SwaggerMismatch[] = []
  const nonIndyIds: SwaggerMismatch[] = []
  const unmatched = new Set<string>()
  const seen = new Set<string>()
  let checked = 0

  for (const exchange of exchanges) {
    if (exchange.status < 200 || exchange.status >= 300) continue
    const pathname = decodeURI(new URL(exchange.url, 'http://x').pathname)
    const method = exchange.method.toLowerCase()
    const route = routes.find((r) => r.regex.test(pathname) && swagger.paths[r.template][method])
    if (!route) {
      unmatched.add(`${exchange.method} ${pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`)
      continue
    }
    const responses = swagger.paths[route.template][method].responses ?? {}
    const schema = (responses[String(exchange.status)] ?? responses['200'])?.schema
    if (!schema) continue
    const operation = `${exchange.method} ${route.template}`
    const report = (error: string, into = mismatches) => {
      const key = `${operation} ${error}`
      if (seen.has(key)) return
      seen.add(key)
      into.push({ operation, url: exchange.url, status: exchange.status, error })
    }
    let body: unknown
    try {
      body = JSON.parse(exchange.body)
    } catch {
      report(`the body is not JSON (${exchange.contentType}): ${exchange.body.slice(0, 200)}`)
      continue
    }
    let validate = compiled.get(operation)
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema) as object)
      compiled.set(operation, validate)
    }
    checked++
    if (!validate(body)) {
      for (const error of relevant(validate.errors ?? [])) report(describeError(error), isNonIndyId(error) ? nonIndyIds : mismatches)
    }
  }
  return { mismatches, nonIndyIds, checked, unmatched: [...unmatched].sort() }
}

/** One line per mismatch, for a test's failure message. */
export const formatMismatches = (mismatches: SwaggerMismatch[]) =>
  mismatches.map((m) => `${m.operation} (${m.status} ${m.url}): ${m.error}`).join('\n')

/** Where a declared response schema and ACA-Py's for the same operation name different keys. */
export interface ShapeDifference {
  /** `METHOD path`, ours. */
  operation: string
  /** Keys ACA-Py's document requires that our declared schema does not have. */
  missing: string[]
  /** Keys our declared schema has that ACA-Py's document does not. */
  extra: string[]
}

type JsonSchemaNode = { $ref?: string; properties?: Record<string, unknown>; required?: string[]; type?: string }

/**
 * Compares the top-level keys of each declared response schema (OpenAPI 3, ours) with those of
 * ACA-Py's 200 answer for the same method and path (parameters matched by position, not name).
 */
export function compareDeclaredShapes(swagger: Swagger, ours: Record<string, Record<string, { responses: Record<string, unknown> }>>): { differences: ShapeDifference[]; compared: string[] } {
  const template = (path: string) => path.replace(/\{[^}]+\}/g, '{}')
  const theirs = new Map(Object.keys(swagger.paths).map((path) => [template(path), path]))
  const resolve = (node: JsonSchemaNode | undefined): JsonSchemaNode | undefined => {
    if (!node?.$ref) return node
    return resolve(swagger.definitions[node.$ref.replace('#/definitions/', '')] as JsonSchemaNode)
  }
  const differences: ShapeDifference[] = []
  const compared: string[] = []
  for (const [path, operations] of Object.entries(ours)) {
    const theirPath = theirs.get(template(path))
    if (!theirPath) continue
    for (const [method, operation] of Object.entries(operations)) {
      const ourSchema = ((operation.responses['200'] as { content?: Record<string, { schema?: JsonSchemaNode }> })?.content?.['application/json']?.schema ?? {}) as JsonSchemaNode
      const theirSchema = resolve(swagger.paths[theirPath][method]?.responses?.['200']?.schema as JsonSchemaNode | undefined)
      if (!ourSchema.properties || !theirSchema?.properties) continue
      const name = `${method.toUpperCase()} ${path}`
      compared.push(name)
      const ourKeys = Object.keys(ourSchema.properties)
      const theirKeys = Object.keys(theirSchema.properties)
      const missing = (theirSchema.required ?? []).filter((key) => !ourKeys.includes(key))
      const extra = ourKeys.filter((key) => !theirKeys.includes(key))
      if (missing.length || extra.length) differences.push({ operation: name, missing, extra })
    }
  }
  return { differences, compared }
}
