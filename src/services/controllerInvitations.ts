// The controller API's invitations (seed 003): an out-of-band (or RFC 0160) invitation plus the
// workflow rules an operator sets on it — active or not, a window in time, a number of uses — and
// the contact every connection made from it belongs to.
//
// Proven keeps such rules in its controller and warns that they "can be bypassed". Here the agent
// asks `admit` before it takes a connection request for the invitation (agent/invitationGate.ts),
// so a request outside the rules is refused with a problem report whatever the caller does.
// `uses_total` counts completed connections only, each once (controller_connection_uses).
import { DidExchangeState, HandshakeProtocol, utils } from '../agent/credo'

import { DomainError, badRequest, notFoundError } from '../errors'
import { controllerConnectionUses } from '../store/controllerConnectionUses'
import { controllerContacts } from '../store/controllerContacts'
import { type ControllerInvitation, type InvitationChoices, type InvitationRules, controllerInvitations } from '../store/controllerInvitations'
import type { Db, Store } from '../store/db'
import type { ConnectionService, ConnectionView } from './connections'
import type { DiscoveryService } from './discovery'
import type { OutOfBandService, OutOfBandView } from './outOfBand'

export type { ControllerInvitation, InvitationMode, InvitationRules, WorkflowStatus } from '../store/controllerInvitations'

export interface CreateControllerInvitation extends InvitationChoices, InvitationRules {
  contactId?: string
  /**
   * didexchange/1.0, didexchange/1.1 or connections/1.0 as a full https://didcomm.org URI; by
   * default didexchange/1.1, or connections/1.0 for CV1 (the only one CV1 has).
   */
  handshakeProtocol?: string
}

/** An invitation with what the agent knows of it: its out-of-band record and the connections it made. */
export interface ControllerInvitationView {
  invitation: ControllerInvitation
  /** Missing only if the out-of-band record was deleted behind the controller's back. */
  outOfBand?: OutOfBandView
  connectionId?: string
}

/** A connection as the controller shows it: with its contact, the invitation it came from, its features. */
export interface ControllerConnectionView {
  connection: ConnectionView
  contactId?: string
  invitation?: ControllerInvitation
  outOfBand?: OutOfBandView
  discoveredFeatures: { 'feature-type': string; id: string; roles?: string[] }[]
}

/** Whom a request record is for: its contact's connections if it names one, else its invitation's. */
export interface ControllerAddress {
  contactId: string | null
  invitationId: number | null
}

export interface Contact {
  contactId: string
  createdAt: string
  updatedAt: string
  invitationIds: number[]
  connectionIds: string[]
}

const CONNECTIONS_1_0 = 'https://didcomm.org/connections/1.0'
const HANDSHAKE_OF: Record<string, HandshakeProtocol> = {
  'https://didcomm.org/didexchange/1.1': HandshakeProtocol.DidExchange,
  'https://didcomm.org/didexchange/1.0': HandshakeProtocol.DidExchange,
  [CONNECTIONS_1_0]: HandshakeProtocol.Connections,
}
export const HANDSHAKE_PROTOCOLS = Object.keys(HANDSHAKE_OF)

/**
 * Why the rules refuse one more connection now, or undefined when they allow it. `usesHeld` counts
 * the connections that hold a use: completed ones, and those still under way until they fail.
 */
export function refusalOf(invitation: ControllerInvitation, now: Date, usesHeld: number): string | undefined {
  const { rules, invitationId } = invitation
  if (rules.workflowStatus !== 'active') return `Invitation ${invitationId} is inactive`
  if (now < new Date(rules.activeStartingAt)) return `Invitation ${invitationId} is not active before ${rules.activeStartingAt}`
  if (rules.activeEndingAt && now > new Date(rules.activeEndingAt)) return `Invitation ${invitationId} stopped being active at ${rules.activeEndingAt}`
  if (rules.usesAllowed !== null && usesHeld >= rules.usesAllowed) {
    return `Invitation ${invitationId} has no uses left (${rules.usesAllowed} allowed)`
  }
  return undefined
}

