// Tenant events for clients that cannot take webhooks (a Server-Sent Events stream of the same
// events, `{topic, wallet_id, payload}`), and the wallet's webhook targets with the secrets their
// deliveries are signed with. Credence additions next to ACA-Py's routes.
import { Router } from 'express'

import { tooMany } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'

const KEEPALIVE_MS = 15_000
/** Streams one wallet may hold open, and how far a client may fall behind before it is dropped. */
const MAX_STREAMS_PER_WALLET = 10
const MAX_UNREAD_BYTES = 1024 * 1024

export function webhookRoutes({ services, requireTenant, requireAdmin }: RoomDeps): Router {
  const router = Router()

  router.get('/events/stream', requireTenant, (_req, res, next) => {
    const { walletId } = principalOf(res)
    if (services.events.subscriberCount(walletId) >= MAX_STREAMS_PER_WALLET) {
      return next(tooMany(`At most ${MAX_STREAMS_PER_WALLET} event streams per wallet`))
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write(': connected\n\n')
    // A client that stops reading is dropped rather than buffered without end.
    const send = (text: string) => (res.writableLength > MAX_UNREAD_BYTES ? res.destroy() : res.write(text))
    const unsubscribe = services.events.subscribe(
      walletId,
      (event) => send(`event: ${event.topic}\ndata: ${JSON.stringify({ topic: event.topic, wallet_id: walletId, payload: event.payload })}\n\n`),
      // Ended cleanly; a client that does not read its end is cut off shortly after.
      () => {
        res.end()
        setTimeout(() => res.destroy(), 1000).unref()
      },
    )
    const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS)
    res.on('close', () => {
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
