// Connections of one wallet: reading them in the terms both faces need, DID exchange steps that
// follow an invitation, metadata, and the messages sent on a connection (basic message, ping).
//
// A connection is a Credo ConnectionRecord plus what its out-of-band invitation says (message id,
// invitation key, single or multi use, DID exchange version). A received invitation that waits for
// /accept-invitation has no Credo record yet; it is shown under the id reserved for it
// (agent/patches/connectionBirth.ts), so an ACA-Py controller can act on it.
import {
  ConnectionService as CredoConnectionService,
  DidExchangeProblemReportMessage,
  DidExchangeRole,
  DidExchangeState,
  HandshakeProtocol,
  Key,
  MessageSender,
  OutboundMessageContext,
  OutOfBandRole,
  OutOfBandState,
  isValidPeerDid,
  type ConnectionRecord,
  type OutOfBandRecord,
} from '../agent/credo'

import { DidCommDocumentService } from '../agent/credoInternals'

import { ACAPY_METADATA_KEY, reservedConnectionId } from '../agent/patches/connectionBirth'
import { Rfc0023DidExchangeProblemReport } from '../agent/didExchangeProblemReports'
import { badRequest, notFoundError } from '../errors'
import type { DidService } from './dids'
import type { TenantEventBus } from '../events/tenantEvents'
import type { TenantAgent, TenantService } from './tenants'

/** What an out-of-band invitation tells about the connections made from it. */
export interface InvitationFacts {
  invitationMsgId: string
  invitationKey?: string
  /** `didexchange/1.1`, `didexchange/1.0` or `connections/1.0`, as the invitation offered it. */
  handshake?: string
}

/** A connection as the faces show it, whichever Credo record (or pending invitation) it comes from. */
export interface ConnectionView {
  connectionId: string
  state: DidExchangeState
  /** Our role in the exchange. */
  role: DidExchangeRole
  protocol?: string
  myDid?: string
  theirDid?: string
  theirLabel?: string
  theirPublicDid?: string
  alias?: string
  invitationKey?: string
  invitationMsgId?: string
  requestId?: string
  /** The out-of-band record the connection was made from (ours or theirs). */
  outOfBandId?: string
  autoAccept: boolean
  errorMsg?: string
  createdAt: Date
  updatedAt: Date
  /** Set on the last view of a deleted connection. */
  deleted?: boolean
}

export interface ConnectionFilter {
  alias?: string
  invitationKey?: string
  myDid?: string
  /** Either state vocabulary, already translated to Credo states by the face. */
  states?: DidExchangeState[]
  theirDid?: string
  theirPublicDid?: string
  role?: DidExchangeRole
  protocol?: string
  invitationMsgId?: string
}

/**
 * RFC 0160's state words for Credo's RFC 0023 states: what ACA-Py stores as `state` and what Proven
 * shows. Both faces use the pair.
 */
export const RFC0160_STATE = {
  [DidExchangeState.Start]: 'init',
  [DidExchangeState.InvitationSent]: 'invitation',
  [DidExchangeState.InvitationReceived]: 'invitation',
  [DidExchangeState.RequestSent]: 'request',
  [DidExchangeState.RequestReceived]: 'request',
  [DidExchangeState.ResponseSent]: 'response',
  [DidExchangeState.ResponseReceived]: 'response',
  [DidExchangeState.Completed]: 'active',
  [DidExchangeState.Abandoned]: 'error',
} as const satisfies Record<DidExchangeState, string>

const DIDEXCHANGE_VERSION = /didexchange\/(1\.\d+)$/

export function invitationFacts(record: OutOfBandRecord): InvitationFacts {
  const invitation = record.outOfBandInvitation
  const fingerprint = record.getTags().recipientKeyFingerprints?.[0]
  const offered = invitation.handshakeProtocols ?? []
  const didexchange = offered.map((uri) => DIDEXCHANGE_VERSION.exec(uri)?.[1]).find(Boolean)
  return {
    invitationMsgId: invitation.id,
    invitationKey: fingerprint ? Key.fromFingerprint(fingerprint).publicKeyBase58 : undefined,
    handshake: didexchange
      ? `didexchange/${didexchange}`
      : offered.some((uri) => uri.includes('/connections/'))
        ? 'connections/1.0'
        : undefined,
  }
}

