// ACA-Py face, discover features 2.0: request and response schemas (reference §13).
import { z } from 'zod'

import { recordId } from '../queryParams'

export const queriesQuery = z.object({
  query_protocol: z.string().max(500).default('*'),
  query_goal_code: z.string().max(500).default('*'),
  connection_id: recordId.optional(),
})

export const recordsQuery = z.object({ connection_id: recordId.optional() })

const disclosure = z.object({ 'feature-type': z.string(), id: z.string(), roles: z.array(z.string()).optional() })

/** ACA-Py's V20DiscoveryExchangeRecord. */
export const discoveryRecord = z.object({
  discovery_exchange_id: z.string(),
  connection_id: z.string().optional(),
  queries_msg: z.record(z.string(), z.unknown()),
  disclosures: z
    .object({
      '@type': z.string(),
      '@id': z.string().optional(),
      '~thread': z.object({ thid: z.string() }),
      disclosures: z.array(disclosure),
    })
    .optional(),
  state: z.enum(['query-sent', 'done']),
  trace: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
})

export const discoveryRecords = z.object({ results: z.array(discoveryRecord) })
