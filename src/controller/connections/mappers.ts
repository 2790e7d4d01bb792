// Proven face: the connection row of seed 003 ("Connections - Read All Connections").
import { DidExchangeRole, DidExchangeState, type ConnectionRecord } from '@credo-ts/core'

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

export function toConnectionRow(walletId: string, record: ConnectionRecord) {
  return {
    connection_id: record.id,
    state: STATE[record.state],
    my_did: record.did ?? null,
    alias: record.alias ?? null,
    their_role: record.role === DidExchangeRole.Requester ? 'inviter' : 'invitee',
    their_did: record.theirDid ?? null,
    their_public_did: null,
    their_label: record.theirLabel ?? null,
    error_msg: record.errorMessage ?? null,
    // Filled by the invitations/contacts work (controller API part 1).
    contact_id: null,
    wallet_id: walletId,
    created_at: record.createdAt.toISOString(),
    updated_at: (record.updatedAt ?? record.createdAt).toISOString(),
  }
}