/**
 * Where a connection keeps the facts of its invitation once the out-of-band record that held them
 * is gone (an invitee that received the same multi-use invitation again; outOfBand.ts).
 */
export const INVITATION_FACTS_KEY = 'credence:invitationFacts'

export function connectionView(record: ConnectionRecord, invitation?: InvitationFacts): ConnectionView {
  const facts = invitation ?? record.metadata.get<InvitationFacts>(INVITATION_FACTS_KEY) ?? undefined
  const isConnections = record.protocol === HandshakeProtocol.Connections
  return {
    connectionId: record.id,
    state: record.state,
    role: record.role,
    protocol: isConnections ? 'connections/1.0' : (facts?.handshake ?? 'didexchange/1.1'),
    myDid: record.did,
    theirDid: record.theirDid,
    theirLabel: record.theirLabel,
    theirPublicDid: record.invitationDid && !isValidPeerDid(record.invitationDid) ? record.invitationDid : undefined,
    alias: record.alias,
    invitationKey: facts?.invitationKey,
    invitationMsgId: facts?.invitationMsgId,
    requestId: record.threadId,
    outOfBandId: record.outOfBandId,
    autoAccept: record.autoAcceptConnection ?? false,
    errorMsg: record.errorMessage,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt ?? record.createdAt,
  }
}

/** A received invitation still waiting for /accept-invitation, shown as ACA-Py shows it. */
export function pendingView(record: OutOfBandRecord, connectionId: string): ConnectionView {
  const facts = invitationFacts(record)
  return {
    connectionId,
    state: DidExchangeState.InvitationReceived,
    role: DidExchangeRole.Requester,
    protocol: facts.handshake,
    theirLabel: record.outOfBandInvitation.label,
    alias: record.alias,
    invitationKey: facts.invitationKey,
    invitationMsgId: facts.invitationMsgId,
    outOfBandId: record.id,
    autoAccept: false,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt ?? record.createdAt,
  }
}

/** Received, not yet accepted (Credo keeps it `initial` until acceptInvitation), with an id reserved. */
const WAITING_STATES = [OutOfBandState.Initial, OutOfBandState.PrepareResponse]
const isPending = (record: OutOfBandRecord) =>
  record.role === OutOfBandRole.Receiver && WAITING_STATES.includes(record.state) && !!reservedConnectionId(record)

function matches(view: ConnectionView, filter: ConnectionFilter): boolean {
  return (
    (!filter.alias || view.alias === filter.alias) &&
    (!filter.invitationKey || view.invitationKey === filter.invitationKey) &&
    (!filter.myDid || view.myDid === filter.myDid) &&
    (!filter.states || filter.states.includes(view.state)) &&
    (!filter.theirDid || view.theirDid === filter.theirDid) &&
    (!filter.theirPublicDid || view.theirPublicDid === filter.theirPublicDid) &&
    (!filter.role || view.role === filter.role) &&
    (!filter.protocol || view.protocol === filter.protocol) &&
    (!filter.invitationMsgId || view.invitationMsgId === filter.invitationMsgId)
  )
}

const isReady = (state: DidExchangeState) => state === DidExchangeState.ResponseSent || state === DidExchangeState.Completed

