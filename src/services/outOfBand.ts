// Out-of-band invitations of one wallet: creating them (with the ACA-Py options Credo can honour),
// receiving them (RFC 0434 invitations, and legacy RFC 0160 ones where Credo can), listing and
// deleting. The connection a received invitation will make gets its id at once when the
// controller accepts it by hand (see agent/patches/connectionBirth.ts).
import {
  ConnectionRepository,
  HandshakeProtocol,
  OutOfBandRepository,
  OutOfBandRole,
  DidExchangeState,
  utils,
  CredentialState,
  ProofState,
  type ConnectionRecord,
  type OutOfBandInvitation,
  type OutOfBandRecord,
} from '../agent/credo'
import { parseInvitationJson } from '../agent/credoInternals'

import { reserveConnectionId, reservedConnectionId, setConnectionMetadataForInvitation } from '../agent/patches/connectionBirth'
import { badRequest, conflict, invalid, notFoundError } from '../errors'
import type { TenantEventBus } from '../events/tenantEvents'
import { connectionView, INVITATION_FACTS_KEY, invitationFacts, pendingView, type ConnectionView } from './connections'
import type { DidService } from './dids'
import type { TenantAgent, TenantService } from './tenants'

export interface OutOfBandView {
  record: OutOfBandRecord
  connectionId?: string
  ourRecipientKey?: string
  deleted?: boolean
  /** A state ACA-Py reports that Credo's record never takes (an invitee's `initial`, `done` at a request). */
  reportedState?: 'initial' | 'done'
}

/** The record Credo makes for a request to one of our public DIDs (its "invitation" id is that DID). */
export const isImplicit = (record: OutOfBandRecord) => record.outOfBandInvitation.id.startsWith('did:')

/** Whether the invitation starts a handshake (DID exchange or connections), not only an exchange. */
export const startsHandshake = (record: OutOfBandRecord) => (record.outOfBandInvitation.handshakeProtocols?.length ?? 0) > 0

export interface CreateInvitationInput {
  handshakeProtocols: HandshakeProtocol[]
  /** The same protocols with their exact versions, as the invitation should list them. */
  handshakeUris: string[]
  /** Exchanges whose first message travels in the invitation (ACA-Py's `attachments`). */
  attachments: Array<{ id: string; type: 'credential-offer' | 'present-proof' }>
  usePublicDid?: boolean
  useDid?: string
  useDidMethod?: 2 | 4
  label?: string
  alias?: string
  metadata?: Record<string, unknown>
  accept?: string[]
  goal?: string
  goalCode?: string
  autoAccept: boolean
  multiUse: boolean
  /** An RFC 0160 connection invitation (`?c_i=`) instead of an out-of-band one (controller API `CV1`). */
  legacy?: boolean
}

export interface ReceiveInvitationInput {
  /** The invitation message (RFC 0434 or RFC 0160) or a URL carrying one in `oob` or `c_i`. */
  invitation?: Record<string, unknown>
  invitationUrl?: string
  autoAccept: boolean
  alias?: string
  useExistingConnection: boolean
}

export interface InvitationLinks {
  /** Makes the short link of an invitation URL Credence created. */
  create(walletId: string, oobId: string, invitationUrl: string): Promise<void>
  /** Withdraws the short link of a deleted invitation. */
  remove(walletId: string, oobId: string): Promise<void>
}

export function ourRecipientKey(record: OutOfBandRecord): string | undefined {
  return record.role === OutOfBandRole.Sender ? invitationFacts(record).invitationKey : undefined
}

