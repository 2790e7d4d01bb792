// Turns Credo's events into tenant events. Credo emits every tenant's events on the root agent's
// emitter, tagged with the tenant id as context correlation id (= our wallet id). Records are
// snapshotted in the listener, before Credo changes them again; what else a payload needs (the
// invitation behind a connection) is read afterwards, in the wallet's event order.
import {
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
} from '@credo-ts/core'

import type { CredenceAgent } from '../agent/createAgent'
import { toConnRecord } from '../acapy/connections/mappers'
import { toCredExDetail, toCredExWebhook } from '../acapy/issueCredential/mappers'
import { toPresExWebhook } from '../acapy/presentProof/mappers'
import { toOobRecord } from '../acapy/outOfBand/mappers'
import { connectionView, invitationFacts, type InvitationFacts } from '../services/connections'
import { type CredentialExchangeView, credentialExchangeView, EXCHANGE_METADATA_KEY, EXCHANGE_ONLY, type ExchangeFlags } from '../services/credentials'
import { PROOF_METADATA_KEY, type ProofExchangeView, type ProofFlags, proofExchangeView } from '../services/proofs'
import { isImplicit, ourRecipientKey, startsHandshake } from '../services/outOfBand'
import type { TenantAgent, TenantService } from '../services/tenants'
import type { TenantEventBus } from './tenantEvents'

