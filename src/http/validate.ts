// Request validation: one zod schema per request part; the first problem is reported with the
// field it concerns (422, as ACA-Py answers marshmallow failures).
import type { z } from 'zod'

import { invalid } from '../errors'

export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, part: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value ?? {})
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue.path.join('.') || part
  throw invalid(field, `${field}: ${issue.message}`)
}
