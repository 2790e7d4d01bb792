// ACA-Py face: ConnRecord (reference §6.1) from a connection view. `state` is the RFC 0160 word
// ACA-Py stores, `rfc23_state` the RFC 0023 one Credo uses; `their_role` is stored in RFC 0160 terms.
import { DidExchangeRole, DidExchangeState } from '../../agent/credo'

import { RFC0160_STATE, type ConnectionView } from '../../services/connections'
import { acapyTimestamp, dropNullish } from '../serialization'

/** Credo states a `state` filter word stands for; either vocabulary is accepted (§6.2). */
export function statesForFilter(word: string): DidExchangeState[] | undefined {
  const rfc23 = Object.values(DidExchangeState).find((state) => state === word)
  if (rfc23) return [rfc23]
  const states = (Object.keys(RFC0160_STATE) as DidExchangeState[]).filter((state) => RFC0160_STATE[state] === word)
  return states.length > 0 ? states : undefined
}

/** ACA-Py's their_role: `inviter` when they responded to our request, `invitee` when we did. */
export const theirRole = (ourRole: DidExchangeRole) => (ourRole === DidExchangeRole.Requester ? 'inviter' : 'invitee')

export function ourRoleForFilter(theirRoleWord: string): DidExchangeRole | undefined {
  if (theirRoleWord === 'inviter' || theirRoleWord === 'responder') return DidExchangeRole.Requester
  if (theirRoleWord === 'invitee' || theirRoleWord === 'requester') return DidExchangeRole.Responder
  return undefined
}

export function toConnRecord(view: ConnectionView) {
  return dropNullish({
    connection_id: view.connectionId,
    state: view.deleted ? 'deleted' : RFC0160_STATE[view.state],
    rfc23_state: view.deleted ? undefined : view.state,
    their_role: theirRole(view.role),
    connection_protocol: view.protocol,
    my_did: view.myDid,
    their_did: view.theirDid,
    their_label: view.theirLabel,
    their_public_did: view.theirPublicDid,
    alias: view.alias,
    invitation_key: view.invitationKey,
    invitation_msg_id: view.invitationMsgId,
    request_id: view.requestId,
    accept: view.autoAccept ? 'auto' : 'manual',
    // ACA-Py keeps `multi` for the invitation's own record, which Credo does not make; every
    // connection made from an invitation, multi-use or not, is `once`.
    invitation_mode: 'once',
    error_msg: view.errorMsg,
    created_at: acapyTimestamp(view.createdAt.toISOString()),
    updated_at: acapyTimestamp(view.updatedAt.toISOString()),
  })
}
