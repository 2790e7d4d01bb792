// The controller API's contacts as rows of `controller_contacts` (migration 7): the one place that
// knows their columns and SQL, for SQLite and PostgreSQL alike. Which invitations and connections
// a contact has is the invitation service's to assemble (services/controllerInvitations.ts).
import type { Db } from './db'

export interface ContactRow {
  contactId: string
  createdAt: string
  updatedAt: string
}

export function controllerContacts(db: Db) {
  return {
    list: async (walletId: string): Promise<ContactRow[]> =>
      (await db.all<{ contact_id: string; created_at: string; updated_at: string }>('SELECT * FROM controller_contacts WHERE wallet_id = ?', [walletId])).map((row) => ({
        contactId: row.contact_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      })),

    /** Makes the contact, or marks it updated if it is there. */
    ensure: (walletId: string, contactId: string, at: string) =>
      // One statement, so two invitations made at once for a new contact cannot both insert it.
      db.run(
        `INSERT INTO controller_contacts (wallet_id, contact_id, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (wallet_id, contact_id) DO UPDATE SET updated_at = excluded.updated_at`,
        [walletId, contactId, at, at],
      ),

    touch: (walletId: string, contactId: string, at: string) =>
      db.run('UPDATE controller_contacts SET updated_at = ? WHERE wallet_id = ? AND contact_id = ?', [at, walletId, contactId]),
  }
}

export type ControllerContactRepository = ReturnType<typeof controllerContacts>