function assertWindow(rules: Pick<InvitationRules, 'activeStartingAt' | 'activeEndingAt'>): void {
  if (rules.activeEndingAt && new Date(rules.activeEndingAt) < new Date(rules.activeStartingAt)) {
    throw badRequest('activeEndingAt', `The end of the invitation's window is before its start`)
  }
}

export function controllerInvitationService(deps: { store: Store; outOfBand: OutOfBandService; connections: ConnectionService; discovery: DiscoveryService }) {
  const { store, outOfBand, connections, discovery } = deps

  const invitationRows = controllerInvitations(store)
  const contactRows = controllerContacts(store)
  const uses = controllerConnectionUses(store)

  async function rowById(db: Db, walletId: string, invitationId: number): Promise<ControllerInvitation> {
    const invitation = await controllerInvitations(db).get(walletId, invitationId)
    if (!invitation) throw notFoundError(`Invitation ${invitationId} not found`)
    return invitation
  }

  /** Each invitation with its out-of-band record and the newest connection it made, if any. */
  async function views(walletId: string, invitations: ControllerInvitation[]): Promise<ControllerInvitationView[]> {
    if (invitations.length === 0) return []
    const [oobViews, made] = await Promise.all([outOfBand.list(walletId, {}), connections.list(walletId)])
    const oobById = new Map(oobViews.map((view) => [view.record.id, view]))
    const newestByOob = new Map<string, ConnectionView>()
    for (const view of made) if (view.outOfBandId) newestByOob.set(view.outOfBandId, view)
    return invitations.map((invitation) => ({
      invitation,
      outOfBand: oobById.get(invitation.oobId),
      connectionId: newestByOob.get(invitation.oobId)?.connectionId,
    }))
  }

  async function get(walletId: string, invitationId: number): Promise<ControllerInvitationView> {
    const [view] = await views(walletId, [await rowById(store, walletId, invitationId)])
    return view
  }

  /** The controller invitation behind an out-of-band record, if the controller API made it. */
  async function byOutOfBandId(walletId: string, oobId: string): Promise<ControllerInvitation | undefined> {
    return invitationRows.byOutOfBandId(walletId, oobId)
  }

  return {
    async create(walletId: string, input: CreateControllerInvitation): Promise<ControllerInvitationView> {
      assertWindow(input)
      const legacy = input.invitationType === 'CV1'
      const handshakeUri = input.handshakeProtocol ?? (legacy ? CONNECTIONS_1_0 : 'https://didcomm.org/didexchange/1.1')
      if (legacy && handshakeUri !== CONNECTIONS_1_0) throw badRequest('handshakeProtocol', `A CV1 invitation uses ${CONNECTIONS_1_0}`)
      const { view, invitationUrl } = await outOfBand.create(walletId, {
        handshakeProtocols: [HANDSHAKE_OF[handshakeUri]],
        handshakeUris: [handshakeUri],
        attachments: [],
        usePublicDid: input.public,
        alias: input.alias ?? undefined,
        autoAccept: input.accept === 'auto',
        multiUse: input.invitationMode === 'multi',
        legacy,
      })
      const now = new Date().toISOString()
      const contactId = input.contactId ?? utils.uuid()
      try {
        const invitationId = await store.transaction(async (tx) => {
          await controllerContacts(tx).ensure(walletId, contactId, now)
          return controllerInvitations(tx).insert({
            walletId,
            oobId: view.record.id,
            invitationMsgId: view.record.outOfBandInvitation.id,
            contactId,
            invitationType: input.invitationType,
            handshakeProtocol: handshakeUri,
            alias: input.alias,
            invitationMode: input.invitationMode,
            accept: input.accept,
            public: input.public,
            invitationRole: input.invitationRole,
            invitationLabel: input.invitationLabel,
            workflowStatus: input.workflowStatus,
            description: input.description,
            activeStartingAt: input.activeStartingAt,
            activeEndingAt: input.activeEndingAt,
            usesAllowed: input.invitationMode === 'once' ? 1 : input.usesAllowed,
            invitationUrl,
            at: now,
          })
        })
        return { invitation: await rowById(store, walletId, invitationId), outOfBand: view }
      } catch (error) {
        // Nothing half-made: the agent's invitation goes when its controller record cannot be kept.
        await outOfBand.withdraw(walletId, view.record.id).catch(() => undefined)
        throw error
      }
    },

    async list(walletId: string): Promise<ControllerInvitationView[]> {
      return views(walletId, await invitationRows.list(walletId))
    },

    get,

    /** Changes the rules; a `once` invitation keeps exactly one use. */
    async update(walletId: string, invitationId: number, change: Partial<InvitationRules>): Promise<ControllerInvitationView> {
      await store.transaction(async (tx) => {
        const current = await rowById(tx, walletId, invitationId)
        if (change.usesAllowed !== undefined && current.invitationMode === 'once' && change.usesAllowed !== 1) {
          throw badRequest('usesAllowed', `Invitation ${invitationId} is single-use: uses_allowed stays 1`)
        }
        const given = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))
        const rules: InvitationRules = { ...current.rules, ...given }
        assertWindow(rules)
        await controllerInvitations(tx).setRules(walletId, invitationId, rules)
      })
      return get(walletId, invitationId)
    },

    /**
     * Withdraws the invitation: its record and the agent's out-of-band record go, so nobody can use
     * it again. Connections it made stay, and stay with their contact.
     */
    async remove(walletId: string, invitationId: number): Promise<void> {
      const invitation = await rowById(store, walletId, invitationId)
      // Already gone from the agent (deleted through the ACA-Py face): the record goes all the same.
      await outOfBand.withdraw(walletId, invitation.oobId).catch((error) => {
        if (!(error instanceof DomainError && error.kind === 'not_found')) throw error
      })
      await invitationRows.remove(walletId, invitationId)
    },

    byOutOfBandId,

    /**
     * The agent's question before it takes a connection request: a reason to refuse, or undefined.
     * `liveConnectionIds` are the invitation's connections that have not failed, completed or not:
     * with the uses already counted they are the uses held (a completion not yet counted is in both).
     */
    async admit(walletId: string, oobId: string, liveConnectionIds: string[]): Promise<string | undefined> {
      const invitation = await byOutOfBandId(walletId, oobId)
      if (!invitation) return undefined
      const counted = await uses.connectionIdsOf(walletId, invitation.invitationId)
      const held = new Set([...counted, ...liveConnectionIds]).size
      return refusalOf(invitation, new Date(), held)
    },

    /**
     * A connection made from an invitation completed: one use, counted once, and the connection
     * joins the invitation's contact. Returns the invitation, or undefined if it is not ours.
     */
    async connectionCompleted(walletId: string, connectionId: string, oobId: string): Promise<ControllerInvitation | undefined> {
      // Most connections come from invitations the controller API did not make: a read, no write lock.
      if (!(await byOutOfBandId(walletId, oobId))) return undefined
      return store.transaction(async (tx) => {
        const invitation = await controllerInvitations(tx).byOutOfBandId(walletId, oobId)
        if (!invitation) return undefined
        const now = new Date().toISOString()
        const txUses = controllerConnectionUses(tx)
        if (!(await txUses.get(walletId, connectionId))) {
          await txUses.insert(walletId, { connectionId, invitationId: invitation.invitationId, contactId: invitation.contactId }, now)
          await controllerInvitations(tx).countUse(invitation.invitationId, now)
          await controllerContacts(tx).touch(walletId, invitation.contactId, now)
        }
        return invitation
      })
    },

    connectionLinks,

    /** The newest completed connection the address reaches, if any. */
    async activeConnectionFor(walletId: string, address: ControllerAddress): Promise<string | undefined> {
      const views = await connections.list(walletId, { states: [DidExchangeState.Completed] })
      const links = await connectionLinks(walletId, views)
      const reached = (view: ConnectionView) => {
        const link = links.get(view.connectionId)
        if (!link) return false
        return address.contactId !== null ? link.contactId === address.contactId : link.invitationId === address.invitationId
      }
      return views.filter(reached).sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime()).at(-1)?.connectionId
    },

    /** Refuses an address that names nothing of this wallet: a request for it would wait for ever. */
    async assertAddress(walletId: string, address: { contactId?: string; invitationId?: number }): Promise<ControllerAddress> {
      if (address.contactId === undefined && address.invitationId === undefined) {
        throw badRequest('contactId', 'contact_id or invitation_id is required: it says whom the request is for')
      }
      if (address.contactId !== undefined) {
        if (!(await contacts(walletId)).some((contact) => contact.contactId === address.contactId)) throw notFoundError(`Contact ${address.contactId} not found`)
      } else await rowById(store, walletId, address.invitationId!)
      return { contactId: address.contactId ?? null, invitationId: address.invitationId ?? null }
    },

    contacts,

    /** The wallet's connections (or the one asked for) with what the controller knows of each. */
    async connections(walletId: string, connectionId?: string): Promise<ControllerConnectionView[]> {
      const made = connectionId ? [await connections.get(walletId, connectionId)] : await connections.list(walletId)
      const [links, invitations, oobViews, discovered] = await Promise.all([
        connectionLinks(walletId, made),
        invitationRows.list(walletId),
        outOfBand.list(walletId, {}),
        discovery.records(walletId, connectionId),
      ])
      const invitationsById = new Map(invitations.map((invitation) => [invitation.invitationId, invitation]))
      const oobById = new Map(oobViews.map((view) => [view.record.id, view]))
      return made.map((connection) => {
        const link = links.get(connection.connectionId)
        return {
          connection,
          contactId: link?.contactId,
          invitation: link && invitationsById.get(link.invitationId),
          outOfBand: connection.outOfBandId ? oobById.get(connection.outOfBandId) : undefined,
          discoveredFeatures: discovered.filter((record) => record.connectionId === connection.connectionId).flatMap((record) => record.disclosures),
        }
      })
    },

    async contact(walletId: string, contactId: string): Promise<Contact> {
      const found = (await contacts(walletId)).find((contact) => contact.contactId === contactId)
      if (!found) throw notFoundError(`Contact ${contactId} not found`)
      return found
    },
  }

