// Tenant events for clients that cannot take webhooks (a Server-Sent Events stream of the same
// events, see http/eventStream.ts), and the wallet's webhook targets with the secrets their
// deliveries are signed with. Credence additions next to ACA-Py's routes.
import { Router } from 'express'

import { principalOf } from '../../http/auth'
import { eventStreamHandler } from '../../http/eventStream'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'

export function webhookRoutes({ services, requireTenant, requireAdmin }: RoomDeps): Router {
  const router = Router()

  router.get('/events/stream', requireTenant, eventStreamHandler(services.events))

  router.get('/webhooks/targets', requireTenant, handler(async (_req, res) => {
    res.json({ results: await services.webhookTargets.describe(principalOf(res).walletId) })
  }))

  router.get('/webhooks/base-targets', requireAdmin, handler(async (_req, res) => {
    res.json({ results: services.webhookTargets.describeBase() })
  }))

  return router
}
