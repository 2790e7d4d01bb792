// The controller API's basic messages (seed 003): a message *request record* addressed to a contact
// (first) or to an invitation (second), sent at once on the newest active connection that matches,
// or kept `pending` until such a connection completes — also across a restart, since the record is
// in the relational store and a sweep at boot delivers what is due. Messages the wallet receives
// are listed beside them (`received`). A message may also go straight to one connection (the
// console's chat): sent first and recorded once sent, so a refused one leaves no row.
import { notFoundError } from '../errors'
import type { AppLogger } from '../logger'
import { controllerConnectionUses } from '../store/controllerConnectionUses'
import { type ControllerMessage, controllerMessages } from '../store/controllerMessages'
import type { Store } from '../store/db'
import type { ConnectionService } from './connections'
import type { ControllerInvitationService } from './controllerInvitations'

export { MESSAGE_STATES } from '../store/controllerMessages'
export type { ControllerMessage, MessageState } from '../store/controllerMessages'

export function controllerMessageService(deps: { store: Store; connections: ConnectionService; invitations: ControllerInvitationService; logger: AppLogger }) {
  const { store, connections, invitations, logger } = deps
  const rows = controllerMessages(store)
  const uses = controllerConnectionUses(store)

  async function getRow(walletId: string, id: number): Promise<ControllerMessage> {
    const found = await rows.get(walletId, id)
    if (!found) throw notFoundError(`Message ${id} not found`)
    return found
  }

  /** Sends a pending message on `connectionId`, once: the row is claimed before anything is sent. */
  async function deliver(walletId: string, id: number, connectionId: string): Promise<void> {
    if (!(await rows.claim(walletId, id, connectionId))) return
    const { message } = await getRow(walletId, id)
    try {
      const messageId = await connections.sendMessage(walletId, connectionId, message)
      const sentAt = new Date().toISOString()
      await rows.sent(id, messageId ?? null, sentAt)
    } catch (error) {
      logger.warn({ walletId, err: error, messageRecordId: id }, 'controller message could not be sent')
      await rows.failed(id, (error as Error).message)
    }
  }

  /** Keeps a message that went over (or came in on) a connection, with that connection's contact when it has one. */
  async function recordOnConnection(
    walletId: string,
    input: { connectionId: string; messageId?: string; content: string; state: 'sent' | 'received'; sentTime?: string },
  ): Promise<number> {
    const link = await uses.get(walletId, input.connectionId)
    return rows.insertOnConnection({
      walletId,
      connectionId: input.connectionId,
      messageId: input.messageId ?? null,
      contactId: link?.contactId ?? null,
      invitationId: link ? link.invitationId : null,
      message: input.content,
      state: input.state,
      sentTime: input.sentTime ?? null,
    })
  }

  return {
    async create(walletId: string, input: { contactId?: string; invitationId?: number; message: string }): Promise<ControllerMessage> {
      const address = await invitations.assertAddress(walletId, input)
      const id = await rows.insertPending(walletId, address, input.message)
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
      return rows.list(walletId, filter)
    },

    get: getRow,

    /** A connection completed: the messages waiting for it (by its contact, or by its invitation) go now. */
    async connectionCompleted(walletId: string, connectionId: string, reached: { contactId: string; invitationId: number }): Promise<void> {
      for (const id of await rows.waitingFor(walletId, reached)) await deliver(walletId, id, connectionId)
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
      await rows.failInterrupted()
      for (const message of await rows.pending()) {
        const connectionId = await invitations.activeConnectionFor(message.walletId, message).catch(() => undefined)
        if (connectionId) await deliver(message.walletId, message.id, connectionId)
      }
    },
  }
}

export type ControllerMessageService = ReturnType<typeof controllerMessageService>
