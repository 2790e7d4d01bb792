// The one path every tenant event takes: a state change is turned into its ACA-Py webhook topic
// and payload at once (records keep changing after the event), written to the webhook outbox, and
// shown to live subscribers (the SSE stream). Events of one wallet are handled strictly in the
// order they happened, even when building one needs a read (e.g. the connection's invitation).
import { randomUUID } from 'node:crypto'

import type { AppLogger } from '../logger'
import type { ConnectionView } from '../services/connections'
import type { OutOfBandView } from '../services/outOfBand'

/** The record whose state an event reports, kept with the event so a crash's gap can be found. */
export interface EventMark {
  kind: 'connection' | 'oob' | 'credential' | 'proof' | 'basicmessage'
  recordId: string
  state: string
}

/** A tenant event as webhooks and the live stream carry it: ACA-Py's topic and payload. */
export interface TenantEvent {
  /** Stable: every delivery of this event, retried or redelivered, carries it. */
  id: string
  walletId: string
  topic: string
  payload: Record<string, unknown>
  mark?: EventMark
}

export interface EventSink {
  /** Durably records the event for webhook delivery. */
  enqueue(event: TenantEvent): Promise<void>
}

type Listener = (event: TenantEvent) => void
interface Subscriber {
  listener: Listener
  /** Called when the bus closes (server shutdown). */
  onClose: () => void
}

/** An event the outbox refused (store busy, connection blip) is retried before it is given up. */
const ENQUEUE_RETRY_DELAYS_MS = [100, 400, 1600, 5000]

export type EventBuild = (wanted: boolean) => Promise<Omit<TenantEvent, 'id' | 'walletId'> | undefined>

export interface TenantEventBus {
  /**
   * Queues an event whose payload may need reads to build; `build` runs after all earlier events
   * of the wallet. A wallet with no webhook target and no live subscriber wants no events: then
   * `build` is skipped, unless it has side effects to carry out in order (it is told `wanted`).
   */
  publishLater(walletId: string, build: EventBuild, options?: { sideEffects?: boolean }): void
  publish(walletId: string, topic: string, payload: Record<string, unknown>): void
  connectionChanged(walletId: string, view: ConnectionView): void
  outOfBandChanged(walletId: string, view: OutOfBandView): void
  /** Live events of one wallet; returns the unsubscribe function. */
  subscribe(walletId: string, listener: Listener, onClose: () => void): () => void
  /** Live events of every wallet (the admin websocket with the admin key); returns the unsubscribe function. */
  subscribeAll(listener: Listener, onClose: () => void): () => void
  /** How many live subscribers a wallet has. */
  subscriberCount(walletId: string): number
  /** Resolves once everything queued so far is in the outbox. */
  drain(): Promise<void>
  /** Ends every live subscription. */
  close(): void
  /** Ends the live subscriptions of one wallet (its credentials changed). */
  closeWallet(walletId: string): void
}

export function tenantEventBus(deps: {
  sink: EventSink
  /** Whether the wallet has a webhook target (cached by the caller: it is asked for every event). */
  hasTargets: (walletId: string) => Promise<boolean>
  logger: AppLogger
  connectionPayload: (view: ConnectionView) => Record<string, unknown>
  outOfBandPayload: (view: OutOfBandView) => Record<string, unknown>
}): TenantEventBus {
  const { sink, hasTargets, logger, connectionPayload, outOfBandPayload } = deps
  const queues = new Map<string, Promise<void>>()
  const subscribers = new Map<string, Set<Subscriber>>()
  const allWallets = new Set<Subscriber>()

  async function enqueueWithRetry(event: TenantEvent): Promise<void> {
    for (const delay of ENQUEUE_RETRY_DELAYS_MS) {
      try {
        return await sink.enqueue(event)
      } catch (error) {
        logger.warn({ err: error, walletId: event.walletId, topic: event.topic }, 'webhook outbox write failed; retrying')
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
    return sink.enqueue(event)
  }

  function deliverLive(event: TenantEvent) {
    for (const { listener } of [...(subscribers.get(event.walletId) ?? []), ...allWallets]) {
      try {
        listener(event)
      } catch (error) {
        logger.warn({ err: error }, 'live event listener failed')
      }
    }
  }

  function publishLater(walletId: string, build: EventBuild, options: { sideEffects?: boolean } = {}) {
    const previous = queues.get(walletId) ?? Promise.resolve()
    const next = previous.then(async () => {
      try {
        // Building a payload reads records: not done for a wallet nobody listens to.
        const wanted = (subscribers.get(walletId)?.size ?? 0) > 0 || allWallets.size > 0 || (await hasTargets(walletId))
        if (!wanted && !options.sideEffects) return
        const built = await build(wanted)
        if (!built || !wanted) return
        const event: TenantEvent = { id: randomUUID(), walletId, ...built }
        await enqueueWithRetry(event)
        deliverLive(event)
      } catch (error) {
        logger.error({ err: error, walletId }, 'tenant event could not be recorded')
      }
    })
    queues.set(walletId, next)
    void next.then(() => {
      if (queues.get(walletId) === next) queues.delete(walletId)
    })
  }

  return {
    publishLater,
    publish(walletId, topic, payload) {
      publishLater(walletId, async () => ({ topic, payload }))
    },
    connectionChanged(walletId, view) {
      const payload = connectionPayload(view)
      const mark = view.deleted ? undefined : ({ kind: 'connection', recordId: view.connectionId, state: view.state } as const)
      publishLater(walletId, async () => ({ topic: 'connections', payload, mark }))
    },
    outOfBandChanged(walletId, view) {
      const payload = outOfBandPayload(view)
      const mark = view.deleted ? undefined : ({ kind: 'oob', recordId: view.record.id, state: view.record.state } as const)
      publishLater(walletId, async () => ({ topic: 'out_of_band', payload, mark }))
    },
    subscribe(walletId, listener, onClose) {
      const subscriber = { listener, onClose }
      const set = subscribers.get(walletId) ?? new Set()
      set.add(subscriber)
      subscribers.set(walletId, set)
      return () => {
        set.delete(subscriber)
        // The set may already have been replaced (closeWallet): only an empty current set goes.
        if (set.size === 0 && subscribers.get(walletId) === set) subscribers.delete(walletId)
      }
    },
    subscribeAll(listener, onClose) {
      const subscriber = { listener, onClose }
      allWallets.add(subscriber)
      return () => allWallets.delete(subscriber)
    },
    subscriberCount: (walletId) => subscribers.get(walletId)?.size ?? 0,
    async drain() {
      while (queues.size > 0) await Promise.all([...queues.values()])
    },
    close() {
      for (const set of [...subscribers.values(), allWallets]) for (const { onClose } of set) onClose()
      subscribers.clear()
      allWallets.clear()
    },
    closeWallet(walletId) {
      for (const { onClose } of subscribers.get(walletId) ?? []) onClose()
      subscribers.delete(walletId)
    },
  }
}
