// The controller API's basic messages as rows of `controller_messages` (migration 7): the one place
// that knows their columns and SQL, for SQLite and PostgreSQL alike. When a message goes, and on
// which connection, is the message service's (services/controllerMessages.ts).
import type { Db } from './db'

export const MESSAGE_STATES = ['pending', 'sending', 'sent', 'failed', 'received'] as const
export type MessageState = (typeof MESSAGE_STATES)[number]

export interface ControllerMessage {
  id: number
  walletId: string
  messageId: string | null
  contactId: string | null
  invitationId: number | null
  connectionId: string | null
  message: string
  state: MessageState
  sentTime: string | null
  errorMsg: string | null
  createdAt: string
  updatedAt: string
}

/** A row as either database returns it: PostgreSQL's bigints may come as strings. */
interface MessageRow extends Record<string, unknown> {
  id: number | string
  wallet_id: string
  message_id: string | null
  contact_id: string | null
  invitation_id: number | string | null
  connection_id: string | null
  message: string
  state: MessageState
  sent_time: string | null
  error_msg: string | null
  created_at: string
  updated_at: string
}

const fromRow = (row: MessageRow): ControllerMessage => ({
  id: Number(row.id),
  walletId: row.wallet_id,
  messageId: row.message_id,
  contactId: row.contact_id,
  invitationId: row.invitation_id === null ? null : Number(row.invitation_id),
  connectionId: row.connection_id,
  message: row.message,
  state: row.state,
  sentTime: row.sent_time,
  errorMsg: row.error_msg,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

const now = () => new Date().toISOString()

/** A message kept once it went over, or came in on, a connection. */
export interface ConnectionMessage {
  walletId: string
  connectionId: string
  messageId: string | null
  contactId: string | null
  invitationId: number | null
  message: string
  state: 'sent' | 'received'
  sentTime: string | null
}

export function controllerMessages(db: Db) {
  const many = async (sql: string, params: Array<string | number | null>) => (await db.all<MessageRow>(sql, params)).map(fromRow)

  return {
    get: async (walletId: string, id: number): Promise<ControllerMessage | undefined> => {
      const row = await db.get<MessageRow>('SELECT * FROM controller_messages WHERE wallet_id = ? AND id = ?', [walletId, id])
      return row && fromRow(row)
    },

    list: (walletId: string, filter: { connectionId?: string } = {}) =>
      filter.connectionId
        ? many('SELECT * FROM controller_messages WHERE wallet_id = ? AND connection_id = ? ORDER BY id', [walletId, filter.connectionId])
        : many('SELECT * FROM controller_messages WHERE wallet_id = ? ORDER BY id', [walletId]),

    /** Pending messages, of every wallet. */
    pending: () => many(`SELECT * FROM controller_messages WHERE state = 'pending' ORDER BY id`, []),

    /** Ids of the pending messages for a contact, or (without one) for an invitation. */
    async waitingFor(walletId: string, reached: { contactId: string; invitationId: number }): Promise<number[]> {
      const rows = await db.all<{ id: number | string }>(
        `SELECT id FROM controller_messages WHERE wallet_id = ? AND state = 'pending' AND (contact_id = ? OR (contact_id IS NULL AND invitation_id = ?)) ORDER BY id`,
        [walletId, reached.contactId, reached.invitationId],
      )
      return rows.map((row) => Number(row.id))
    },

    /** A message for a contact or an invitation, pending until a connection reaches it. */
    async insertPending(walletId: string, address: { contactId: string | null; invitationId: number | null }, message: string): Promise<number> {
      const at = now()
      const inserted = await db.get<{ id: number }>(
        `INSERT INTO controller_messages (wallet_id, contact_id, invitation_id, message, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id`,
        [walletId, address.contactId, address.invitationId, message, at, at],
      )
      return Number(inserted!.id)
    },

    async insertOnConnection(record: ConnectionMessage): Promise<number> {
      const at = now()
      const inserted = await db.get<{ id: number }>(
        `INSERT INTO controller_messages (wallet_id, message_id, contact_id, invitation_id, connection_id, message, state, sent_time, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [record.walletId, record.messageId, record.contactId, record.invitationId, record.connectionId, record.message, record.state, record.sentTime, at, at],
      )
      return Number(inserted!.id)
    },

    /** Claims a pending message for sending on `connectionId`, once: false when it was not pending. */
    async claim(walletId: string, id: number, connectionId: string): Promise<boolean> {
      const claimed = await db.run(`UPDATE controller_messages SET state = 'sending', connection_id = ?, updated_at = ? WHERE wallet_id = ? AND id = ? AND state = 'pending'`, [
        connectionId,
        now(),
        walletId,
        id,
      ])
      return claimed.changes > 0
    },

    sent: (id: number, messageId: string | null, sentAt: string) =>
      db.run(`UPDATE controller_messages SET state = 'sent', message_id = ?, sent_time = ?, updated_at = ? WHERE id = ?`, [messageId, sentAt, sentAt, id]),

    failed: (id: number, errorMsg: string) =>
      db.run(`UPDATE controller_messages SET state = 'failed', error_msg = ?, updated_at = ? WHERE id = ?`, [errorMsg, now(), id]),

    /** Messages a crash left `sending`, of every wallet, fail: sent or not, the row cannot tell. */
    failInterrupted: () =>
      db.run(`UPDATE controller_messages SET state = 'failed', error_msg = 'interrupted while sending', updated_at = ? WHERE state = 'sending'`, [now()]),
  }
}

export type ControllerMessageRepository = ReturnType<typeof controllerMessages>
