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
import type { Db, Store } from '../store/db'
import type { ConnectionService, ConnectionView } from './connections'
import type { DiscoveryService } from './discovery'
import type { OutOfBandService, OutOfBandView } from './outOfBand'

export type InvitationMode = 'once' | 'multi'
export type WorkflowStatus = 'active' | 'inactive'

export interface InvitationRules {
  workflowStatus: WorkflowStatus
  description: string | null
  activeStartingAt: string
  activeEndingAt: string | null
  /** null: no limit. Always 1 for a `once` invitation. */
  usesAllowed: number | null
}

/** What an operator chooses for an invitation when creating it, besides its rules. */
interface InvitationChoices {
  invitationType: 'OOB' | 'CV1'
  alias: string | null
  invitationMode: InvitationMode
  accept: 'auto' | 'manual'
  public: boolean
  invitationRole: string | null
  invitationLabel: string | null
}

export interface CreateControllerInvitation extends InvitationChoices, InvitationRules {
  contactId?: string
  /**
   * didexchange/1.0, didexchange/1.1 or connections/1.0 as a full https://didcomm.org URI; by
   * default didexchange/1.1, or connections/1.0 for CV1 (the only one CV1 has).
   */
  handshakeProtocol?: string
}

export interface ControllerInvitation extends InvitationChoices {
  invitationId: number
  walletId: string
  oobId: string
  invitationMsgId: string
  contactId: string
  handshakeProtocol: string | null
  rules: InvitationRules
  usesTotal: number
  invitationUrl: string
  createdAt: string
  updatedAt: string
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

interface InvitationRow extends Record<string, unknown> {
  invitation_id: number | string
  wallet_id: string
  oob_id: string
  invitation_msg_id: string
  contact_id: string
  invitation_type: 'OOB' | 'CV1'
  handshake_protocol: string | null
  alias: string | null
  invitation_mode: InvitationMode
  accept: 'auto' | 'manual'
  public: number | string
  invitation_role: string | null
  invitation_label: string | null
  workflow_status: WorkflowStatus
  description: string | null
  active_starting_at: string
  active_ending_at: string | null
  uses_allowed: number | string | null
  uses_total: number | string
  invitation_url: string
  created_at: string
  updated_at: string
}

const fromRow = (row: InvitationRow): ControllerInvitation => ({
  invitationId: Number(row.invitation_id),
  walletId: row.wallet_id,
  oobId: row.oob_id,
  invitationMsgId: row.invitation_msg_id,
  contactId: row.contact_id,
  invitationType: row.invitation_type,
  handshakeProtocol: row.handshake_protocol,
  alias: row.alias,
  invitationMode: row.invitation_mode,
  accept: row.accept,
  public: Number(row.public) === 1,
  invitationRole: row.invitation_role,
  invitationLabel: row.invitation_label,
  rules: {
    workflowStatus: row.workflow_status,
    description: row.description,
    activeStartingAt: row.active_starting_at,
    activeEndingAt: row.active_ending_at,
    usesAllowed: row.uses_allowed === null ? null : Number(row.uses_allowed),
  },
  usesTotal: Number(row.uses_total),
  invitationUrl: row.invitation_url,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

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

  async function rowById(db: Db, walletId: string, invitationId: number): Promise<ControllerInvitation> {
    const row = await db.get<InvitationRow>('SELECT * FROM controller_invitations WHERE wallet_id = ? AND invitation_id = ?', [walletId, invitationId])
    if (!row) throw notFoundError(`Invitation ${invitationId} not found`)
    return fromRow(row)
  }

  async function ensureContact(db: Db, walletId: string, contactId: string, now: string): Promise<void> {
    // One statement, so two invitations made at once for a new contact cannot both insert it.
    await db.run(
      `INSERT INTO controller_contacts (wallet_id, contact_id, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (wallet_id, contact_id) DO UPDATE SET updated_at = excluded.updated_at`,
      [walletId, contactId, now, now],
    )
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
    const row = await store.get<InvitationRow>('SELECT * FROM controller_invitations WHERE wallet_id = ? AND oob_id = ?', [walletId, oobId])
    return row && fromRow(row)
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
          await ensureContact(tx, walletId, contactId, now)
          const inserted = await tx.get<{ invitation_id: number }>(
            `INSERT INTO controller_invitations (wallet_id, oob_id, invitation_msg_id, contact_id, invitation_type, handshake_protocol, alias,
              invitation_mode, accept, public, invitation_role, invitation_label, workflow_status, description, active_starting_at,
              active_ending_at, uses_allowed, uses_total, invitation_url, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING invitation_id`,
            [
              walletId,
              view.record.id,
              view.record.outOfBandInvitation.id,
              contactId,
              input.invitationType,
              handshakeUri,
              input.alias,
              input.invitationMode,
              input.accept,
              input.public ? 1 : 0,
              input.invitationRole,
              input.invitationLabel,
              input.workflowStatus,
              input.description,
              input.activeStartingAt,
              input.activeEndingAt,
              input.invitationMode === 'once' ? 1 : input.usesAllowed,
              invitationUrl,
              now,
              now,
            ],
          )
          return Number(inserted!.invitation_id)
        })
        return { invitation: await rowById(store, walletId, invitationId), outOfBand: view }
      } catch (error) {
        // Nothing half-made: the agent's invitation goes when its controller record cannot be kept.
        await outOfBand.withdraw(walletId, view.record.id).catch(() => undefined)
        throw error
      }
    },

    async list(walletId: string): Promise<ControllerInvitationView[]> {
      const rows = await store.all<InvitationRow>('SELECT * FROM controller_invitations WHERE wallet_id = ? ORDER BY invitation_id', [walletId])
      return views(walletId, rows.map(fromRow))
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
        await tx.run(
          `UPDATE controller_invitations SET workflow_status = ?, description = ?, active_starting_at = ?, active_ending_at = ?, uses_allowed = ?, updated_at = ?
           WHERE wallet_id = ? AND invitation_id = ?`,
          [rules.workflowStatus, rules.description, rules.activeStartingAt, rules.activeEndingAt, rules.usesAllowed, new Date().toISOString(), walletId, invitationId],
        )
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
      await store.run('DELETE FROM controller_invitations WHERE wallet_id = ? AND invitation_id = ?', [walletId, invitationId])
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
      const counted = await store.all<{ connection_id: string }>('SELECT connection_id FROM controller_connection_uses WHERE wallet_id = ? AND invitation_id = ?', [
        walletId,
        invitation.invitationId,
      ])
      const held = new Set([...counted.map((row) => row.connection_id), ...liveConnectionIds]).size
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
        const row = await tx.get<InvitationRow>('SELECT * FROM controller_invitations WHERE wallet_id = ? AND oob_id = ?', [walletId, oobId])
        if (!row) return undefined
        const now = new Date().toISOString()
        const known = await tx.get('SELECT connection_id FROM controller_connection_uses WHERE wallet_id = ? AND connection_id = ?', [walletId, connectionId])
        if (!known) {
          await tx.run('INSERT INTO controller_connection_uses (wallet_id, connection_id, invitation_id, contact_id, created_at) VALUES (?, ?, ?, ?, ?)', [
            walletId,
            connectionId,
            row.invitation_id,
            row.contact_id,
            now,
          ])
          await tx.run('UPDATE controller_invitations SET uses_total = uses_total + 1, updated_at = ? WHERE invitation_id = ?', [now, row.invitation_id])
          await tx.run('UPDATE controller_contacts SET updated_at = ? WHERE wallet_id = ? AND contact_id = ?', [now, walletId, row.contact_id])
        }
        return fromRow(row)
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
      const [links, rows, oobViews, discovered] = await Promise.all([
        connectionLinks(walletId, made),
        store.all<InvitationRow>('SELECT * FROM controller_invitations WHERE wallet_id = ?', [walletId]),
        outOfBand.list(walletId, {}),
        discovery.records(walletId, connectionId),
      ])
      const invitationsById = new Map(rows.map((row) => [Number(row.invitation_id), fromRow(row)]))
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
    const [used, invitations] = await Promise.all([
      store.all<{ connection_id: string; contact_id: string; invitation_id: number }>(
        'SELECT connection_id, contact_id, invitation_id FROM controller_connection_uses WHERE wallet_id = ?',
        [walletId],
      ),
      store.all<{ oob_id: string; contact_id: string; invitation_id: number }>('SELECT oob_id, contact_id, invitation_id FROM controller_invitations WHERE wallet_id = ?', [walletId]),
    ])
    const links = new Map<string, { contactId: string; invitationId: number }>()
    // Connections under way belong to their invitation's contact; completed ones keep theirs even
    // once the invitation is deleted.
    const byOob = new Map(invitations.map((row) => [row.oob_id, { contactId: row.contact_id, invitationId: Number(row.invitation_id) }]))
    for (const view of views) {
      const link = view.outOfBandId && byOob.get(view.outOfBandId)
      if (link) links.set(view.connectionId, link)
    }
    for (const row of used) links.set(row.connection_id, { contactId: row.contact_id, invitationId: Number(row.invitation_id) })
    return links
  }

  async function contacts(walletId: string): Promise<Contact[]> {
    const [rows, invitations, used] = await Promise.all([
      store.all<{ contact_id: string; created_at: string; updated_at: string }>('SELECT * FROM controller_contacts WHERE wallet_id = ?', [walletId]),
      store.all<{ contact_id: string; invitation_id: number }>('SELECT contact_id, invitation_id FROM controller_invitations WHERE wallet_id = ?', [walletId]),
      store.all<{ contact_id: string; connection_id: string }>('SELECT contact_id, connection_id FROM controller_connection_uses WHERE wallet_id = ?', [walletId]),
    ])
    return rows.map((row) => ({
      contactId: row.contact_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      invitationIds: invitations.filter((i) => i.contact_id === row.contact_id).map((i) => Number(i.invitation_id)),
      connectionIds: used.filter((u) => u.contact_id === row.contact_id).map((u) => u.connection_id),
    }))
  }
}

export type ControllerInvitationService = ReturnType<typeof controllerInvitationService>
