// The one path every tenant event takes. A state change of a wallet's record — reported by Credo
// (credoBridge.ts) or by a service for a change of its own — is published here in the services'
// terms (a TenantChange: record views, no wire shapes); each face's event mapper (the ACA-Py face's
// src/acapy/events.ts, the controller face's src/controller/events/mappers.ts) makes its topics and
// payloads of it; those are written to the webhook outbox and shown to live subscribers (the SSE
// streams and the admin websocket). Events of one wallet are handled strictly in the order they
// happened, even when building one needs a read (e.g. the connection's invitation).
import { randomUUID } from 'node:crypto'

import type { RevocationNotificationReceivedEvent } from '../agent/revocationNotifications'
import type { AppLogger } from '../logger'
import type { ConnectionView } from '../services/connections'
import type { RequestRecord } from '../services/controllerRequests'
import type { CredentialExchangeView } from '../services/credentials'
import type { DiscoveryRecord } from '../services/discovery'
import type { OutOfBandView } from '../services/outOfBand'
import type { ProofExchangeView } from '../services/proofs'
import type { IssuedCredentialRevocation, RevocationRegistry } from '../services/revocation'

/** A state change of one of a wallet's records, as the services know it. */
export type TenantChange =
  | { kind: 'connection'; view: ConnectionView }
  | { kind: 'out-of-band'; view: OutOfBandView }
  /** An existing connection answered an invitation instead of a new one (either side). */
  | { kind: 'connection-reused'; role: 'inviter' | 'invitee'; threadId: string; connectionId: string; invitationMsgId: string }
  | { kind: 'basic-message-received'; connectionId: string; messageId: string; content: string; sentTime: string }
  | { kind: 'ping'; received: boolean; connectionId: string; threadId: string; comment?: string; responseRequested?: boolean }
  | { kind: 'credential-exchange'; view: CredentialExchangeView & { deleted?: boolean } }
  | { kind: 'proof-exchange'; view: ProofExchangeView & { deleted?: boolean } }
  | { kind: 'discovery'; record: DiscoveryRecord }
  | { kind: 'holder-credential-deleted'; format: 'w3c' | 'anoncreds'; credentialId: string }
  | { kind: 'request-record'; record: RequestRecord }
  /** An issued revocable credential's record (ACA-Py's IssuerCredRevRecord): taken, or revoked. */
  | { kind: 'issued-credential-revocation'; record: IssuedCredentialRevocation }
  /** A revocation registry of the wallet was made, or changed state in the rotation (ACA-Py's IssuerRevRegRecord). */
  | { kind: 'revocation-registry'; registry: RevocationRegistry }
  /** The issuer of a credential the wallet holds says it was revoked (RFC 0183 v1 or RFC 0721 v2). */
  | { kind: 'revocation-notification'; notification: RevocationNotificationReceivedEvent['payload'] }

/**
 * The state an issued credential's revocation record is reported in: issued with its exchange,
 * then revoked (an index taken for an offer not yet made is no news).
 */
export const revocationMarkState = (record: IssuedCredentialRevocation) => (record.state === 'revoked' ? 'revoked' : record.credExId ? 'issued' : 'taken')

/** One topic and payload a face shows for a change. */
export interface WireEvent {
  topic: string
  payload: Record<string, unknown>
}

/** A face's events for a change of the wallet's, in order; none for a change the face does not show. */
export type FaceEventMapper = (walletId: string, change: TenantChange) => WireEvent[] | Promise<WireEvent[]>

/** The record whose state an event reports, kept with the event so a crash's gap can be found. */
export interface EventMark {
  kind: 'connection' | 'oob' | 'credential' | 'proof' | 'basicmessage' | 'issuer-cred-rev' | 'rev-reg'
  recordId: string
  state: string
}

/** A tenant event as webhooks and the live streams carry it: a face's topic and payload. */
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

/** A change, and the record state it reports for crash recovery (recovery.ts) when it does. */
export interface PublishedChange {
  change: TenantChange
  mark?: EventMark
}

export type EventBuild = (wanted: boolean) => Promise<PublishedChange | undefined>

