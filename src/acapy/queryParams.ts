// Query-string conventions of ACA-Py's admin API: booleans are `true`/`false`, lists paginate
// with limit/offset/order_by/descending (reference §1.3).
import { z } from 'zod'

export const queryBool = z
  .enum(['true', 'false', 'True', 'False', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === 'True' || value === '1' || value === 'yes')

export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(10000).default(100),
  offset: z.coerce.number().int().min(0).max(2_147_483_647).default(0),
  order_by: z.literal('id', { message: 'only id is allowed' }).optional(),
  descending: queryBool.optional(),
}

/** Applies limit/offset (and descending) to an already ordered list. */
export function page<T>(items: T[], query: { limit: number; offset: number; descending?: boolean }): T[] {
  const ordered = query.descending ? [...items].reverse() : items
  return ordered.slice(query.offset, query.offset + query.limit)
}

/** A path or query id: non-empty, bounded, no control characters. */
export const recordId = z.string().min(1).max(200).regex(/^[\w.:%-]+$/, 'is not a valid id')
