// Proven face, Credence's addition: the wallet's live events (the same Server-Sent Events stream
// as the ACA-Py face's /events/stream), for controllers and the console that hold a wallet key.
import { Router } from 'express'

import { eventStreamHandler } from '../../http/eventStream'
import type { RoomDeps } from '../../http/rooms'

export function controllerEventRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()
  router.get('/api/v1/events/stream', requireWalletKey, eventStreamHandler(services.events))
  return router
}