/** Invitation facts never change once an invitation is out; connections look them up often. */
const FACTS_CACHE_SIZE = 10_000
const READ_RETRY_DELAYS_MS = [100, 500, 2000]
/** Credential exchange states at which ACA-Py writes its per-format detail record. */
const DETAIL_STATES = new Set(['request-sent', 'credential-issued', 'credential-received', 'done'])

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
  /** An exchange deleted through the API: its `deleted` state, as ACA-Py emits it. */
  credentialExchangeDeleted(walletId: string, view: CredentialExchangeView): void
  proofExchangeDeleted(walletId: string, view: ProofExchangeView): void
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
  /** Whether the wallet wants whole exchange records in its webhooks (ACA-Py's --debug-webhooks). */
  debugWebhooks: (walletId: string) => Promise<boolean>
}): CredoBridge {
  const { agent, tenants, bus, debugWebhooks } = deps
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
      topic: 'connections',
      payload: toConnRecord(connectionView(snapshot, await factsOf(walletId, snapshot.outOfBandId))),
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
      return { topic: 'out_of_band', payload: toOobRecord({ record, connectionId: connection.id, ourRecipientKey: ourRecipientKey(record), ...change }) }
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
        topic: 'out_of_band',
        payload: toOobRecord({ record: snapshot, connectionId: connections[0]?.id, ourRecipientKey: ourRecipientKey(snapshot) }),
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
      bus.publish(walletId, 'out_of_band', toOobRecord({ ...view, reportedState: 'done' }))
      if (!outOfBandRecord.reusable) bus.publish(walletId, 'out_of_band', toOobRecord({ ...view, deleted: true }))
    }
    bus.publish(
      walletId,
      inviter ? 'connection_reuse' : 'connection_reuse_accepted',
      inviter
        ? { thread_id: reuseThreadId, connection_id: connectionRecord.id, comment: `Connection ${connectionRecord.id} is being reused for invitation ${outOfBandRecord.outOfBandInvitation.id}` }
        : { thread_id: reuseThreadId, connection_id: connectionRecord.id, state: 'accepted', comment: `Connection ${connectionRecord.id} was reused` },
    )
  }

  const basicMessageReceived = (walletId: string | undefined, record: BasicMessageRecord, messageId: string) => {
    if (!walletId || record.role !== BasicMessageRole.Receiver) return
    const payload = { connection_id: record.connectionId, message_id: messageId, content: record.content, state: 'received', sent_time: record.sentTime }
    bus.publishLater(walletId, async () => ({ topic: 'basicmessages', payload, mark: { kind: 'basicmessage', recordId: record.id, state: 'received' } }))
  }
  const onBasicMessage = (event: BasicMessageStateChangedEvent) =>
    basicMessageReceived(walletOf(event), event.payload.basicMessageRecord, event.payload.message.id)

  /** ACA-Py's ping payloads: `received` (with whether we answered) and `response_received`. */
  const onPingEvent = (event: TrustPingReceivedEvent | TrustPingResponseReceivedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const { connectionRecord, message } = event.payload
    const received = event.type === TrustPingEventTypes.TrustPingReceivedEvent
    bus.publish(walletId, 'ping', {
      comment: message.comment ?? null,
      connection_id: connectionRecord.id,
      ...(received ? { responded: (message as TrustPingReceivedEvent['payload']['message']).responseRequested } : {}),
      state: received ? 'received' : 'response_received',
      thread_id: message.threadId,
    })
  }

  /**
   * Credential and presentation exchanges: each state as ACA-Py's topic; with `auto_remove`, a
   * finished exchange is then deleted, and its `deleted` state follows (as in ACA-Py); with
   * `auto_remove_on_failure`, so is an abandoned one.
   */
  function onExchange<R extends { id: string; state: string; clone(): R }, V extends { flags: { autoRemove: boolean } }>(spec: {
    topic: string
    view: (tenantAgent: TenantAgent, record: R) => Promise<V>
    /** Our flags on a stored record (cheap: no messages read). */
    flags: (record: R) => { autoRemove: boolean; autoRemoveOnFailure?: boolean }
    find: (tenantAgent: TenantAgent, id: string) => Promise<R | null>
    remove: (tenantAgent: TenantAgent, id: string) => Promise<void>
    payload: (view: V & { deleted?: boolean }, debug: boolean) => Record<string, unknown>
    markKind: 'credential' | 'proof'
    /** Further topics a state also produces (ACA-Py's per-format detail records); null skips one. */
    details?: (state: string) => Array<{ topic: string; payload: (view: V) => Record<string, unknown> | null }>
  }) {
    return (walletId: string | undefined, record: R) => {
      if (!walletId) return
      const snapshot = record.clone()
      // Read once, when the first of this state's events is built (they are built in order).
      let viewOnce: Promise<V | undefined> | undefined
      const readView = () => (viewOnce ??= readWithRetry(() => tenants.withTenant(walletId, (tenantAgent) => spec.view(tenantAgent, snapshot))))
      bus.publishLater(walletId, async () => {
        const view = await readView()
        return view && {
          topic: spec.topic,
          payload: spec.payload(view, await debugWebhooks(walletId)),
          mark: { kind: spec.markKind, recordId: snapshot.id, state: snapshot.state },
        }
      })
      for (const detail of spec.details?.(snapshot.state) ?? []) {
        bus.publishLater(walletId, async () => {
          const view = await readView()
          const payload = view && detail.payload(view)
          return payload ? { topic: detail.topic, payload } : undefined
        })
      }
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
          return view && { topic: spec.topic, payload: spec.payload(view, await debugWebhooks(walletId)) }
        },
        { sideEffects: true },
      )
    }
  }

  /** The `deleted` state of an exchange the API deleted, from the view read before it went. */
  const publishDeleted = <V>(topic: string, payload: (view: V & { deleted: boolean }, debug: boolean) => Record<string, unknown>) =>
    (walletId: string, view: V) =>
      bus.publishLater(walletId, async () => ({ topic, payload: payload({ ...view, deleted: true }, await debugWebhooks(walletId)) }))
  const credentialExchange = onExchange({
    topic: 'issue_credential_v2_0',
    view: credentialExchangeView,
    find: (tenantAgent, id) => tenantAgent.credentials.findById(id),
    flags: (record) => record.metadata.get<ExchangeFlags>(EXCHANGE_METADATA_KEY) ?? { autoRemove: false },
    // The exchange goes, the credential it brought stays (Credo would delete both by default).
    remove: (tenantAgent, id) => tenantAgent.credentials.deleteById(id, EXCHANGE_ONLY),
    payload: toCredExWebhook,
    markKind: 'credential',
    // ACA-Py saves its per-format detail record when the request is made, the credential issued
    // and stored, and says so on the format's own topic.
    details: (state) =>
      DETAIL_STATES.has(state)
        ? [
            { topic: 'issue_credential_v2_0_anoncreds', payload: (view) => toCredExDetail(view).anoncreds },
            { topic: 'issue_credential_v2_0_indy', payload: (view) => toCredExDetail(view).indy },
            { topic: 'issue_credential_v2_0_ld_proof', payload: (view) => toCredExDetail(view).ld_proof },
          ]
        : [],
  })
  const proofExchange = onExchange({
    topic: 'present_proof_v2_0',
    view: proofExchangeView,
    find: (tenantAgent, id) => tenantAgent.proofs.findById(id),
    flags: (record) => record.metadata.get<ProofFlags>(PROOF_METADATA_KEY) ?? { autoRemove: false },
    remove: (tenantAgent, id) => tenantAgent.proofs.deleteById(id),
    payload: toPresExWebhook,
    markKind: 'proof',
  })
  const onCredential = (event: CredentialStateChangedEvent) => credentialExchange(walletOf(event), event.payload.credentialRecord)
  const onProof = (event: ProofStateChangedEvent) => proofExchange(walletOf(event), event.payload.proofRecord)

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
  ]
  return {
    credentialExchangeDeleted: publishDeleted('issue_credential_v2_0', toCredExWebhook),
    proofExchangeDeleted: publishDeleted('present_proof_v2_0', toPresExWebhook),
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
