// A wallet's tenant events as Server-Sent Events (`{topic, wallet_id, payload}` per event), for
// clients that cannot take webhooks: served to tenant tokens on the ACA-Py face and to wallet
// keys on the controller face (the console's live updates). The route's guard says whose wallet.
import { z } from 'zod'

import { tooMany } from '../errors'
import type { TenantEventBus } from '../events/tenantEvents'
import { Reply } from './route'

const KEEPALIVE_MS = 15_000
/** Streams one wallet may hold open, and how far a client may fall behind before it is dropped. */
const MAX_STREAMS_PER_WALLET = 10
const MAX_UNREAD_BYTES = 1024 * 1024

/**
 * The wallet's event stream as a route's answer. The per-wallet limit is checked first, so a
 * refused client gets the usual JSON error rather than an empty stream.
 */
export function eventStream(events: TenantEventBus, walletId: string): Reply {
  if (events.subscriberCount(walletId) >= MAX_STREAMS_PER_WALLET) throw tooMany(`At most ${MAX_STREAMS_PER_WALLET} event streams per wallet`)
  return Reply.written((_req, res) => {
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
  })
}

/** What one event of the stream carries in its `data:` line (the answer schema documents it). */
export const streamedEvent = z.object({ topic: z.string(), wallet_id: z.string(), payload: z.record(z.string(), z.unknown()) })