function parseInvitation(input: ReceiveInvitationInput): OutOfBandInvitation {
  if (input.invitationUrl !== undefined) {
    let url: URL
    try {
      url = new URL(input.invitationUrl)
    } catch {
      throw invalid('invitationUrl', 'invitation_url is not a URL')
    }
    // Short links would make Credence fetch a URL a caller chose; only self-contained URLs are taken.
    if (!url.searchParams.has('oob') && !url.searchParams.has('c_i')) {
      throw invalid('invitationUrl', 'invitation_url carries no invitation (no `oob` or `c_i` parameter)')
    }
    try {
      return utils.parseInvitationUrl(input.invitationUrl)
    } catch (error) {
      throw invalid('invitationUrl', `invitation_url does not hold a valid invitation: ${(error as Error).message}`)
    }
  }
  try {
    return parseInvitationJson(input.invitation ?? {})
  } catch (error) {
    throw invalid('invitation', `Not a valid invitation: ${(error as Error).message}`)
  }
}

/**
 * The first message of an exchange made with `create-offer` or `create-request` (no connection
 * yet), to travel in an invitation; the answer then comes over the connection the invitation makes.
 */
async function attachedMessage(tenantAgent: TenantAgent, attachment: { id: string; type: 'credential-offer' | 'present-proof' }) {
  if (attachment.type === 'credential-offer') {
    const record = await tenantAgent.credentials.findById(attachment.id)
    const message = record && !record.connectionId && record.state === CredentialState.OfferSent ? await tenantAgent.credentials.findOfferMessage(attachment.id) : null
    if (!message) throw badRequest('attachments', `${attachment.id} is not a credential offer made with /issue-credential-2.0/create-offer`)
    return message
  }
  const record = await tenantAgent.proofs.findById(attachment.id)
  const message = record && !record.connectionId && record.state === ProofState.RequestSent ? await tenantAgent.proofs.findRequestMessage(attachment.id) : null
  if (!message) throw badRequest('attachments', `${attachment.id} is not a proof request made with /present-proof-2.0/create-request`)
  return message
}

