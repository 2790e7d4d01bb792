// The controller API's basic messages (seed 003): a message *request record* addressed to a contact
// (first) or to an invitation (second), sent at once on the newest active connection that matches,
// or kept `pending` until such a connection completes — also across a restart, since the record is
// in the relational store and a sweep at boot delivers what is due. Messages the wallet receives
// are listed beside them (`received`). A message may also go straight to one connection (the
// console's chat): sent first and recorded once sent, so a refused one leaves no row.
import { notFoundError } from '../errors'
import type { AppLogger } from '../logger'
import type { Store } from '../store/db'
import type { ConnectionService } from './connections'
import type { ControllerInvitationService } from './controllerInvitations'

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

export function controllerMessageService(deps: { store: Store; connections: ConnectionService; invitations: ControllerInvitationService; logger: AppLogger }) {
  const { store, connections, invitations, logger } = deps

  async function getRow(walletId: string, id: number): Promise<ControllerMessage> {
    const row = await store.get<MessageRow>('SELECT * FROM controller_messages WHERE wallet_id = ? AND id = ?', [walletId, id])
    if (!row) throw notFoundError(`Message ${id} not found`)
    return fromRow(row)
  }

  /** Sends a pending message on `connectionId`, once: the row is claimed before anything is sent. */
  async function deliver(walletId: string, id: number, connectionId: string): Promise<void> {
    const now = new Date().toISOString()
    const claimed = await store.run(`UPDATE controller_messages SET state = 'sending', connection_id = ?, updated_at = ? WHERE wallet_id = ? AND id = ? AND state = 'pending'`, [
      connectionId,
      now,
      walletId,
      id,
    ])
    if (claimed.changes === 0) return
    const { message } = await getRow(walletId, id)
    try {
      const messageId = await connections.sendMessage(walletId, connectionId, message)
      const sentAt = new Date().toISOString()
      await store.run(`UPDATE controller_messages SET state = 'sent', message_id = ?, sent_time = ?, updated_at = ? WHERE id = ?`, [messageId ?? null, sentAt, sentAt, id])
    } catch (error) {
      logger.warn({ walletId, err: error, messageRecordId: id }, 'controller message could not be sent')
      await store.run(`UPDATE controller_messages SET state = 'failed', error_msg = ?, updated_at = ? WHERE id = ?`, [
        (error as Error).message,
        new Date().toISOString(),
        id,
      ])
    }
  }

  /** Keeps a message that went over (or came in on) a connection, with that connection's contact when it has one. */
  async function recordOnConnection(
    walletId: string,
    input: { connectionId: string; messageId?: string; content: string; state: 'sent' | 'received'; sentTime?: string },
  ): Promise<number> {
    const link = await store.get<{ contact_id: string; invitation_id: number }>(
      'SELECT contact_id, invitation_id FROM controller_connection_uses WHERE wallet_id = ? AND connection_id = ?',
      [walletId, input.connectionId],
    )
    const now = new Date().toISOString()
    const inserted = await store.get<{ id: number }>(
      `INSERT INTO controller_messages (wallet_id, message_id, contact_id, invitation_id, connection_id, message, state, sent_time, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [walletId, input.messageId ?? null, link?.contact_id ?? null, link ? Number(link.invitation_id) : null, input.connectionId, input.content, input.state, input.sentTime ?? null, now, now],
    )
    return Number(inserted!.id)
  }

  return {
    async create(walletId: string, input: { contactId?: string; invitationId?: number; message: string }): Promise<ControllerMessage> {
      const address = await invitations.assertAddress(walletId, input)
      const now = new Date().toISOString()
      const inserted = await store.get<{ id: number }>(
        `INSERT INTO controller_messages (wallet_id, contact_id, invitation_id, message, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id`,
        [walletId, address.contactId, address.invitationId, input.message, now, now],
      )
      const id = Number(inserted!.id)
      const connectionId = await invitations.activeConnectionFor(walletId, address)
      if (connectionId) await deliver(walletId, id, connectionId)
      return getRow(walletId, id)
    },

    /** Sends `message` on one connection now; a connection that is unknown or not ready is refused (nothing is recorded). */
    async sendOnConnection(walletId: string, connectionId: string, message: string): Promise<ControllerMessage> {
      const messageId = await connections.sendMessage(walletId, connectionId, message)
      const id = await recordOnConnection(walletId, { connectionId, messageId, content: message, state: 'sent', sentTime: new Date().toISOString() })
      return getRow(walletId, id)
    },

    async list(walletId: string, filter: { connectionId?: string } = {}): Promise<ControllerMessage[]> {
      const rows = filter.connectionId
        ? await store.all<MessageRow>('SELECT * FROM controller_messages WHERE wallet_id = ? AND connection_id = ? ORDER BY id', [walletId, filter.connectionId])
        : await store.all<MessageRow>('SELECT * FROM controller_messages WHERE wallet_id = ? ORDER BY id', [walletId])
      return rows.map(fromRow)
    },

    get: getRow,

    /** A connection completed: the messages waiting for it (by its contact, or by its invitation) go now. */
    async connectionCompleted(walletId: string, connectionId: string, reached: { contactId: string; invitationId: number }): Promise<void> {
      const waiting = await store.all<{ id: number }>(
        `SELECT id FROM controller_messages WHERE wallet_id = ? AND state = 'pending' AND (contact_id = ? OR (contact_id IS NULL AND invitation_id = ?)) ORDER BY id`,
        [walletId, reached.contactId, reached.invitationId],
      )
      for (const { id } of waiting) await deliver(walletId, Number(id), connectionId)
    },

    /** A basic message the wallet received, listed with the contact of its connection when known. */
    async received(walletId: string, input: { connectionId: string; messageId: string; content: string; sentTime?: string }): Promise<void> {
      await recordOnConnection(walletId, { ...input, state: 'received' })
    },

    /**
     * At boot: pending messages whose connection completed while the server was down, and ones a
     * crash left `sending` (sent or not: the record cannot tell, so they are marked failed, never sent twice).
     */
    async sweep(): Promise<void> {
      await store.run(`UPDATE controller_messages SET state = 'failed', error_msg = 'interrupted while sending', updated_at = ? WHERE state = 'sending'`, [
        new Date().toISOString(),
      ])
      const pending = await store.all<MessageRow>(`SELECT * FROM controller_messages WHERE state = 'pending' ORDER BY id`)
      for (const row of pending.map(fromRow)) {
        const connectionId = await invitations.activeConnectionFor(row.walletId, row).catch(() => undefined)
        if (connectionId) await deliver(row.walletId, row.id, connectionId)
      }
    },
  }
}

export type ControllerMessageService = ReturnType<typeof controllerMessageService>
