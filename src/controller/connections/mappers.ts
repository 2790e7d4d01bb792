// Proven face: the connection row of seed 003 ("Connections - Read All Connections"). Its state
// vocabulary is RFC 0160's: invitation, init, request, response, active, error, deleted. Fields the
// seed marks "ACA-Py field" that Credo has no counterpart for (routing, inbound connection,
// initiator, transaction role) are null, as ACA-Py shows them unset.
import type { z } from 'zod'

import { DidExchangeRole } from '../../agent/credo'
import { RFC0160_STATE } from '../../services/connections'
import type { ControllerConnectionView } from '../../services/controllerInvitations'
import { didKeyOfBase58 } from '../invitations/mappers'
import type { connectionRow } from './schemas'

export const CONNECTION_SORT_FIELDS = [
  'connection_id',
  'state',
  'alias',
  'their_label',
  'their_role',
  'contact_id',
  'invitation_id',
  'invitation_mode',
  'invitation_msg_id',
  'accept',
  'created_at',
  'updated_at',
] as const

export function toConnectionRow(
  walletId: string,
  { connection: view, contactId, invitation, outOfBand, discoveredFeatures }: ControllerConnectionView,
): z.input<typeof connectionRow> {
  return {
    connection_id: view.connectionId,
    state: view.deleted ? 'deleted' : RFC0160_STATE[view.state],
    my_did: view.myDid ?? null,
    alias: view.alias ?? null,
    request_id: view.requestId ?? null,
    invitation_key: view.invitationKey ? didKeyOfBase58(view.invitationKey) : null,
    invitation_msg_id: view.invitationMsgId ?? null,
    invitation_mode: outOfBand?.record.reusable ? 'multi' : 'once',
    invitation_url: invitation?.invitationUrl ?? null,
    invitation: outOfBand ? outOfBand.record.outOfBandInvitation.toJSON() : null,
    accept: view.autoAccept ? 'auto' : 'manual',
    initiator: view.role === DidExchangeRole.Requester ? 'external' : 'self',
    their_role: view.role === DidExchangeRole.Requester ? 'inviter' : 'invitee',
    their_did: view.theirDid ?? null,
    their_public_did: view.theirPublicDid ?? null,
    their_label: view.theirLabel ?? null,
    routing_state: null,
    inbound_connection_id: null,
    error_msg: view.errorMsg ?? null,
    contact_id: contactId ?? null,
    invitation_id: invitation?.invitationId ?? null,
    transaction_role: null,
    discovered_features: discoveredFeatures,
    wallet_id: walletId,
    created_at: view.createdAt.toISOString(),
    updated_at: view.updatedAt.toISOString(),
  }
}
