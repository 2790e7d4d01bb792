// Tenant events for clients that cannot take webhooks (a Server-Sent Events stream of the same
// events, `{topic, wallet_id, payload}`), and the wallet's webhook targets with the secrets their
// deliveries are signed with. Credence additions next to ACA-Py's routes.
import { Router } from 'express'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'

const KEEPALIVE_MS = 15_000

export function webhookRoutes({ services, requireTenant, requireAdmin }: RoomDeps): Router {
  const router = Router()

  router.get('/events/stream', requireTenant, (req, res) => {
    const { walletId } = principalOf(res)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write(': connected\n\n')
    const unsubscribe = services.events.subscribe(walletId, (event) => {
      res.write(`event: ${event.topic}\ndata: ${JSON.stringify({ topic: event.topic, wallet_id: walletId, payload: event.payload })}\n\n`)
    })
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS)
    req.on('close', () => {
      clearInterval(keepalive)
      unsubscribe()
    })
  })

  router.get('/webhooks/targets', requireTenant, handler(async (_req, res) => {
    res.json({ results: await services.webhookTargets.describe(principalOf(res).walletId) })
  }))

  router.get('/webhooks/base-targets', requireAdmin, handler(async (_req, res) => {
    res.json({ results: services.webhookTargets.describeBase() })
  }))

  return router
}
