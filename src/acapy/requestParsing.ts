// How the ACA-Py face reads a request: as ACA-Py 1.7 does, which an existing controller relies on.
// ACA-Py's request schemas drop keys they do not know (OpenAPISchema sets marshmallow's
// `unknown = EXCLUDE`), and clients generated from its OpenAPI document send `null` for every
// optional field they leave unset. So here a key the schema does not know is dropped, and a key
// whose value is null counts as absent, before the same validation as everywhere: a wrong type is
// still a 422 naming the field. The Proven face keeps its own, strict, rules (http/validate.ts).
import type { z } from 'zod'

import { parse as strictParse } from '../http/validate'

/** Passes of dropping unknown keys: each pass drops those of every object the schema reported. */
const MAX_PASSES = 8

type Json = unknown

/** `value` without its null-valued object keys, at any depth (arrays keep their null items). */
function withoutNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== null).map(([key, inner]) => [key, withoutNulls(inner)]))
}

/** A copy of `value` without `keys` in the object at `path`. */
function withoutKeys(value: Json, path: (string | number)[], keys: string[]): Json {
  if (typeof value !== 'object' || value === null) return value
  if (path.length === 0) {
    if (Array.isArray(value)) return value
    return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)))
  }
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? withoutKeys(item, rest, keys) : item))
  return { ...value, [head]: withoutKeys((value as Record<string, Json>)[head as string], rest, keys) }
}

export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, part: 'body' | 'query' | 'params'): z.output<S> {
  let input = part === 'body' ? withoutNulls(value) : value
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const result = schema.safeParse(input ?? {})
    if (result.success) return result.data
    const unknown = result.error.issues.filter((issue): issue is z.ZodIssue & { code: 'unrecognized_keys'; keys: string[] } => issue.code === 'unrecognized_keys')
    if (unknown.length === 0) break
    for (const issue of unknown) input = withoutKeys(input, issue.path, issue.keys)
  }
  return strictParse(schema, input, part)
}