/** The record state a service's own change reports: a connection's, an invitation's (unless deleted), a revocation record's. */
function markOf(change: TenantChange): EventMark | undefined {
  if (change.kind === 'issued-credential-revocation') return { kind: 'issuer-cred-rev', recordId: change.record.recordId, state: revocationMarkState(change.record) }
  if (change.kind === 'revocation-registry') return { kind: 'rev-reg', recordId: change.registry.revRegId, state: change.registry.state }
  if (change.kind === 'connection' && !change.view.deleted) return { kind: 'connection', recordId: change.view.connectionId, state: change.view.state }
  if (change.kind === 'out-of-band' && !change.view.deleted) return { kind: 'oob', recordId: change.view.record.id, state: change.view.record.state }
  return undefined
}

export interface TenantEventBus {
  /**
   * Queues an event whose payload may need reads to build; `build` runs after all earlier events
   * of the wallet. A wallet with no webhook target and no live subscriber wants no events: then
   * `build` is skipped, unless it has side effects to carry out in order (it is told `wanted`).
   */
  publishLater(walletId: string, build: EventBuild, options?: { sideEffects?: boolean }): void
  /** A change that reports no record state of its own (a deletion seen elsewhere, a ping, a request record). */
  publish(walletId: string, change: TenantChange): void
  /** A service's change of a connection or invitation: its new state is marked as reported. */
  recordChanged(walletId: string, change: TenantChange): void
  /** Live events of one wallet; returns the unsubscribe function. */
  subscribe(walletId: string, listener: Listener, onClose: () => void): () => void
  /** Live events of every wallet (the admin websocket with the admin key); returns the unsubscribe function. */
  subscribeAll(listener: Listener, onClose: () => void): () => void
  /**
   * Resolves with the next change of the wallet that `matches`, or undefined after `timeoutMs`: for
   * in-process waiters (a request's `timeout`). Changes published as they are (publish,
   * recordChanged) are seen at once, whether or not anyone else listens to the wallet.
   */
  nextChange(walletId: string, matches: (change: TenantChange) => boolean, timeoutMs: number): Promise<TenantChange | undefined>
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
  /** Each face's mapper, in the order their events go out. */
  faces: FaceEventMapper[]
}): TenantEventBus {
  const { sink, hasTargets, logger, faces } = deps
  const queues = new Map<string, Promise<void>>()
  const subscribers = new Map<string, Set<Subscriber>>()
  const allWallets = new Set<Subscriber>()
  const waiters = new Map<string, Set<(change: TenantChange) => void>>()

  function notifyWaiters(walletId: string, change: TenantChange) {
    for (const waiter of [...(waiters.get(walletId) ?? [])]) waiter(change)
  }

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
        const wire = (await Promise.all(faces.map((face) => face(walletId, built.change)))).flat()
        // The mark goes with the change's first event: the outbox writes it in that event's transaction.
        for (const [index, { topic, payload }] of wire.entries()) {
          const event: TenantEvent = { id: randomUUID(), walletId, topic, payload, ...(index === 0 && built.mark ? { mark: built.mark } : {}) }
          await enqueueWithRetry(event)
          deliverLive(event)
        }
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
    publish(walletId, change) {
      notifyWaiters(walletId, change)
      publishLater(walletId, async () => ({ change }))
    },
    recordChanged(walletId, change) {
      notifyWaiters(walletId, change)
      const mark = markOf(change)
      publishLater(walletId, async () => ({ change, mark }))
    },
    nextChange(walletId, matches, timeoutMs) {
      return new Promise((resolve) => {
        const set = waiters.get(walletId) ?? new Set()
        waiters.set(walletId, set)
        const done = (change: TenantChange | undefined) => {
          clearTimeout(timer)
          set.delete(waiter)
          if (set.size === 0 && waiters.get(walletId) === set) waiters.delete(walletId)
          resolve(change)
        }
        const waiter = (change: TenantChange) => {
          if (matches(change)) done(change)
        }
        const timer = setTimeout(() => done(undefined), timeoutMs)
        set.add(waiter)
      })
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
