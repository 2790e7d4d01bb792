// ACA-Py face: OobRecord and InvitationRecord (reference §4) from Credo's out-of-band record.
import { DidKey, OutOfBandRole, OutOfBandState } from '../../agent/credo'

import { isImplicit, startsHandshake, type OutOfBandView } from '../../services/outOfBand'
import { acapyTimestamp, dropNullish } from '../serialization'

function acapyState({ record, connectionId, deleted, reportedState }: OutOfBandView): string {
  if (deleted) return 'deleted'
  if (reportedState) return reportedState
  // A reused connection is the view's connection, or none other was made. Credo marks the record
  // done just after it reports the reuse, so the receive response may still see prepare-response.
  const reuse = record.reuseConnectionId
  if (record.role === OutOfBandRole.Receiver && reuse && (connectionId ?? reuse) === reuse) {
    if (record.state === OutOfBandState.Done || connectionId === reuse) return 'reuse-accepted'
  }
  return record.state
}

/**
 * Whether ACA-Py would have deleted this record by now: an invitee's once its handshake has a
 * connection, a single-use invitation of ours once a request for it came (core/oob_processor.py).
 * Credo keeps both (its handshake still needs them); the ACA-Py face lists neither.
 */
export function deletedForAcaPy(view: OutOfBandView): boolean {
  const { record } = view
  // ACA-Py keeps no record for a request to a public DID at all.
  if (isImplicit(record)) return true
  if (!startsHandshake(record)) return false
  if (record.role === OutOfBandRole.Receiver) return !record.reuseConnectionId && view.connectionId !== undefined
  return !record.reusable && (view.connectionId !== undefined || record.state === OutOfBandState.Done)
}

/** A did:key (with or without fragment) as the raw base58 key ACA-Py's ServiceDecorator lists. */
const rawKey = (key: string) => (key.startsWith('did:key:') ? DidKey.fromDid(key.split('#')[0]).key.publicKeyBase58 : key)

/**
 * The invitation's first inline service as ACA-Py's ServiceDecorator, which ACA-Py keeps only for an
 * invitation without handshake (the connectionless answer goes there); a DID service has none.
 */
function theirService(record: OutOfBandView['record']) {
  if (record.role !== OutOfBandRole.Receiver || startsHandshake(record)) return undefined
  const [service] = record.outOfBandInvitation.getInlineServices()
  if (!service) return undefined
  return dropNullish({
    recipientKeys: service.recipientKeys.map(rawKey),
    routingKeys: service.routingKeys?.length ? service.routingKeys.map(rawKey) : undefined,
    serviceEndpoint: service.serviceEndpoint,
  })
}

export function toOobRecord(view: OutOfBandView) {
  const { record } = view
  const invitation = record.outOfBandInvitation.toJSON()
  return dropNullish({
    oob_id: record.id,
    state: acapyState(view),
    invi_msg_id: record.outOfBandInvitation.id,
    invitation,
    their_service: theirService(record),
    connection_id: view.connectionId ?? record.reuseConnectionId,
    our_recipient_key: view.ourRecipientKey,
    role: record.role,
    multi_use: record.reusable,
    trace: false,
    created_at: acapyTimestamp(record.createdAt.toISOString()),
    updated_at: acapyTimestamp((record.updatedAt ?? record.createdAt).toISOString()),
  })
}

/** The create-invitation response; never stored, so no id or timestamps (as in ACA-Py). */
export function toInvitationRecord(view: OutOfBandView, invitationUrl: string) {
  return {
    state: 'initial',
    trace: false,
    invi_msg_id: view.record.outOfBandInvitation.id,
    oob_id: view.record.id,
    invitation: view.record.outOfBandInvitation.toJSON(),
    invitation_url: invitationUrl,
  }
}
