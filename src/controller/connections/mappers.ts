// Proven face: the connection row of seed 003 ("Connections - Read All Connections"). Its state
// vocabulary is RFC 0160's: invitation, init, request, response, active, error, deleted.
import { DidExchangeRole } from '@credo-ts/core'

import { RFC0160_STATE, type ConnectionView } from '../../services/connections'

export const CONNECTION_SORT_FIELDS = [
  'connection_id',
  'state',
  'alias',
  'their_label',
  'their_role',
  'contact_id',
  'created_at',
  'updated_at',
] as const

export function toConnectionRow(walletId: string, view: ConnectionView) {
  return {
    connection_id: view.connectionId,
    state: view.deleted ? 'deleted' : RFC0160_STATE[view.state],
    my_did: view.myDid ?? null,
    alias: view.alias ?? null,
    their_role: view.role === DidExchangeRole.Requester ? 'inviter' : 'invitee',
    their_did: view.theirDid ?? null,
    their_public_did: view.theirPublicDid ?? null,
    their_label: view.theirLabel ?? null,
    error_msg: view.errorMsg ?? null,
    // Filled by the invitations/contacts work (controller API part 1).
    contact_id: null,
    wallet_id: walletId,
    created_at: view.createdAt.toISOString(),
    updated_at: view.updatedAt.toISOString(),
  }
}
