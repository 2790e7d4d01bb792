// A wallet's tenant events as Server-Sent Events (`{topic, wallet_id, payload}` per event), for
// clients that cannot take webhooks: served to tenant tokens on the ACA-Py face and to wallet
// keys on the controller face (the console's live updates). The guard in front sets the principal.
import type { RequestHandler } from 'express'

import { tooMany } from '../errors'
import type { TenantEventBus } from '../events/tenantEvents'
import { principalOf } from './auth'

const KEEPALIVE_MS = 15_000
/** Streams one wallet may hold open, and how far a client may fall behind before it is dropped. */
const MAX_STREAMS_PER_WALLET = 10
const MAX_UNREAD_BYTES = 1024 * 1024

export function eventStreamHandler(events: TenantEventBus): RequestHandler {
  return (_req, res, next) => {
    const { walletId } = principalOf(res)
    if (events.subscriberCount(walletId) >= MAX_STREAMS_PER_WALLET) {
      return next(tooMany(`At most ${MAX_STREAMS_PER_WALLET} event streams per wallet`))
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write(': connected\n\n')
    // A client that stops reading is dropped rather than buffered without end.
    const send = (text: string) => (res.writableLength > MAX_UNREAD_BYTES ? res.destroy() : res.write(text))
    const unsubscribe = events.subscribe(
      walletId,
      (event) => send(`id: ${event.id}\nevent: ${event.topic}\ndata: ${JSON.stringify({ topic: event.topic, wallet_id: walletId, payload: event.payload })}\n\n`),
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
  }
}