export function connectionService(deps: { tenants: TenantService; dids: DidService; events: TenantEventBus; endpoint: string }) {
  const { tenants, dids, events, endpoint } = deps

  async function factsFor(tenantAgent: TenantAgent, outOfBandId?: string): Promise<InvitationFacts | undefined> {
    if (!outOfBandId) return undefined
    const record = await tenantAgent.oob.findById(outOfBandId)
    return record ? invitationFacts(record) : undefined
  }

  /**
   * The waiting invitation holding `connectionId`. Callers look for a Credo record of that id
   * first: once Credo has made the connection, the invitation no longer stands for it.
   */
  async function findPending(tenantAgent: TenantAgent, connectionId: string): Promise<OutOfBandRecord | undefined> {
    const received = await tenantAgent.oob.findAllByQuery({ role: OutOfBandRole.Receiver })
    return received.find((record) => isPending(record) && reservedConnectionId(record) === connectionId)
  }

  /** A connection id stands for a Credo record or, before Credo made one, a waiting invitation. */
  async function locate(
    tenantAgent: TenantAgent,
    connectionId: string,
  ): Promise<{ record: ConnectionRecord; pending?: undefined } | { record?: undefined; pending: OutOfBandRecord }> {
    const record = await tenantAgent.connections.findById(connectionId)
    if (record) return { record }
    const pending = await findPending(tenantAgent, connectionId)
    if (pending) return { pending }
    throw notFoundError(`Connection ${connectionId} not found`)
  }

  async function viewIn(tenantAgent: TenantAgent, connectionId: string): Promise<ConnectionView> {
    const { record, pending } = await locate(tenantAgent, connectionId)
    return record ? connectionView(record, await factsFor(tenantAgent, record.outOfBandId)) : pendingView(pending, connectionId)
  }

  async function getRecord(tenantAgent: TenantAgent, connectionId: string): Promise<ConnectionRecord> {
    const record = await tenantAgent.connections.findById(connectionId)
    if (!record) throw notFoundError(`Connection ${connectionId} not found`)
    return record
  }

  /** The Credo record; a waiting invitation is refused as being in the wrong state. */
  async function readyOrPending(tenantAgent: TenantAgent, connectionId: string): Promise<ConnectionRecord> {
    const { record } = await locate(tenantAgent, connectionId)
    if (!record) throw badRequest('connectionId', `Connection ${connectionId} is in state invitation-received`)
    return record
  }

  async function readyRecord(tenantAgent: TenantAgent, connectionId: string): Promise<ConnectionRecord> {
    const { record } = await locate(tenantAgent, connectionId)
    if (!record) throw badRequest('connectionId', `Connection ${connectionId} not ready`)
    if (!isReady(record.state)) throw badRequest('connectionId', `Connection ${connectionId} not ready (state ${record.state})`)
    return record
  }

  return {
    async list(walletId: string, filter: ConnectionFilter = {}): Promise<ConnectionView[]> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const [records, invitations] = await Promise.all([tenantAgent.connections.getAll(), tenantAgent.oob.getAll()])
        const byId = new Map(invitations.map((record) => [record.id, record]))
        const views = records.map((record) => {
          const invitation = record.outOfBandId ? byId.get(record.outOfBandId) : undefined
          return connectionView(record, invitation && invitationFacts(invitation))
        })
        const taken = new Set(records.map((record) => record.id))
        for (const invitation of invitations) {
          const reserved = reservedConnectionId(invitation)
          if (reserved && isPending(invitation) && !taken.has(reserved)) views.push(pendingView(invitation, reserved))
        }
        return views.filter((view) => matches(view, filter)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      })
    },

    get(walletId: string, connectionId: string): Promise<ConnectionView> {
      return tenants.withTenant(walletId, (tenantAgent) => viewIn(tenantAgent, connectionId))
    },

    /** Deletes the connection (or the pending invitation standing for it) and reports it deleted. */
    async remove(walletId: string, connectionId: string): Promise<void> {
      const view = await tenants.withTenant(walletId, async (tenantAgent) => {
        const { record, pending } = await locate(tenantAgent, connectionId)
        if (record) {
          await tenantAgent.connections.deleteById(connectionId)
          return connectionView(record, await factsFor(tenantAgent, record.outOfBandId))
        }
        await tenantAgent.oob.deleteById(pending.id)
        return pendingView(pending, connectionId)
      })
      events.recordChanged(walletId, { kind: 'connection', view: { ...view, deleted: true, updatedAt: new Date() } })
    },

    async endpoints(walletId: string, connectionId: string): Promise<{ myEndpoint: string; theirEndpoint?: string }> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await getRecord(tenantAgent, connectionId)
        let theirEndpoint: string | undefined
        if (record.theirDid) {
          const document = await tenantAgent.dids.resolveDidDocument(record.theirDid).catch(() => undefined)
          theirEndpoint = document?.didCommServices[0]?.serviceEndpoint
        }
        return { myEndpoint: endpoint, theirEndpoint }
      })
    },

    async metadata(walletId: string, connectionId: string): Promise<Record<string, unknown>> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await getRecord(tenantAgent, connectionId)
        return record.metadata.get<Record<string, unknown>>(ACAPY_METADATA_KEY) ?? {}
      })
    },

    /** Merges `metadata` into the connection's metadata and returns all of it. */
    async setMetadata(walletId: string, connectionId: string, metadata: Record<string, unknown>): Promise<Record<string, unknown>> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await getRecord(tenantAgent, connectionId)
        const merged = { ...(record.metadata.get<Record<string, unknown>>(ACAPY_METADATA_KEY) ?? {}), ...metadata }
        record.metadata.set(ACAPY_METADATA_KEY, merged)
        await tenantAgent.dependencyManager.resolve(CredoConnectionService).update(tenantAgent.context, record)
        return merged
      })
    },

    /**
     * Sends a DID exchange request to a public DID's implicit invitation (ACA-Py
     * /didexchange/create-request). `ourDid` defaults to a fresh did:peer made by Credo.
     */
    async requestToPublicDid(
      walletId: string,
      input: { theirPublicDid: string; alias?: string; label?: string; useDid?: string; useDidMethod?: 2 | 4; usePublicDid?: boolean; goal?: string; goalCode?: string },
    ): Promise<ConnectionView> {
      const ourDid = await dids.ownDidFor(walletId, input)
      return tenants.withTenant(walletId, async (tenantAgent) => {
        let result
        try {
          result = await tenantAgent.oob.receiveImplicitInvitation({
            did: input.theirPublicDid,
            alias: input.alias,
            label: input.label,
            autoAcceptInvitation: true,
            autoAcceptConnection: true,
            ourDid,
            handshakeProtocols: [HandshakeProtocol.DidExchange],
          })
        } catch {
          // Not the resolver's words: they would tell a caller about hosts it cannot see.
          throw badRequest('theirPublicDid', `Cannot send a request to ${input.theirPublicDid}: it does not resolve to a DIDComm service`)
        }
        if (!result.connectionRecord) throw badRequest('theirPublicDid', `${input.theirPublicDid} offers no DID exchange`)
        return connectionView(result.connectionRecord, await factsFor(tenantAgent, result.outOfBandRecord.id))
      })
    },

    /** Sends our request for a received invitation that waited (ACA-Py accept-invitation). */
    async acceptInvitation(walletId: string, connectionId: string, input: { label?: string; useDid?: string; useDidMethod?: 2 | 4 }): Promise<ConnectionView> {
      // Checked before a DID is made for it: a refused call leaves nothing behind.
      const pending = await tenants.withTenant(walletId, async (tenantAgent) => {
        const { record, pending: waiting } = await locate(tenantAgent, connectionId)
        if (record) throw badRequest('connectionId', `Connection ${connectionId} is in state ${record.state}, not invitation-received`)
        return waiting
      })
      if ((input.useDid || input.useDidMethod) && invitationFacts(pending).handshake === 'connections/1.0') {
        throw badRequest('useDid', 'A connections/1.0 invitation cannot be accepted with a DID of our choosing')
      }
      const ourDid = await dids.ownDidFor(walletId, input)
      return tenants.withTenant(walletId, async (tenantAgent) => {
        // Checked again in this session: a concurrent accept may have made the connection meanwhile.
        if ((await locate(tenantAgent, connectionId)).record) throw badRequest('connectionId', `Connection ${connectionId} was accepted already`)
        const { connectionRecord } = await tenantAgent.oob.acceptInvitation(pending.id, {
          label: input.label,
          autoAcceptConnection: true,
          ourDid,
        })
        if (!connectionRecord) throw badRequest('connectionId', 'The invitation offers no handshake to accept')
        return connectionView(connectionRecord, invitationFacts(pending))
      })
    },

    /** Sends our response to a request that waited (ACA-Py accept-request). */
    async acceptRequest(walletId: string, connectionId: string): Promise<ConnectionView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await readyOrPending(tenantAgent, connectionId)
        if (record.state !== DidExchangeState.RequestReceived) {
          throw badRequest('connectionId', `Connection ${connectionId} is in state ${record.state}, not request-received`)
        }
        const accepted = await tenantAgent.connections.acceptRequest(connectionId)
        return connectionView(accepted, await factsFor(tenantAgent, accepted.outOfBandId))
      })
    },

    /** Refuses a request (problem report to the requester) or a waiting invitation; the connection is abandoned. */
    async reject(walletId: string, connectionId: string, reason?: string): Promise<ConnectionView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const { record, pending } = await locate(tenantAgent, connectionId)
        if (!record) {
          // Nothing was sent yet: abandoning is forgetting the invitation.
          await tenantAgent.oob.deleteById(pending.id)
          const view = { ...pendingView(pending, connectionId), state: DidExchangeState.Abandoned, errorMsg: reason ?? 'rejected' }
          events.recordChanged(walletId, { kind: 'connection', view })
          return view
        }
        if (record.state !== DidExchangeState.RequestReceived && record.state !== DidExchangeState.ResponseReceived) {
          throw badRequest('connectionId', `Connection ${connectionId} is in state ${record.state}; only a received request or response can be rejected`)
        }
        const problem = new Rfc0023DidExchangeProblemReport({
          description: {
            code: record.state === DidExchangeState.RequestReceived ? 'request_not_accepted' : 'response_not_accepted',
            en: reason ?? 'rejected',
          },
        })
        problem.setThread({ threadId: record.threadId })
        // The peer being unreachable does not stop us abandoning.
        await sendProblemReport(tenantAgent, record, problem).catch(() => undefined)
        record.errorMessage = reason ?? 'rejected'
        const service = tenantAgent.dependencyManager.resolve(CredoConnectionService)
        await service.updateState(tenantAgent.context, record, DidExchangeState.Abandoned)
        return connectionView(record, await factsFor(tenantAgent, record.outOfBandId))
      })
    },

    /** Sends a basic message; returns its message id. */
    async sendMessage(walletId: string, connectionId: string, content: string): Promise<string | undefined> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        await readyRecord(tenantAgent, connectionId)
        const sent = await tenantAgent.basicMessages.sendMessage(connectionId, content)
        return sent.threadId
      })
    },

    /** Sends a trust ping that asks for a response; returns its thread id. */
    async sendPing(walletId: string, connectionId: string): Promise<string> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        await readyRecord(tenantAgent, connectionId)
        const ping = await tenantAgent.connections.sendPing(connectionId, { responseRequested: true })
        return ping.threadId
      })
    },
  }

  /**
   * Before we respond to a request we have no DID of our own on the connection, so Credo cannot
   * send on it; the report then goes to the requester's DID service, from the invitation's key.
   */
  async function sendProblemReport(tenantAgent: TenantAgent, record: ConnectionRecord, problem: DidExchangeProblemReportMessage) {
    const agentContext = tenantAgent.context
    const sender = tenantAgent.dependencyManager.resolve(MessageSender)
    if (record.did) return sender.sendMessage(new OutboundMessageContext(problem, { agentContext, connection: record }))
    const invitation = record.outOfBandId ? await tenantAgent.oob.findById(record.outOfBandId) : null
    const fingerprint = invitation?.getTags().recipientKeyFingerprints?.[0]
    if (!record.theirDid || !fingerprint) return
    const [service] = await tenantAgent.dependencyManager.resolve(DidCommDocumentService).resolveServicesFromDid(agentContext, record.theirDid)
    if (!service) return
    await sender.sendMessage(
      new OutboundMessageContext(problem, { agentContext, serviceParams: { service, senderKey: Key.fromFingerprint(fingerprint) } }),
    )
  }
}

export type ConnectionService = ReturnType<typeof connectionService>
