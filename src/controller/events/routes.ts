// Proven face, Credence's addition: the wallet's live events (the same Server-Sent Events stream
// as the ACA-Py face's /events/stream), for controllers and the console that hold a wallet key.
// Declared as data (http/route.ts).
import { eventStream, streamedEvent } from '../../http/eventStream'
import { noJsonAnswer, route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'

export const controllerEventRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/api/v1/events/stream',
    auth: 'requireWalletKey',
    summary: "Stream the wallet's events (server-sent events, one `data:` line per event)",
    response: noJsonAnswer,
    produces: ['text/event-stream'],
    events: streamedEvent,
    async handle({ principal }) {
      return eventStream(services.events, principal().walletId)
    },
  }),
]
