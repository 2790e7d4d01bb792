// Proven face: the invitation row of seed 003 ("Invitations - Read All Invitations"), followed by
// the create-body fields the seed's rows leave out (type, handshake, public, role, label), so a
// controller can read back everything it set. `state` is the agent's out-of-band state, `deleted`
// when the agent no longer has the invitation.
import type { z } from 'zod'

import { Key, KeyType } from '../../agent/credo'
import { badRequest } from '../../errors'
import type { Contact, ControllerInvitationView, CreateControllerInvitation } from '../../services/controllerInvitations'
import type { contactRow, createInvitationBody, invitationRow } from './schemas'

/** Fields a list can be sorted by: every row field, and the create body's names for the same fields. */
export const INVITATION_SORT_FIELDS = [
  'invitation_id',
  'oob_id',
  'contact_id',
  'connection_id',
  'alias',
  'invitation_mode',
  'invitation_msg_id',
  'accept',
  'their_label',
  'workflow_status',
  'state',
  'description',
  'active_starting_at',
  'active_ending_at',
  'uses_allowed',
  'uses_total',
  'invitation_type',
  'handshake_protocol',
  'public',
  'invitation_role',
  'invitation_label',
  'created_at',
  'updated_at',
] as const

/** The create body's names for row fields, accepted as `sort-field` too. */
export const INVITATION_SORT_ALIASES: Record<string, string> = {
  invitation_status: 'workflow_status',
  invitation_description: 'description',
  invitation_active_starting_at: 'active_starting_at',
  invitation_active_ending_at: 'active_ending_at',
  invitation_uses_allowed: 'uses_allowed',
}

/** The invitation message as the URL carries it: RFC 0160 for CV1, RFC 0434 otherwise. */
function invitationMessage(view: ControllerInvitationView): Record<string, unknown> | null {
  const legacy = new URL(view.invitation.invitationUrl).searchParams.get('c_i')
  if (legacy) return JSON.parse(Buffer.from(legacy, 'base64url').toString('utf8'))
  return view.outOfBand ? (view.outOfBand.record.outOfBandInvitation.toJSON() as Record<string, unknown>) : null
}

function endpointOf(view: ControllerInvitationView): { serviceEndpoint: string; domain: string; path: string } {
  const [service] = view.outOfBand?.record.outOfBandInvitation.getInlineServices() ?? []
  const serviceEndpoint = typeof service?.serviceEndpoint === 'string' ? service.serviceEndpoint : new URL(view.invitation.invitationUrl).origin
  const url = new URL(serviceEndpoint)
  return { serviceEndpoint, domain: url.host, path: url.pathname === '/' ? '' : url.pathname }
}

export function toInvitationRow(view: ControllerInvitationView): z.input<typeof invitationRow> {
  const { invitation, outOfBand } = view
  const record = outOfBand?.record
  const fingerprint = record?.getTags().recipientKeyFingerprints?.[0]
  const publicDid = record?.outOfBandInvitation.getDidServices()[0]
  const { serviceEndpoint, domain, path } = endpointOf(view)
  return {
    invitation_id: invitation.invitationId,
    oob_id: invitation.oobId,
    contact_id: invitation.contactId,
    connection_id: view.connectionId ?? null,
    my_did: invitation.public && publicDid ? publicDid : '',
    alias: invitation.alias,
    invitation_key: fingerprint ? `did:key:${fingerprint}#${fingerprint}` : null,
    invitation_mode: invitation.invitationMode,
    invitation_url: invitation.invitationUrl,
    invitation_msg_id: invitation.invitationMsgId,
    invitation: invitationMessage(view),
    wallet_id: invitation.walletId,
    accept: invitation.accept,
    their_role: 'sender',
    their_label: record?.outOfBandInvitation.label ?? null,
    service_endpoint: serviceEndpoint,
    domain,
    path,
    workflow_status: invitation.rules.workflowStatus,
    state: record?.state ?? 'deleted',
    description: invitation.rules.description ?? '',
    active_starting_at: invitation.rules.activeStartingAt,
    active_ending_at: invitation.rules.activeEndingAt,
    uses_allowed: invitation.rules.usesAllowed,
    uses_total: invitation.usesTotal,
    invitation_type: invitation.invitationType,
    handshake_protocol: invitation.handshakeProtocol,
    public: invitation.public,
    invitation_role: invitation.invitationRole,
    invitation_label: invitation.invitationLabel,
    created_at: invitation.createdAt,
    updated_at: invitation.updatedAt,
  }
}

/** The invitation key in the form the seed shows, for a base58 key. */
export const didKeyOfBase58 = (base58: string) => {
  const fingerprint = Key.fromPublicKeyBase58(base58, KeyType.Ed25519).fingerprint
  return `did:key:${fingerprint}#${fingerprint}`
}

export const CONTACT_SORT_FIELDS = ['contact_id', 'created_at', 'updated_at'] as const

/** Contacts are Credence's addition (the seed only refers to them by id). */
export function toContactRow(walletId: string, contact: Contact): z.input<typeof contactRow> {
  return {
    contact_id: contact.contactId,
    invitation_ids: contact.invitationIds,
    connection_ids: contact.connectionIds,
    wallet_id: walletId,
    created_at: contact.createdAt,
    updated_at: contact.updatedAt,
  }
}

/** The invitation as wallet apps register to open it: `didcomm://invite?oob=…` (or `?c_i=…` for CV1). */
export const deepLinkOf = (invitationUrl: string) => `didcomm://invite${new URL(invitationUrl).search}`

/**
 * The create body in the service's terms, with the seed's defaults. `uses_allowed` is the field
 * table's name, `invitation_uses_allowed` the sample bodies'; the first given wins.
 */
export function toCreateInvitation(body: z.output<typeof createInvitationBody>): CreateControllerInvitation {
  if (body.invitation_mode === 'static') {
    throw badRequest('invitation_mode', 'invitation_mode static is not supported: use once or multi (a static connection needs no invitation)')
  }
  const usesAllowed = body.uses_allowed !== undefined ? body.uses_allowed : (body.invitation_uses_allowed ?? null)
  if (body.invitation_mode === 'once' && usesAllowed !== null && usesAllowed !== 1) {
    throw badRequest('uses_allowed', 'A once invitation has exactly one use')
  }
  return {
    invitationType: body.invitation_type,
    contactId: body.contact_id ?? undefined,
    handshakeProtocol: body.handshake_protocol ?? undefined,
    alias: body.alias ?? null,
    invitationMode: body.invitation_mode,
    accept: body.accept,
    public: body.public,
    invitationRole: body.invitation_role ?? null,
    invitationLabel: body.invitation_label ?? null,
    workflowStatus: body.invitation_status ?? 'active',
    description: body.invitation_description ?? null,
    activeStartingAt: body.invitation_active_starting_at ?? new Date().toISOString(),
    activeEndingAt: body.invitation_active_ending_at ?? null,
    usesAllowed,
  }
}
