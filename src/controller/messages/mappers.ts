// Proven face: the seed's message row.
import type { z } from 'zod'

import type { ControllerMessage } from '../../services/controllerMessages'
import type { messageRow } from './schemas'

export function toMessageRow(message: ControllerMessage): z.input<typeof messageRow> {
  return {
    id: message.id,
    message_id: message.messageId ?? '',
    contact_id: message.contactId,
    invitation_id: message.invitationId,
    connection_id: message.connectionId,
    message: message.message,
    state: message.state,
    sent_time: message.sentTime,
    locale: '',
    error_msg: message.errorMsg,
    wallet_id: message.walletId,
    created_at: message.createdAt,
    updated_at: message.updatedAt,
  }
}
