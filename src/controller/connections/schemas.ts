// Proven face, connections: request and response schemas (seed 003 "Connections").
import { z } from 'zod'

import { pageOf } from '../pagination'

export const connectionIdParams = z.object({ connection_id: z.string().min(1).max(200) })

const orNull = z.string().nullable()

/** The seed's connection row, RFC 0160 states, plus `contact_id`, `invitation_id` and `discovered_features`. */
export const connectionRow = z.object({
  connection_id: z.string(),
  state: z.enum(['init', 'invitation', 'request', 'response', 'active', 'error', 'deleted']),
  my_did: orNull,
  alias: orNull,
  request_id: orNull,
  invitation_key: orNull,
  invitation_msg_id: orNull,
  invitation_mode: z.enum(['once', 'multi']),
  invitation_url: orNull,
  invitation: z.record(z.string(), z.unknown()).nullable(),
  accept: z.enum(['auto', 'manual']),
  initiator: z.enum(['self', 'external']),
  their_role: z.enum(['inviter', 'invitee']),
  their_did: orNull,
  their_public_did: orNull,
  their_label: orNull,
  routing_state: z.null(),
  inbound_connection_id: z.null(),
  error_msg: orNull,
  contact_id: orNull,
  invitation_id: z.number().int().nullable(),
  transaction_role: z.null(),
  discovered_features: z.array(z.object({ 'feature-type': z.string(), id: z.string(), roles: z.array(z.string()).optional() })),
  wallet_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
})

export const connectionPage = pageOf(connectionRow)