/** Contact and invitation of each connection the controller's invitations made (completed or not). */
async function connectionLinks(walletId: string, views: ConnectionView[]): Promise<Map<string, { contactId: string; invitationId: number }>> {
    const [used, invitations] = await Promise.all([uses.list(walletId), invitationRows.links(walletId)])
    const links = new Map<string, { contactId: string; invitationId: number }>()
    // Connections under way belong to their invitation's contact; completed ones keep theirs even
    // once the invitation is deleted.
    const byOob = new Map(invitations.map((link) => [link.oobId, { contactId: link.contactId, invitationId: link.invitationId }]))
    for (const view of views) {
      const link = view.outOfBandId && byOob.get(view.outOfBandId)
      if (link) links.set(view.connectionId, link)
    }
    for (const use of used) links.set(use.connectionId, { contactId: use.contactId, invitationId: use.invitationId })
    return links
  }

  async function contacts(walletId: string): Promise<Contact[]> {
    const [rows, invitations, used] = await Promise.all([contactRows.list(walletId), invitationRows.links(walletId), uses.list(walletId)])
    return rows.map((row) => ({
      ...row,
      invitationIds: invitations.filter((i) => i.contactId === row.contactId).map((i) => i.invitationId),
      connectionIds: used.filter((u) => u.contactId === row.contactId).map((u) => u.connectionId),
    }))
  }
}

export type ControllerInvitationService = ReturnType<typeof controllerInvitationService>
