// ACA-Py face, ledger room: request schemas (reference §11).
import { z } from 'zod'

const did = z.string().min(1).max(200)

export const acceptTaaBody = z
  .object({
    version: z.string().min(1).max(100),
    text: z.string().max(1_000_000),
    mechanism: z.string().min(1).max(200),
  })
  .strict()

export const registerNymQuery = z.object({
  did,
  verkey: z.string().min(1).max(100),
  alias: z.string().max(200).optional(),
  role: z.enum(['STEWARD', 'TRUSTEE', 'ENDORSER', 'NETWORK_MONITOR', 'reset']).optional(),
  conn_id: z.string().max(200).optional(),
  create_transaction_for_endorser: z.string().optional(),
})

export const didQuery = z.object({ did })

export const didEndpointQuery = z.object({
  did,
  endpoint_type: z.enum(['Endpoint', 'Profile', 'LinkedDomains']).default('Endpoint'),
})
