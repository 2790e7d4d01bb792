// Proven face, internal tenancy routes: request schemas.
import { z } from 'zod'

import { ROLES } from '../../services/apiKeys'

export const createSubwalletBody = z
  .object({ wallet_name: z.string().trim().min(1).max(200), label: z.string().max(200).optional() })
  .strict()

export { walletIdParams } from '../../acapy/multitenancy/schemas'
import { walletIdField } from '../../acapy/multitenancy/schemas'

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
