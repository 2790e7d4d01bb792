// Proven face, basic messages (seed 003 "Basic Messages"): request and response schemas.
import { z } from 'zod'

import { MESSAGE_STATES } from '../../services/controllerMessages'
import { addressFields } from '../requestBasics'

export const createMessageBody = z
  .object({
    ...addressFields,
    // Credence's addition: straight to this connection, now (the console's chat).
    connection_id: z.string().trim().min(1).max(200).optional(),
    message: z.string().min(1, 'may not be empty').max(100_000),
  })
  .strict()
  .refine((body) => !body.connection_id || (!body.contact_id && !body.invitation_id), {
    message: 'connection_id is an address of its own: send it without contact_id and invitation_id',
    path: ['connection_id'],
  })

export const listMessagesQuery = z.object({ connection_id: z.string().trim().min(1).max(200).optional() })
export const messageIdParams = z.object({ id: z.coerce.number({ message: 'must be an integer message id' }).int().positive() })

/** The seed's answer, whether sent now or waiting (`state` pending) for a connection. */
export const messageCreated = z.object({ success: z.literal('Message was sent!'), id: z.number().int(), state: z.enum(MESSAGE_STATES) })

/** The seed's row; `connection_id` and `error_msg` are Credence's, to say where it went or why not. */
export const messageRow = z.object({
  id: z.number().int(),
  message_id: z.string(),
  contact_id: z.string().nullable(),
  invitation_id: z.number().int().nullable(),
  connection_id: z.string().nullable(),
  message: z.string(),
  state: z.enum(MESSAGE_STATES),
  sent_time: z.string().nullable(),
  locale: z.string(),
  error_msg: z.string().nullable(),
  wallet_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const messageRows = z.array(messageRow)