export function outOfBandService(deps: {
  tenants: TenantService
  dids: DidService
  events: TenantEventBus
  links: InvitationLinks
  endpoint: string
}) {
  const { tenants, dids, events, links, endpoint } = deps

  function viewOf(record: OutOfBandRecord, connections: ConnectionRecord[]): OutOfBandView {
    const connection = connections.find((candidate) => candidate.outOfBandId === record.id)
    return {
      record,
      connectionId: connection?.id ?? reservedConnectionId(record),
      ourRecipientKey: ourRecipientKey(record),
    }
  }

  /**
   * Receiving a (multi-use) invitation again makes a new connection in ACA-Py, whose invitee deletes
   * its out-of-band record once a handshake began. Credo refuses an invitation id it has a record of,
   * so the earlier records go, once their handshakes have ended: each connection keeps its
   * invitation's facts (connections.ts). One still connecting cannot be doubled (Credo would mix up
   * the two handshakes): that is a 409.
   */
  async function forgetEarlierReceipts(tenantAgent: TenantAgent, invitation: OutOfBandInvitation): Promise<void> {
    const earlier = await tenantAgent.oob.findAllByQuery({ invitationId: invitation.id, role: OutOfBandRole.Receiver })
    for (const record of earlier) {
      const connections = await tenantAgent.connections.findAllByOutOfBandId(record.id)
      const ongoing = connections.some((connection) => connection.state !== DidExchangeState.Completed && connection.state !== DidExchangeState.Abandoned)
      if (ongoing || (connections.length === 0 && reservedConnectionId(record))) {
        throw conflict('invitation', `Invitation ${invitation.id} was received before and that connection is not finished yet; accept or delete it first`)
      }
      const facts = invitationFacts(record)
      for (const connection of connections) {
        connection.metadata.set(INVITATION_FACTS_KEY, facts as unknown as Record<string, unknown>)
        await tenantAgent.dependencyManager.resolve(ConnectionRepository).update(tenantAgent.context, connection)
      }
      await tenantAgent.oob.deleteById(record.id)
    }
  }

  async function getIn(tenantAgent: TenantAgent, oobId: string): Promise<OutOfBandView> {
    const record = await tenantAgent.oob.findById(oobId)
    if (!record) throw notFoundError(`Out-of-band record ${oobId} not found`)
    return viewOf(record, await tenantAgent.connections.findAllByOutOfBandId(oobId))
  }

  return {
    async create(walletId: string, input: CreateInvitationInput): Promise<{ view: OutOfBandView; invitationUrl: string }> {
      if (input.attachments.length > 0 && input.handshakeProtocols.length === 0) {
        throw badRequest('handshakeProtocols', 'An invitation with attachments needs handshake_protocols here: the exchange continues over the connection it makes')
      }
      const invitationDid = await dids.ownDidFor(walletId, input)
      const { view, invitationUrl } = await tenants.withTenant(walletId, async (tenantAgent) => {
        const messages = await Promise.all(input.attachments.map((attachment) => attachedMessage(tenantAgent, attachment)))
        const config = {
          label: input.label,
          alias: input.alias,
          multiUseInvitation: input.multiUse,
          autoAcceptConnection: input.autoAccept,
          invitationDid,
        }
        if (input.legacy) {
          const { outOfBandRecord, invitation } = await tenantAgent.oob.createLegacyInvitation(config)
          return { view: { record: outOfBandRecord, ourRecipientKey: ourRecipientKey(outOfBandRecord) }, invitationUrl: invitation.toUrl({ domain: endpoint }) }
        }
        const record = await tenantAgent.oob.createInvitation({
          ...config,
          ...(messages.length > 0 ? { messages } : {}),
          goal: input.goal,
          goalCode: input.goalCode,
          handshake: true,
          handshakeProtocols: input.handshakeProtocols,
        })
        // What Credo's config cannot say is set on the record before the invitation is ever shown:
        // the exact handshake versions asked for (Credo always writes didexchange/1.1; it accepts
        // 1.0 requests either way), `accept`, and metadata for the connection to come.
        const invitation = record.outOfBandInvitation as { handshakeProtocols?: string[]; accept?: string[] }
        invitation.handshakeProtocols = input.handshakeUris
        if (input.accept) invitation.accept = input.accept
        if (input.metadata) setConnectionMetadataForInvitation(record, input.metadata)
        await tenantAgent.dependencyManager.resolve(OutOfBandRepository).update(tenantAgent.context, record)
        return {
          view: { record, ourRecipientKey: ourRecipientKey(record) },
          invitationUrl: record.outOfBandInvitation.toUrl({ domain: endpoint }),
        }
      })
      try {
        await links.create(walletId, view.record.id, invitationUrl)
      } catch (error) {
        // Nothing half-made: an invitation without its short link is withdrawn.
        await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.oob.deleteById(view.record.id)).catch(() => undefined)
        throw error
      }
      events.recordChanged(walletId, { kind: 'out-of-band', view })
      return { view, invitationUrl }
    },

    async receive(walletId: string, input: ReceiveInvitationInput): Promise<OutOfBandView> {
      const invitation = parseInvitation(input)
      if (invitation.getServices().length === 0) throw invalid('invitation', 'The invitation has no services')
      const hasHandshake = (invitation.handshakeProtocols?.length ?? 0) > 0
      return tenants.withTenant(walletId, async (tenantAgent) => {
        await forgetEarlierReceipts(tenantAgent, invitation)
        let result: { outOfBandRecord: OutOfBandRecord; connectionRecord?: ConnectionRecord }
        try {
          result = await tenantAgent.oob.receiveInvitation(invitation, {
            alias: input.alias,
            autoAcceptInvitation: input.autoAccept,
            // As in ACA-Py, the requester always completes once the response arrives.
            autoAcceptConnection: true,
            reuseConnection: input.useExistingConnection,
          })
        } catch (error) {
          throw badRequest('invitation', `Invitation not accepted: ${(error as Error).message}`)
        }
        const { outOfBandRecord, connectionRecord } = result
        if (!input.autoAccept && hasHandshake && !connectionRecord) {
          reserveConnectionId(outOfBandRecord, utils.uuid())
          await tenantAgent.dependencyManager.resolve(OutOfBandRepository).update(tenantAgent.context, outOfBandRecord)
          const reserved = reservedConnectionId(outOfBandRecord)!
          events.recordChanged(walletId, { kind: 'connection', view: pendingView(outOfBandRecord, reserved) })
        }
        const view: OutOfBandView = {
          record: outOfBandRecord,
          connectionId: connectionRecord?.id ?? reservedConnectionId(outOfBandRecord),
        }
        // ACA-Py's invitee is done with the out-of-band record once the handshake has a connection:
        // it reports initial, done and deleted at once and answers with the deleted record. Credo's
        // record lives on (the handshake needs it); the ACA-Py face shows it as ACA-Py would.
        if (hasHandshake && !outOfBandRecord.reuseConnectionId) {
          events.recordChanged(walletId, { kind: 'out-of-band', view: { ...view, reportedState: 'initial' } })
          events.recordChanged(walletId, { kind: 'out-of-band', view: { ...view, reportedState: 'done' } })
          events.recordChanged(walletId, { kind: 'out-of-band', view: { ...view, deleted: true } })
        }
        return view
      })
    },

    async list(
      walletId: string,
      filter: { role?: OutOfBandRole; connectionId?: string; invitationMsgId?: string },
    ): Promise<OutOfBandView[]> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const [records, connections] = await Promise.all([tenantAgent.oob.getAll(), tenantAgent.connections.getAll()])
        return records
          .map((record) => viewOf(record, connections))
          .filter(
            ({ record, connectionId }) =>
              (!filter.role || record.role === filter.role) &&
              (!filter.connectionId || connectionId === filter.connectionId) &&
              (!filter.invitationMsgId || record.outOfBandInvitation.id === filter.invitationMsgId),
          )
          .sort((a, b) => a.record.createdAt.getTime() - b.record.createdAt.getTime())
      })
    },

    get(walletId: string, oobId: string): Promise<OutOfBandView> {
      return tenants.withTenant(walletId, (tenantAgent) => getIn(tenantAgent, oobId))
    },

    /** Deletes one invitation of ours so nobody can use it again; the connections it made stay. */
    async withdraw(walletId: string, oobId: string): Promise<void> {
      const view = await tenants.withTenant(walletId, async (tenantAgent) => {
        const found = await getIn(tenantAgent, oobId)
        await tenantAgent.oob.deleteById(oobId)
        return found
      })
      await links.remove(walletId, oobId)
      events.recordChanged(walletId, { kind: 'out-of-band', view: { ...view, deleted: true } })
    },

    /** Deletes the out-of-band record of an invitation and the connections it made (ACA-Py semantics). */
    async deleteInvitation(walletId: string, invitationMsgId: string): Promise<void> {
      const removed = await tenants.withTenant(walletId, async (tenantAgent) => {
        const records = await tenantAgent.oob.findAllByQuery({ invitationId: invitationMsgId })
        if (records.length === 0) throw notFoundError(`No invitation with id ${invitationMsgId}`)
        const gone: { oob: OutOfBandView; connections: ConnectionView[] }[] = []
        for (const record of records) {
          const connections = await tenantAgent.connections.findAllByOutOfBandId(record.id)
          for (const connection of connections) await tenantAgent.connections.deleteById(connection.id)
          await tenantAgent.oob.deleteById(record.id)
          gone.push({
            oob: { ...viewOf(record, connections), deleted: true },
            connections: connections.map((connection) => ({ ...connectionView(connection, invitationFacts(record)), deleted: true })),
          })
        }
        return gone
      })
      for (const { oob } of removed) await links.remove(walletId, oob.record.id)
      for (const { oob, connections } of removed) {
        for (const connection of connections) events.recordChanged(walletId, { kind: 'connection', view: connection })
        events.recordChanged(walletId, { kind: 'out-of-band', view: oob })
      }
    },
  }
}

export type OutOfBandService = ReturnType<typeof outOfBandService>
