// Webhooks room: request schemas of the delivery log (admin key; Credence addition).
import { z } from 'zod'

import { walletIdField } from '../multitenancy/schemas'

export const deliveriesQuery = z.object({
  wallet_id: walletIdField,
  state: z.enum(['pending', 'failed', 'delivered']).optional(),
  topic: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

export const deliveryIdParams = z.object({
  delivery_id: z.coerce.number({ message: 'must be an integer delivery id' }).int().positive().max(Number.MAX_SAFE_INTEGER),
})
