// ACA-Py face, connections: request schemas (reference §6).
import { z } from 'zod'

import { DidExchangeState } from '../../agent/credo'
import { paginationQuery, recordId } from '../queryParams'
import { ourRoleForFilter, statesForFilter } from './mappers'

export const connIdParams = z.object({ conn_id: recordId })

export const listConnectionsQuery = z.object({
  alias: z.string().max(200).optional(),
  invitation_key: z.string().max(200).optional(),
  my_did: z.string().max(5000).optional(),
  state: z
    .string()
    .refine((word) => statesForFilter(word) !== undefined, { message: 'is not a connection state (RFC 0160 or RFC 0023)' })
    .optional(),
  their_did: z.string().max(5000).optional(),
  their_public_did: z.string().max(2000).optional(),
  their_role: z
    .string()
    .refine((word) => ourRoleForFilter(word) !== undefined, { message: 'must be invitee, requester, inviter or responder' })
    .optional(),
  connection_protocol: z.enum(['didexchange/1.0', 'didexchange/1.1', 'connections/1.0']).optional(),
  invitation_msg_id: z.string().max(200).optional(),
  ...paginationQuery,
})

export const metadataQuery = z.object({ key: z.string().max(200).optional() })
export const setMetadataBody = z.object({ metadata: z.record(z.string(), z.unknown()) }).strict()
export const sendMessageBody = z.object({ content: z.string().min(1).max(65_536) }).strict()
export const sendPingBody = z.object({ comment: z.string().max(1000).optional() }).strict()

/** ACA-Py's ConnRecord (reference §6.1), the keys a connection has. */
export const connRecord = z.object({
  connection_id: z.string(),
  state: z.enum(['init', 'invitation', 'request', 'response', 'active', 'error', 'deleted']),
  rfc23_state: z.nativeEnum(DidExchangeState).optional(),
  their_role: z.enum(['inviter', 'invitee']),
  connection_protocol: z.string().optional(),
  my_did: z.string().optional(),
  their_did: z.string().optional(),
  their_label: z.string().optional(),
  their_public_did: z.string().optional(),
  alias: z.string().optional(),
  invitation_key: z.string().optional(),
  invitation_msg_id: z.string().optional(),
  request_id: z.string().optional(),
  accept: z.enum(['auto', 'manual']),
  invitation_mode: z.literal('once'),
  error_msg: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const connRecordList = z.object({ results: z.array(connRecord) })
export const connEndpoints = z.object({ my_endpoint: z.string(), their_endpoint: z.string().nullable() })
/** A key's value, or the whole metadata without `key`. */
export const connMetadata = z.object({ results: z.unknown() })
export const pingSent = z.object({ thread_id: z.string() })
export const nothing = z.object({})
