// The controller API's invitations as rows of `controller_invitations` (migration 7): the one place
// that knows their columns and SQL, for SQLite and PostgreSQL alike. Their workflow rules, and
// what a connection made from one counts for, are the invitation service's
// (services/controllerInvitations.ts).
import type { Db } from './db'

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
export interface InvitationChoices {
  invitationType: 'OOB' | 'CV1'
  alias: string | null
  invitationMode: InvitationMode
  accept: 'auto' | 'manual'
  public: boolean
  invitationRole: string | null
  invitationLabel: string | null
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

/** A row as either database returns it: PostgreSQL's bigints and booleans-as-integers may come as strings. */
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

/** What a new invitation is kept with; it starts with no use counted. */
export interface NewControllerInvitation extends InvitationChoices, InvitationRules {
  walletId: string
  oobId: string
  invitationMsgId: string
  contactId: string
  handshakeProtocol: string
  invitationUrl: string
  /** Its creation and last update. */
  at: string
}

/** Which contact and invitation an out-of-band record stands for. */
export interface InvitationLink {
  oobId: string
  contactId: string
  invitationId: number
}

export function controllerInvitations(db: Db) {
  const one = async (sql: string, params: Array<string | number | null>) => {
    const row = await db.get<InvitationRow>(sql, params)
    return row && fromRow(row)
  }

  return {
    get: (walletId: string, invitationId: number) => one('SELECT * FROM controller_invitations WHERE wallet_id = ? AND invitation_id = ?', [walletId, invitationId]),

    /** The invitation behind an out-of-band record, if the controller API made it. */
    byOutOfBandId: (walletId: string, oobId: string) => one('SELECT * FROM controller_invitations WHERE wallet_id = ? AND oob_id = ?', [walletId, oobId]),

    list: async (walletId: string) => (await db.all<InvitationRow>('SELECT * FROM controller_invitations WHERE wallet_id = ? ORDER BY invitation_id', [walletId])).map(fromRow),

    /** The wallet's invitations as out-of-band record, contact and invitation id only. */
    links: async (walletId: string): Promise<InvitationLink[]> =>
      (
        await db.all<{ oob_id: string; contact_id: string; invitation_id: number | string }>(
          'SELECT oob_id, contact_id, invitation_id FROM controller_invitations WHERE wallet_id = ?',
          [walletId],
        )
      ).map((row) => ({ oobId: row.oob_id, contactId: row.contact_id, invitationId: Number(row.invitation_id) })),

    async insert(invitation: NewControllerInvitation): Promise<number> {
      const inserted = await db.get<{ invitation_id: number }>(
        `INSERT INTO controller_invitations (wallet_id, oob_id, invitation_msg_id, contact_id, invitation_type, handshake_protocol, alias,
          invitation_mode, accept, public, invitation_role, invitation_label, workflow_status, description, active_starting_at,
          active_ending_at, uses_allowed, uses_total, invitation_url, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING invitation_id`,
        [
          invitation.walletId,
          invitation.oobId,
          invitation.invitationMsgId,
          invitation.contactId,
          invitation.invitationType,
          invitation.handshakeProtocol,
          invitation.alias,
          invitation.invitationMode,
          invitation.accept,
          invitation.public ? 1 : 0,
          invitation.invitationRole,
          invitation.invitationLabel,
          invitation.workflowStatus,
          invitation.description,
          invitation.activeStartingAt,
          invitation.activeEndingAt,
          invitation.usesAllowed,
          invitation.invitationUrl,
          invitation.at,
          invitation.at,
        ],
      )
      return Number(inserted!.invitation_id)
    },

    setRules: (walletId: string, invitationId: number, rules: InvitationRules) =>
      db.run(
        `UPDATE controller_invitations SET workflow_status = ?, description = ?, active_starting_at = ?, active_ending_at = ?, uses_allowed = ?, updated_at = ?
         WHERE wallet_id = ? AND invitation_id = ?`,
        [rules.workflowStatus, rules.description, rules.activeStartingAt, rules.activeEndingAt, rules.usesAllowed, new Date().toISOString(), walletId, invitationId],
      ),

    /** One more use. */
    countUse: (invitationId: number, at: string) =>
      db.run('UPDATE controller_invitations SET uses_total = uses_total + 1, updated_at = ? WHERE invitation_id = ?', [at, invitationId]),

    remove: (walletId: string, invitationId: number) => db.run('DELETE FROM controller_invitations WHERE wallet_id = ? AND invitation_id = ?', [walletId, invitationId]),
  }
}

export type ControllerInvitationRepository = ReturnType<typeof controllerInvitations>
