// ACA-Py face: OobRecord and InvitationRecord (reference §4) from Credo's out-of-band record.
import { OutOfBandRole, OutOfBandState } from '@credo-ts/core'

import type { OutOfBandView } from '../../services/outOfBand'
import { acapyTimestamp, dropNullish } from '../serialization'

function acapyState({ record, connectionId, deleted }: OutOfBandView): string {
  if (deleted) return 'deleted'
  // A reused connection is the view's connection, or none other was made. Credo marks the record
  // done just after it reports the reuse, so the receive response may still see prepare-response.
  const reuse = record.reuseConnectionId
  if (record.role === OutOfBandRole.Receiver && reuse && (connectionId ?? reuse) === reuse) {
    if (record.state === OutOfBandState.Done || connectionId === reuse) return 'reuse-accepted'
  }
  return record.state
}

export function toOobRecord(view: OutOfBandView) {
  const { record } = view
  const invitation = record.outOfBandInvitation.toJSON()
  const [firstService] = (invitation.services as unknown[] | undefined) ?? []
  return dropNullish({
    oob_id: record.id,
    state: acapyState(view),
    invi_msg_id: record.outOfBandInvitation.id,
    invitation,
    their_service: record.role === OutOfBandRole.Receiver && typeof firstService === 'object' ? firstService : undefined,
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
