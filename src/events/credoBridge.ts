// Turns Credo's events into tenant changes (record views; each face makes its events of them,
// tenantEvents.ts). Credo emits every tenant's events on the root agent's emitter, tagged with the
// tenant id as context correlation id (= our wallet id). Records are snapshotted in the listener,
// before Credo changes them again; what else a view needs (the invitation behind a connection) is
// read afterwards, in the wallet's event order.
import {
  BasicMessageEventTypes,
  BasicMessageRole,
  ConnectionEventTypes,
  CredentialEventTypes,
  ProofEventTypes,
  OutOfBandEventTypes,
  OutOfBandRole,
  OutOfBandState,
  DidExchangeRole,
  DidExchangeState,
  TrustPingEventTypes,
  type BaseEvent,
  type BasicMessageRecord,
  type BasicMessageStateChangedEvent,
  type CredentialExchangeRecord,
  type ProofExchangeRecord,
  type ConnectionRecord,
  type ConnectionStateChangedEvent,
  type CredentialStateChangedEvent,
  type ProofStateChangedEvent,
  type HandshakeReusedEvent,
  type OutOfBandRecord,
  type OutOfBandStateChangedEvent,
  type TrustPingReceivedEvent,
  type TrustPingResponseReceivedEvent,
} from '../agent/credo'

import type { CredenceAgent } from '../agent/createAgent'
import { REVOCATION_NOTIFICATION_RECEIVED, type RevocationNotificationReceivedEvent } from '../agent/revocationNotifications'
import { connectionView, invitationFacts, type InvitationFacts } from '../services/connections'
import { credentialExchangeView, EXCHANGE_METADATA_KEY, EXCHANGE_ONLY, type ExchangeFlags } from '../services/credentials'
import { PROOF_METADATA_KEY, type ProofFlags, proofExchangeView } from '../services/proofs'
import { isImplicit, ourRecipientKey, startsHandshake } from '../services/outOfBand'
import type { TenantAgent, TenantService } from '../services/tenants'
import type { TenantChange, TenantEventBus } from './tenantEvents'

/** Invitation facts never change once an invitation is out; connections look them up often. */
const FACTS_CACHE_SIZE = 10_000
const READ_RETRY_DELAYS_MS = [100, 500, 2000]

