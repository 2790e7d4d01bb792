// Proven face, API keys: request and response schemas.
import { z } from 'zod'

import { walletIdField } from '../../acapy/multitenancy/schemas'
import { ROLES } from '../../services/apiKeys'

const role = z.string().refine((value): value is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(value), {
  message: `unknown role; known roles: ${ROLES.join(', ')}`,
})

export const createApiKeyBody = z
  .object({
    wallet_id: walletIdField,
    name: z.string().trim().min(1).max(100),
    roles: z.array(role).min(1, 'at least one role is required').transform((roles) => [...new Set(roles)] as (typeof ROLES)[number][]),
    expires_at: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  })
  .strict()

export const revokeApiKeyBody = z
  .object({
    wallet_id: walletIdField,
    name: z.string().trim().min(1).optional(),
    key_id: z.string().uuid('must be a key id').optional(),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.key_id !== undefined, {
    message: 'name or key_id is required',
    path: ['name'],
  })

export const listApiKeysQuery = z.object({ wallet_id: walletIdField })

/** An API key's record: never its secret, which only the create response carries (`api_key`). */
export const apiKeyRecord = z.object({
  key_id: z.string(),
  wallet_id: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  status: z.enum(['active', 'revoked']),
  expires_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const apiKeyCreated = apiKeyRecord.extend({ api_key: z.string() })
export const apiKeyList = z.object({ results: z.array(apiKeyRecord) })
