// ACA-Py face, out-of-band: request and response schemas (reference §4).
import { z } from 'zod'

import { HandshakeProtocol, OutOfBandRole } from '../../agent/credo'
import { paginationQuery, queryBool, recordId } from '../queryParams'

/** didexchange 1.0/1.1 and connections 1.0, in any of the spellings ACA-Py accepts. */
const HANDSHAKES: Record<string, HandshakeProtocol> = {
  'didexchange/1.0': HandshakeProtocol.DidExchange,
  'didexchange/1.1': HandshakeProtocol.DidExchange,
  'connections/1.0': HandshakeProtocol.Connections,
}
const handshakeKey = (uri: string) => uri.replace(/^(https:\/\/didcomm\.org\/|did:sov:BzCbsNYhMrjHiqZDTUASHg;spec\/)/, '')

/** Parsed to Credo's protocol plus the exact URI to list in the invitation. */
const handshakeProtocol = z
  .string()
  .refine((uri) => Object.hasOwn(HANDSHAKES, handshakeKey(uri)), { message: 'must be didexchange/1.0, didexchange/1.1 or connections/1.0' })
  .transform((uri) => ({ protocol: HANDSHAKES[handshakeKey(uri)], uri: `https://didcomm.org/${handshakeKey(uri)}` }))

export const createInvitationQuery = z.object({
  auto_accept: queryBool.optional(),
  multi_use: queryBool.default('false'),
  create_unique_did: queryBool.default('false'),
})

export const createInvitationBody = z
  .object({
    handshake_protocols: z.array(handshakeProtocol).max(5).optional(),
    attachments: z.array(z.object({ id: z.string(), type: z.enum(['credential-offer', 'present-proof']) })).max(10).optional(),
    use_public_did: z.boolean().optional(),
    use_did: z.string().max(2000).optional(),
    use_did_method: z.enum(['did:peer:2', 'did:peer:4']).optional(),
    my_label: z.string().max(200).optional(),
    alias: z.string().max(200).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    mediation_id: z.string().optional(),
    accept: z.array(z.string().max(200)).max(10).optional(),
    protocol_version: z.enum(['1.0', '1.1']).optional(),
    goal_code: z.string().max(500).optional(),
    goal: z.string().max(500).optional(),
  })
  .strict()

export const receiveInvitationQuery = z.object({
  auto_accept: queryBool.optional(),
  alias: z.string().max(200).optional(),
  use_existing_connection: queryBool.default('true'),
  mediation_id: z.string().optional(),
})

/** The body is the invitation itself; Credence also takes `{invitation_url}` (an `oob` or `c_i` URL). */
export const invitationUrlBody = z.object({ invitation_url: z.string().max(100_000) }).strict()
export const invitationMessageBody = z.custom<Record<string, unknown>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>)['@type'] === 'string' &&
    typeof (value as Record<string, unknown>)['@id'] === 'string',
  { message: 'body must be an invitation message (with @type and @id) or {invitation_url}' },
)

/** Either form of the receive-invitation body; the route tells them apart. */
export const receiveInvitationBody = z.custom<z.output<typeof invitationUrlBody> | Record<string, unknown>>(
  (value) => invitationUrlBody.safeParse(value).success || invitationMessageBody.safeParse(value).success,
  { message: 'body must be an invitation message (with @type and @id) or {invitation_url}' },
)

export const listRecordsQuery = z.object({
  // `deleted` as in ACA-Py, which keeps no deleted record: it finds none.
  state: z.enum(['initial', 'prepare-response', 'await-response', 'reuse-not-accepted', 'reuse-accepted', 'done', 'deleted']).optional(),
  role: z.nativeEnum(OutOfBandRole).optional(),
  connection_id: recordId.optional(),
  invi_msg_id: recordId.optional(),
  ...paginationQuery,
})

export const oobIdQuery = z.object({ oob_id: recordId })
export const oobIdParams = z.object({ oob_id: recordId })
export const invitationMsgIdParams = z.object({ invi_msg_id: recordId })
export const qrQuery = z.object({
  format: z.enum(['svg', 'png']).default('svg'),
  content: z.enum(['short', 'full']).default('short'),
})

/** ACA-Py's cross-field rules for create-invitation; each breach is a 400 as there. */
export function createInvitationProblem(
  body: z.output<typeof createInvitationBody>,
  query: z.output<typeof createInvitationQuery>,
): { field: string; message: string } | undefined {
  const handshakes = body.handshake_protocols?.length ?? 0
  const attachments = body.attachments?.length ?? 0
  if (handshakes === 0 && attachments === 0) {
    return { field: 'handshake_protocols', message: 'Invitation must include handshake protocols, request attachments, or both' }
  }
  if (body.metadata && handshakes === 0) {
    return { field: 'metadata', message: 'Cannot store metadata without handshake protocols' }
  }
  if (query.multi_use && attachments > 0) return { field: 'multi_use', message: 'Cannot create a multi-use invitation with attachments' }
  if (query.create_unique_did && !body.use_did_method) {
    return { field: 'create_unique_did', message: 'create_unique_did can only be used with use_did_method' }
  }
  return undefined
}

/** An out-of-band invitation message as sent (its services, handshake protocols and attachments). */
const invitationMessage = z.object({ '@id': z.string(), '@type': z.string() }).passthrough()

/** ACA-Py's InvitationRecord: the create-invitation answer, never stored. */
export const invitationRecord = z.object({
  state: z.string(),
  trace: z.boolean(),
  invi_msg_id: z.string(),
  oob_id: z.string(),
  invitation: invitationMessage,
  invitation_url: z.string(),
})

/** ACA-Py's OobRecord. */
export const oobRecord = z.object({
  oob_id: z.string(),
  state: z.string(),
  invi_msg_id: z.string(),
  invitation: invitationMessage,
  their_service: z.object({ recipientKeys: z.array(z.string()), routingKeys: z.array(z.string()).optional(), serviceEndpoint: z.string() }).optional(),
  connection_id: z.string().optional(),
  our_recipient_key: z.string().optional(),
  role: z.enum(['sender', 'receiver']),
  multi_use: z.boolean(),
  trace: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const oobRecordList = z.object({ results: z.array(oobRecord) })

/** Credence's addition: the short link that answers with the invitation. */
export const shortLink = z.object({ oob_id: z.string(), invitation_url: z.string(), short_url: z.string() })

export const nothing = z.object({})
