// Proven's list envelope (seed 003): `sort-field`, `sort-direction`, `page-size`, `current-page`
// in the query; `{params: {sort, pageSize, currentPage, pageCount, itemCount}, rows, count}` out.
import { z } from 'zod'

import { badRequest } from '../errors'

export const pageQuery = z.object({
  'sort-field': z.string().optional(),
  'sort-direction': z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(['ASC', 'DESC'], { message: 'must be ASC or DESC' }))
    .optional(),
  'page-size': z.coerce.number().int().min(1).max(1000).default(10),
  'current-page': z.coerce.number().int().min(1).default(1),
  // Accepted because the seed lists it; the total is always computed.
  'item-count': z.coerce.number().int().min(0).optional(),
})
export type PageQuery = z.output<typeof pageQuery>

/** A page of `row`s as the seed answers lists (`{params, rows, count}`). */
export const pageOf = <R extends z.ZodTypeAny>(row: R) =>
  z.object({
    params: z.object({
      sort: z.array(z.array(z.tuple([z.string(), z.enum(['ASC', 'DESC'])]))),
      pageSize: z.string(),
      currentPage: z.number().int(),
      pageCount: z.number().int(),
      itemCount: z.number().int(),
    }),
    rows: z.array(row),
    count: z.number().int(),
  })

export interface Page<T> {
  params: { sort: [[[string, 'ASC' | 'DESC']]]; pageSize: string; currentPage: number; pageCount: number; itemCount: number }
  rows: T[]
  count: number
}

/** Sorts and pages already-mapped rows; an unknown sort field is a 400 listing the allowed ones. */
export function paginate<T extends Record<string, unknown>>(
  rows: T[],
  query: PageQuery,
  sortable: readonly string[],
  /** Other names a field may be sorted by (the create body's names for row fields). */
  aliases: Record<string, string> = {},
): Page<T> {
  const asked = query['sort-field'] ?? 'updated_at'
  const field = aliases[asked] ?? asked
  if (!sortable.includes(field)) {
    throw badRequest('sort-field', `sort-field must be one of: ${[...sortable, ...Object.keys(aliases)].join(', ')}`)
  }
  const direction = query['sort-direction'] ?? 'DESC'
  const sign = direction === 'ASC' ? 1 : -1
  const sorted = [...rows].sort((a, b) => sign * compare(a[field], b[field]))
  const pageSize = query['page-size']
  const itemCount = rows.length
  const start = (query['current-page'] - 1) * pageSize
  return {
    params: {
      sort: [[[field, direction]]],
      pageSize: String(pageSize),
      currentPage: query['current-page'],
      pageCount: Math.ceil(itemCount / pageSize),
      itemCount,
    },
    rows: sorted.slice(start, start + pageSize),
    count: itemCount,
  }
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null || a === undefined) return -1
  if (b === null || b === undefined) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b))
}
