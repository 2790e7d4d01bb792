// Proven face, presentations (seed 003 "Presentations"): path parameters and the presentation row.
import { z } from 'zod'

import { ProofState } from '../../agent/credo'

export const presentationIdParams = z.object({ presentation_exchange_id: z.string().min(1).max(200) })

/** The seed's presentation row, from either side of the exchange, with the contact of its connection. */
export const presentationRow = z.object({
  presentation_exchange_id: z.string(),
  wallet_id: z.string(),
  trace: z.literal(false),
  connection_id: z.string().nullable(),
  role: z.enum(['verifier', 'prover']),
  verified: z.boolean(),
  presentation_created_at: z.string(),
  presentation_updated_at: z.string(),
  /** The request-presentation message as sent (DIDComm JSON). */
  presentation_request_dict: z.record(z.string(), z.unknown()).nullable(),
  initiator: z.enum(['self', 'external']),
  /** The request in its (only) format, as the message attaches it. */
  presentation_request: z.unknown(),
  state: z.nativeEnum(ProofState),
  thread_id: z.string(),
  /** False: Credence presents only when asked to. */
  auto_present: z.literal(false),
  /** The presentation in its (only) format, once there is one. */
  presentation: z.unknown(),
  contact_label: z.string().nullable(),
  contact_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const presentationRows = z.array(presentationRow)
