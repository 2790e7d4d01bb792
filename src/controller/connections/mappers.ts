// Proven face: the connection row of seed 003 ("Connections - Read All Connections").
import { DidExchangeRole, DidExchangeState } from '@credo-ts/core'

import type { ConnectionView } from '../../services/connections'

/** The seed's state vocabulary: invitation, init, request, response, active, error, deleted. */
const STATE: Record<DidExchangeState, string> = {
  [DidExchangeState.Start]: 'init',
  [DidExchangeState.InvitationSent]: 'invitation',
  [DidExchangeState.InvitationReceived]: 'invitation',
  [DidExchangeState.RequestSent]: 'request',
  [DidExchangeState.RequestReceived]: 'request',
  [DidExchangeState.ResponseSent]: 'response',
  [DidExchangeState.ResponseReceived]: 'response',
  [DidExchangeState.Completed]: 'active',
  [DidExchangeState.Abandoned]: 'error',
}

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
    state: view.deleted ? 'deleted' : STATE[view.state],
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