/** A read a payload needs, retried a few times (a busy session pool); undefined when it keeps failing. */
async function readWithRetry<T>(read: () => Promise<T>): Promise<T | undefined> {
  for (const delay of [...READ_RETRY_DELAYS_MS, undefined]) {
    try {
      return await read()
    } catch (error) {
      if (delay === undefined) return undefined
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
  return undefined
}

export interface CredoBridge {
  /**
   * Publishes a record's current state as if Credo had just reported it: for the states a crash
   * kept from the outbox (events/recovery.ts). A finished exchange is then also removed if asked.
   */
  replay(walletId: string, record: ReplayableRecord): void
  stop(): void
}

export type ReplayableRecord =
  | { kind: 'connection'; record: ConnectionRecord }
  | { kind: 'oob'; record: OutOfBandRecord }
  | { kind: 'credential'; record: CredentialExchangeRecord }
  | { kind: 'proof'; record: ProofExchangeRecord }
  | { kind: 'basicmessage'; record: BasicMessageRecord }

export function bridgeCredoEvents(deps: {
  agent: CredenceAgent
  tenants: TenantService
  bus: TenantEventBus
}): CredoBridge {
  const { agent, tenants, bus } = deps
  const rootContext = agent.context.contextCorrelationId
  const walletOf = (event: { metadata: { contextCorrelationId: string } }) => {
    const id = event.metadata.contextCorrelationId
    return id === rootContext ? undefined : id
  }

  const factsCache = new Map<string, InvitationFacts>()
  async function factsOf(walletId: string, outOfBandId?: string): Promise<InvitationFacts | undefined> {
    if (!outOfBandId) return undefined
    const key = `${walletId} ${outOfBandId}`
    const cached = factsCache.get(key)
    if (cached) return cached
    const record = await readWithRetry(() => tenants.withTenant(walletId, (tenantAgent) => tenantAgent.oob.findById(outOfBandId)))
    if (!record) return undefined
    const facts = invitationFacts(record)
    if (factsCache.size >= FACTS_CACHE_SIZE) factsCache.delete(factsCache.keys().next().value as string)
    factsCache.set(key, facts)
    return facts
  }

  const connectionChanged = (walletId: string | undefined, record: ConnectionRecord) => {
    if (!walletId) return
    const snapshot = record.clone()
    bus.publishLater(walletId, async () => ({
      change: { kind: 'connection', view: connectionView(snapshot, await factsOf(walletId, snapshot.outOfBandId)) },
      mark: { kind: 'connection', recordId: snapshot.id, state: snapshot.state },
    }))
  }
  /**
   * ACA-Py's inviter reports its out-of-band record `done` when a request for it arrives, and a
   * single-use one `deleted` right after (core/oob_processor.py); controllers wait for that `done`
   * before they accept the request. Credo marks the record done only once the connection completes.
   */
  const requestArrived = (walletId: string, connection: ConnectionRecord) => {
    const outOfBandId = connection.outOfBandId
    if (!outOfBandId) return
    // Read once, and only when someone listens (the bus runs a build only then).
    let invitation: Promise<OutOfBandRecord | null | undefined> | undefined
    const reported = async (change: { reportedState: 'done' } | { deleted: true }) => {
      const record = await (invitation ??= readWithRetry(() => tenants.withTenant(walletId, (tenantAgent) => tenantAgent.oob.findById(outOfBandId))))
      // A request to a public DID has no invitation of ours to report (ACA-Py reports none either).
      if (!record || record.role !== OutOfBandRole.Sender || !startsHandshake(record) || isImplicit(record)) return undefined
      if ('deleted' in change && record.reusable) return undefined
      return { change: { kind: 'out-of-band', view: { record, connectionId: connection.id, ourRecipientKey: ourRecipientKey(record), ...change } } as const }
    }
    bus.publishLater(walletId, () => reported({ reportedState: 'done' }))
    bus.publishLater(walletId, () => reported({ deleted: true }))
  }
  const onConnection = (event: ConnectionStateChangedEvent) => {
    const walletId = walletOf(event)
    const { connectionRecord } = event.payload
    connectionChanged(walletId, connectionRecord)
    // Credo reports a responder's new connection once, as request-received (from request-received).
    if (walletId && connectionRecord.state === DidExchangeState.RequestReceived && connectionRecord.role === DidExchangeRole.Responder) {
      requestArrived(walletId, connectionRecord.clone())
    }
  }

  const outOfBandChanged = (walletId: string | undefined, record: OutOfBandRecord) => {
    if (!walletId || reportedAsAcaPyDoes(record)) return
    const snapshot = record.clone()
    bus.publishLater(walletId, async () => {
      const connections =
        (await readWithRetry(() =>
          tenants.withTenant(walletId, (tenantAgent) => tenantAgent.connections.findAllByOutOfBandId(snapshot.id)),
        )) ?? []
      return {
        change: { kind: 'out-of-band', view: { record: snapshot, connectionId: connections[0]?.id, ourRecipientKey: ourRecipientKey(snapshot) } },
        mark: { kind: 'oob', recordId: snapshot.id, state: snapshot.state },
      }
    })
  }
  const onOutOfBand = (event: OutOfBandStateChangedEvent) => {
    const record = event.payload.outOfBandRecord
    // A new invitation of ours is reported by the out-of-band service once it has finished it.
    if (event.payload.previousState === null && record.role === OutOfBandRole.Sender) return
    outOfBandChanged(walletOf(event), record)
  }
  /**
   * Changes ACA-Py's lifecycle has already reported: an invitee's record of a handshake (initial,
   * done, deleted at receive; out-of-band service) and a single-use invitation of ours reaching done
   * (done, deleted when the request came; requestArrived). A handshake reuse keeps Credo's reports.
   */
  const reportedAsAcaPyDoes = (record: OutOfBandRecord) =>
    startsHandshake(record) &&
    !record.reuseConnectionId &&
    (record.role === OutOfBandRole.Receiver || (!record.reusable && record.state === OutOfBandState.Done))

  const onReuse = (event: HandshakeReusedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const { reuseThreadId, outOfBandRecord, connectionRecord } = event.payload
    const inviter = outOfBandRecord.role === OutOfBandRole.Sender
    if (inviter) {
      // ACA-Py's inviter reports the invitation done on a reuse and deletes a single-use one.
      const view = { record: outOfBandRecord.clone(), connectionId: connectionRecord.id, ourRecipientKey: ourRecipientKey(outOfBandRecord) }
      bus.publish(walletId, { kind: 'out-of-band', view: { ...view, reportedState: 'done' } })
      if (!outOfBandRecord.reusable) bus.publish(walletId, { kind: 'out-of-band', view: { ...view, deleted: true } })
    }
    bus.publish(walletId, {
      kind: 'connection-reused',
      role: inviter ? 'inviter' : 'invitee',
      threadId: reuseThreadId,
      connectionId: connectionRecord.id,
      invitationMsgId: outOfBandRecord.outOfBandInvitation.id,
    })
  }

  const basicMessageReceived = (walletId: string | undefined, record: BasicMessageRecord, messageId: string) => {
    if (!walletId || record.role !== BasicMessageRole.Receiver) return
    const change = { kind: 'basic-message-received', connectionId: record.connectionId, messageId, content: record.content, sentTime: record.sentTime } as const
    bus.publishLater(walletId, async () => ({ change, mark: { kind: 'basicmessage', recordId: record.id, state: 'received' } }))
  }
  const onBasicMessage = (event: BasicMessageStateChangedEvent) =>
    basicMessageReceived(walletOf(event), event.payload.basicMessageRecord, event.payload.message.id)

  /** A trust ping received (with whether an answer was asked for), or its answer. */
  const onPingEvent = (event: TrustPingReceivedEvent | TrustPingResponseReceivedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const { connectionRecord, message } = event.payload
    const received = event.type === TrustPingEventTypes.TrustPingReceivedEvent
    bus.publish(walletId, {
      kind: 'ping',
      received,
      connectionId: connectionRecord.id,
      threadId: message.threadId,
      comment: message.comment,
      ...(received ? { responseRequested: (message as TrustPingReceivedEvent['payload']['message']).responseRequested } : {}),
    })
  }

  /**
   * Credential and presentation exchanges: each state; with `auto_remove`, a finished exchange is
   * then deleted, and its `deleted` state follows (as in ACA-Py); with `auto_remove_on_failure`,
   * so is an abandoned one.
   */
  function onExchange<R extends { id: string; state: string; clone(): R }, V extends { flags: { autoRemove: boolean } }>(spec: {
    view: (tenantAgent: TenantAgent, record: R) => Promise<V>
    /** Our flags on a stored record (cheap: no messages read). */
    flags: (record: R) => { autoRemove: boolean; autoRemoveOnFailure?: boolean }
    find: (tenantAgent: TenantAgent, id: string) => Promise<R | null>
    remove: (tenantAgent: TenantAgent, id: string) => Promise<void>
    change: (view: V & { deleted?: boolean }) => TenantChange
    markKind: 'credential' | 'proof'
  }) {
    return (walletId: string | undefined, record: R) => {
      if (!walletId) return
      const snapshot = record.clone()
      bus.publishLater(walletId, async () => {
        const view = await readWithRetry(() => tenants.withTenant(walletId, (tenantAgent) => spec.view(tenantAgent, snapshot)))
        return view && { change: spec.change(view), mark: { kind: spec.markKind, recordId: snapshot.id, state: snapshot.state } }
      })
      // Credo's `declined` is ACA-Py's `abandoned` too.
      const failed = snapshot.state === 'abandoned' || snapshot.state === 'declined'
      if (snapshot.state !== 'done' && !failed) return
      // Removal happens whether or not anyone listens; the record is shown only to listeners.
      bus.publishLater(
        walletId,
        async (wanted) => {
          const view = await readWithRetry(() =>
            tenants.withTenant(walletId, async (tenantAgent) => {
              const current = await spec.find(tenantAgent, snapshot.id)
              const flags = current && spec.flags(current)
              if (!flags || !(failed ? flags.autoRemoveOnFailure : flags.autoRemove)) return undefined
              const shown = wanted ? await spec.view(tenantAgent, current) : undefined
              await spec.remove(tenantAgent, snapshot.id)
              return shown && { ...shown, deleted: true }
            }),
          )
          return view && { change: spec.change(view) }
        },
        { sideEffects: true },
      )
    }
  }

  const credentialExchange = onExchange({
    view: credentialExchangeView,
    find: (tenantAgent, id) => tenantAgent.credentials.findById(id),
    flags: (record) => record.metadata.get<ExchangeFlags>(EXCHANGE_METADATA_KEY) ?? { autoRemove: false },
    // The exchange goes, the credential it brought stays (Credo would delete both by default).
    remove: (tenantAgent, id) => tenantAgent.credentials.deleteById(id, EXCHANGE_ONLY),
    change: (view) => ({ kind: 'credential-exchange', view }),
    markKind: 'credential',
  })
  const proofExchange = onExchange({
    view: proofExchangeView,
    find: (tenantAgent, id) => tenantAgent.proofs.findById(id),
    flags: (record) => record.metadata.get<ProofFlags>(PROOF_METADATA_KEY) ?? { autoRemove: false },
    remove: (tenantAgent, id) => tenantAgent.proofs.deleteById(id),
    change: (view) => ({ kind: 'proof-exchange', view }),
    markKind: 'proof',
  })
  const onCredential = (event: CredentialStateChangedEvent) => credentialExchange(walletOf(event), event.payload.credentialRecord)
  const onProof = (event: ProofStateChangedEvent) => proofExchange(walletOf(event), event.payload.proofRecord)

  const onRevocationNotification = (event: RevocationNotificationReceivedEvent) => {
    const walletId = walletOf(event)
    if (walletId) bus.publish(walletId, { kind: 'revocation-notification', notification: event.payload })
  }

  // Each subscription hands back its own removal, so what is subscribed is what is removed.
  const subscribe = <T extends BaseEvent>(type: T['type'], listener: (event: T) => void) => {
    agent.events.on<T>(type, listener)
    return () => agent.events.off<T>(type, listener)
  }
  const unsubscribes = [
    subscribe(ConnectionEventTypes.ConnectionStateChanged, onConnection),
    subscribe(OutOfBandEventTypes.OutOfBandStateChanged, onOutOfBand),
    subscribe(OutOfBandEventTypes.HandshakeReused, onReuse),
    subscribe(BasicMessageEventTypes.BasicMessageStateChanged, onBasicMessage),
    subscribe(CredentialEventTypes.CredentialStateChanged, onCredential),
    subscribe(ProofEventTypes.ProofStateChanged, onProof),
    subscribe<TrustPingReceivedEvent>(TrustPingEventTypes.TrustPingReceivedEvent, onPingEvent),
    subscribe<TrustPingResponseReceivedEvent>(TrustPingEventTypes.TrustPingResponseReceivedEvent, onPingEvent),
    subscribe<RevocationNotificationReceivedEvent>(REVOCATION_NOTIFICATION_RECEIVED, onRevocationNotification),
  ]
  return {
    replay(walletId, { kind, record }) {
      if (kind === 'connection') {
        connectionChanged(walletId, record)
        if (record.state === DidExchangeState.RequestReceived && record.role === DidExchangeRole.Responder) requestArrived(walletId, record)
      }
      else if (kind === 'oob') outOfBandChanged(walletId, record)
      else if (kind === 'credential') credentialExchange(walletId, record)
      else if (kind === 'proof') proofExchange(walletId, record)
      else basicMessageReceived(walletId, record, record.threadId ?? record.id)
    },
    stop: () => unsubscribes.forEach((unsubscribe) => unsubscribe()),
  }
}
