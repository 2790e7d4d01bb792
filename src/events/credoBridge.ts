// Turns Credo's events into tenant events. Credo emits every tenant's events on the root agent's
// emitter, tagged with the tenant id as context correlation id (= our wallet id). Records are
// snapshotted in the listener, before Credo changes them again; what else a payload needs (the
// invitation behind a connection) is read afterwards, in the wallet's event order.
import {
  type BasicMessageStateChangedEvent,
  type ConnectionRecord,
  type ConnectionStateChangedEvent,
  type HandshakeReusedEvent,
  type OutOfBandRecord,
  type OutOfBandStateChangedEvent,
  type TrustPingReceivedEvent,
  type TrustPingResponseReceivedEvent,
  BasicMessageEventTypes,
  BasicMessageRole,
  ConnectionEventTypes,
  OutOfBandEventTypes,
  OutOfBandRole,
  TrustPingEventTypes,
} from '@credo-ts/core'

import type { CredenceAgent } from '../agent/createAgent'
import { toConnRecord } from '../acapy/connections/mappers'
import { toOobRecord } from '../acapy/outOfBand/mappers'
import { connectionView, invitationFacts } from '../services/connections'
import { ourRecipientKey } from '../services/outOfBand'
import type { TenantService } from '../services/tenants'
import type { TenantEventBus } from './tenantEvents'

const ROOT_CONTEXT = 'default'

export function bridgeCredoEvents(deps: { agent: CredenceAgent; tenants: TenantService; bus: TenantEventBus }): () => void {
  const { agent, tenants, bus } = deps
  const walletOf = (event: { metadata: { contextCorrelationId: string } }) => {
    const id = event.metadata.contextCorrelationId
    return id === ROOT_CONTEXT ? undefined : id
  }

  const invitationOf = (walletId: string, outOfBandId?: string) =>
    outOfBandId
      ? tenants.withTenant(walletId, (tenantAgent) => tenantAgent.oob.findById(outOfBandId)).catch(() => null)
      : Promise.resolve(null)

  const onConnection = (event: ConnectionStateChangedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const snapshot: ConnectionRecord = event.payload.connectionRecord.clone()
    bus.publishLater(walletId, async () => {
      const invitation = await invitationOf(walletId, snapshot.outOfBandId)
      return { topic: 'connections', payload: toConnRecord(connectionView(snapshot, invitation ? invitationFacts(invitation) : undefined)) }
    })
  }

  const onOutOfBand = (event: OutOfBandStateChangedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const snapshot: OutOfBandRecord = event.payload.outOfBandRecord.clone()
    bus.publishLater(walletId, async () => {
      const connections = await tenants
        .withTenant(walletId, (tenantAgent) => tenantAgent.connections.findAllByOutOfBandId(snapshot.id))
        .catch(() => [])
      return {
        topic: 'out_of_band',
        payload: toOobRecord({ record: snapshot, connectionId: connections[0]?.id, ourRecipientKey: ourRecipientKey(snapshot) }),
      }
    })
  }

  const onReuse = (event: HandshakeReusedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const { reuseThreadId, outOfBandRecord, connectionRecord } = event.payload
    const inviter = outOfBandRecord.role === OutOfBandRole.Sender
    bus.publish(
      walletId,
      inviter ? 'connection_reuse' : 'connection_reuse_accepted',
      inviter
        ? { thread_id: reuseThreadId, connection_id: connectionRecord.id, comment: `Connection ${connectionRecord.id} is being reused for invitation ${outOfBandRecord.outOfBandInvitation.id}` }
        : { thread_id: reuseThreadId, connection_id: connectionRecord.id, state: 'accepted', comment: `Connection ${connectionRecord.id} was reused` },
    )
  }

  const onBasicMessage = (event: BasicMessageStateChangedEvent) => {
    const walletId = walletOf(event)
    const { basicMessageRecord: record, message } = event.payload
    if (!walletId || record.role !== BasicMessageRole.Receiver) return
    bus.publish(walletId, 'basicmessages', {
      connection_id: record.connectionId,
      message_id: message.id,
      content: record.content,
      state: 'received',
      sent_time: record.sentTime,
    })
  }

  const onPing = (event: TrustPingReceivedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const { connectionRecord, message } = event.payload
    bus.publish(walletId, 'ping', {
      comment: message.comment ?? null,
      connection_id: connectionRecord.id,
      responded: message.responseRequested,
      state: 'received',
      thread_id: message.threadId,
    })
  }

  const onPingResponse = (event: TrustPingResponseReceivedEvent) => {
    const walletId = walletOf(event)
    if (!walletId) return
    const { connectionRecord, message } = event.payload
    bus.publish(walletId, 'ping', {
      comment: message.comment ?? null,
      connection_id: connectionRecord.id,
      state: 'response_received',
      thread_id: message.threadId,
    })
  }

  const events = agent.events
  events.on(ConnectionEventTypes.ConnectionStateChanged, onConnection)
  events.on(OutOfBandEventTypes.OutOfBandStateChanged, onOutOfBand)
  events.on(OutOfBandEventTypes.HandshakeReused, onReuse)
  events.on(BasicMessageEventTypes.BasicMessageStateChanged, onBasicMessage)
  events.on(TrustPingEventTypes.TrustPingReceivedEvent, onPing)
  events.on(TrustPingEventTypes.TrustPingResponseReceivedEvent, onPingResponse)
  return () => {
    events.off(ConnectionEventTypes.ConnectionStateChanged, onConnection)
    events.off(OutOfBandEventTypes.OutOfBandStateChanged, onOutOfBand)
    events.off(OutOfBandEventTypes.HandshakeReused, onReuse)
    events.off(BasicMessageEventTypes.BasicMessageStateChanged, onBasicMessage)
    events.off(TrustPingEventTypes.TrustPingReceivedEvent, onPing)
    events.off(TrustPingEventTypes.TrustPingResponseReceivedEvent, onPingResponse)
  }
}
