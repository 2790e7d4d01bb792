// Request validation: one zod schema per request part; the first problem is reported with the
// field it concerns (422, as ACA-Py answers marshmallow failures).
import type { NextFunction, Request, Response } from 'express'
import type { z } from 'zod'

import { invalid } from '../errors'

/** Nesting looked into for NUL characters; JSON bodies deeper than this are not ours to take anyway. */
const MAX_DEPTH = 32

/** The path of the first string holding a NUL character, or undefined. */
function nulPath(value: unknown, path: string[], depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'body' : undefined
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replace(/\u0000/g, '')].join('.')
    const found = nulPath(inner, [...path, key], depth + 1)
    if (found) return found
  }
  return undefined
}

/**
 * NUL characters in any body or query string are refused before a route sees them: the SQLite
 * binding cut strings at them (`"a\u0000b"` became `"a"`, a duplicate of another name) and
 * PostgreSQL refuses them in text. No field of either API has a use for one.
 */
export function refuseNulCharacters(req: Request, _res: Response, next: NextFunction) {
  const field = nulPath(req.query, []) ?? nulPath(req.body, [])
  if (field !== undefined) return next(invalid(field, `${field}: must not contain NUL characters`))
  next()
}

export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, part: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value ?? {})
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue.path.join('.') || part
  throw invalid(field, `${field}: ${issue.message}`)
}
