// Proven face, basic messages room (seed 003 "Basic Messages"): message request records, sent now
// or when their contact's (or invitation's) next connection completes, and the messages received.
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { addressOf } from '../requestBasics'
import { toMessageRow } from './mappers'
import { createMessageBody, listMessagesQuery, messageCreated, messageIdParams, messageRow, messageRows } from './schemas'

export const controllerMessageRouteDeclarations = ({ services: { controllerMessages: messages } }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/api/v1/messages',
    auth: 'requireWalletKey',
    summary: 'Send a basic message to a contact, an invitation or a connection (kept until one is active)',
    body: createMessageBody,
    response: messageCreated,
    async handle({ body, principal }) {
      const { walletId } = principal()
      const record = body.connection_id
        ? await messages.sendOnConnection(walletId, body.connection_id, body.message)
        : await messages.create(walletId, { ...addressOf(body), message: body.message })
      return { success: 'Message was sent!' as const, id: record.id, state: record.state }
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/messages',
    auth: 'requireWalletKey',
    summary: 'Messages sent, pending, failed and received',
    query: listMessagesQuery,
    response: messageRows,
    async handle({ query, principal }) {
      return (await messages.list(principal().walletId, { connectionId: query.connection_id })).map(toMessageRow)
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/messages/:id',
    auth: 'requireWalletKey',
    summary: 'Fetch a message',
    params: messageIdParams,
    response: messageRow,
    async handle({ params, principal }) {
      return toMessageRow(await messages.get(principal().walletId, params.id))
    },
  }),
]
