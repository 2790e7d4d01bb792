// Which connection used which controller invitation, as rows of `controller_connection_uses`
// (migration 7): one row per completed connection, so a use is counted once, and the contact the
// connection stays with once the invitation is gone. The one place that knows their SQL, for
// SQLite and PostgreSQL alike; when a use counts is the invitation service's.
import type { Db } from './db'

export interface ConnectionUse {
  connectionId: string
  contactId: string
  invitationId: number
}

export function controllerConnectionUses(db: Db) {
  return {
    /** The connection's use, if it completed from a controller invitation. */
    get: async (walletId: string, connectionId: string): Promise<ConnectionUse | undefined> => {
      const row = await db.get<{ contact_id: string; invitation_id: number | string }>(
        'SELECT contact_id, invitation_id FROM controller_connection_uses WHERE wallet_id = ? AND connection_id = ?',
        [walletId, connectionId],
      )
      return row && { connectionId, contactId: row.contact_id, invitationId: Number(row.invitation_id) }
    },

    list: async (walletId: string): Promise<ConnectionUse[]> =>
      (
        await db.all<{ connection_id: string; contact_id: string; invitation_id: number | string }>(
          'SELECT connection_id, contact_id, invitation_id FROM controller_connection_uses WHERE wallet_id = ?',
          [walletId],
        )
      ).map((row) => ({ connectionId: row.connection_id, contactId: row.contact_id, invitationId: Number(row.invitation_id) })),

    /** The connections counted as uses of an invitation. */
    connectionIdsOf: async (walletId: string, invitationId: number): Promise<string[]> =>
      (
        await db.all<{ connection_id: string }>('SELECT connection_id FROM controller_connection_uses WHERE wallet_id = ? AND invitation_id = ?', [walletId, invitationId])
      ).map((row) => row.connection_id),

    insert: (walletId: string, use: ConnectionUse, at: string) =>
      db.run('INSERT INTO controller_connection_uses (wallet_id, connection_id, invitation_id, contact_id, created_at) VALUES (?, ?, ?, ?, ?)', [
        walletId,
        use.connectionId,
        use.invitationId,
        use.contactId,
        at,
      ]),
  }
}

export type ControllerConnectionUseRepository = ReturnType<typeof controllerConnectionUses>
