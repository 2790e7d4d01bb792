// Proven face, basic messages room (seed 003 "Basic Messages"): message request records, sent now
// or when their contact's (or invitation's) next connection completes, and the messages received.
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import type { ControllerMessage } from '../../services/controllerMessages'
import { addressFields, addressOf } from '../requestBasics'

const createMessageBody = z
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
const listMessagesQuery = z.object({ connection_id: z.string().trim().min(1).max(200).optional() })
const messageIdParams = z.object({ id: z.coerce.number({ message: 'must be an integer message id' }).int().positive() })

describeRequest('POST /api/v1/messages', { body: createMessageBody })
describeRequest('GET /api/v1/messages', { query: listMessagesQuery })

/** The seed's row; `connection_id` and `error_msg` are Credence's, to say where it went or why not. */
function toMessageRow(message: ControllerMessage) {
  return {
    id: message.id,
    message_id: message.messageId ?? '',
    contact_id: message.contactId,
    invitation_id: message.invitationId,
    connection_id: message.connectionId,
    message: message.message,
    state: message.state,
    sent_time: message.sentTime,
    locale: '',
    error_msg: message.errorMsg,
    wallet_id: message.walletId,
    created_at: message.createdAt,
    updated_at: message.updatedAt,
  }
}

export function controllerMessageRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()
  const messages = services.controllerMessages

  router.post('/api/v1/messages', requireWalletKey, handler(async (req, res) => {
    const body = parse(createMessageBody, req.body, 'body')
    const { walletId } = principalOf(res)
    const record = body.connection_id
      ? await messages.sendOnConnection(walletId, body.connection_id, body.message)
      : await messages.create(walletId, { ...addressOf(body), message: body.message })
    // The seed's answer, whether sent now or waiting (`state` pending) for a connection.
    res.json({ success: 'Message was sent!', id: record.id, state: record.state })
  }))

  router.get('/api/v1/messages', requireWalletKey, handler(async (req, res) => {
    const query = parse(listMessagesQuery, req.query, 'query')
    res.json((await messages.list(principalOf(res).walletId, { connectionId: query.connection_id })).map(toMessageRow))
  }))

  router.get('/api/v1/messages/:id', requireWalletKey, handler(async (req, res) => {
    const { id } = parse(messageIdParams, req.params, 'params')
    res.json(toMessageRow(await messages.get(principalOf(res).walletId, id)))
  }))

  return router
}
