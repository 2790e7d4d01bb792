// Webhooks room (Credence additions): the wallet's targets, the delivery log (admin key), the event stream.
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

const webhookTarget = z.object({
  scope: z.enum(['wallet', 'base']),
  url: z.string(),
  format: z.enum(['acapy', 'envelope']),
  /** The HMAC key the deliveries to this target are signed with (x-credence-signature). */
  signing_secret: z.string(),
})
export const webhookTargetList = z.object({ results: z.array(webhookTarget) })

export const delivery = z.object({
  delivery_id: z.number().int(),
  wallet_id: z.string(),
  scope: z.enum(['wallet', 'base']),
  target_url: z.string(),
  format: z.enum(['acapy', 'envelope']),
  topic: z.string(),
  state: z.enum(['pending', 'failed', 'delivered']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
  event_id: z.string(),
  next_attempt_at: z.string().nullable(),
  payload: z.unknown(),
})
export const deliveryList = z.object({ results: z.array(delivery) })
