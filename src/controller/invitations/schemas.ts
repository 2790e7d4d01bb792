// Proven face, invitations and contacts: request and response schemas (seed 003 "Invitations").
// Words the seed capitalises (`Once`, `Auto`, `OOB`) are taken in any case. Timestamps are a unix
// time in seconds (the seed's word) or an ISO 8601 date-time (what the seed's rows show); both are
// stored as ISO.
import { z } from 'zod'

import { oobRecord } from '../../acapy/outOfBand/schemas'
import { OutOfBandState } from '../../agent/credo'
import { HANDSHAKE_PROTOCOLS } from '../../services/controllerInvitations'
import { pageOf } from '../pagination'

const word = <T extends string>(values: readonly [T, ...T[]], message: string) =>
  z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(values, { message }))

const timestamp = z
  // The largest unix time a JavaScript date holds, in seconds.
  .union([z.number().int().nonnegative().max(8_640_000_000_000), z.string().datetime({ offset: true })], {
    errorMap: () => ({ message: 'must be a unix timestamp in seconds or an ISO 8601 date-time' }),
  })
  .transform((value) => new Date(typeof value === 'number' ? value * 1000 : value).toISOString())

const usesAllowed = z.number().int().min(1, 'must be at least 1').max(1_000_000).nullable()
const text = (max: number) => z.string().max(max).nullable()

export const createInvitationBody = z
  .object({
    invitation_type: z
      .string()
      .transform((value) => value.trim().toUpperCase())
      .pipe(z.enum(['OOB', 'CV1'], { message: 'must be OOB or CV1' }))
      .default('OOB'),
    contact_id: z.string().trim().min(1).max(200).nullable().optional(),
    handshake_protocol: z
      .string()
      .refine((uri) => HANDSHAKE_PROTOCOLS.includes(uri), { message: `must be one of ${HANDSHAKE_PROTOCOLS.join(', ')}` })
      .nullable()
      .optional(),
    alias: text(200).optional(),
    invitation_mode: word(['once', 'multi', 'static'], 'must be once or multi').default('once'),
    accept: word(['auto', 'manual'], 'must be auto or manual').default('auto'),
    public: z.boolean().default(false),
    invitation_role: text(200).optional(),
    invitation_label: text(200).optional(),
    invitation_status: word(['active', 'inactive'], 'must be active or inactive').nullable().optional(),
    invitation_description: text(2000).optional(),
    invitation_active_starting_at: timestamp.nullable().optional(),
    invitation_active_ending_at: timestamp.nullable().optional(),
    uses_allowed: usesAllowed.optional(),
    // The seed's sample bodies spell it this way; the field table says uses_allowed.
    invitation_uses_allowed: usesAllowed.optional(),
  })
  .strict()

export const updateInvitationBody = z
  .object({
    workflow_status: word(['active', 'inactive'], 'must be active or inactive').optional(),
    description: text(2000).optional(),
    active_starting_at: timestamp.optional(),
    active_ending_at: timestamp.nullable().optional(),
    uses_allowed: usesAllowed.optional(),
  })
  .strict()

export const acceptInvitationBody = z.object({ invitation_url: z.string().min(1).max(100_000) }).strict()

export const invitationIdParams = z.object({
  invitation_id: z.coerce.number({ message: 'must be an integer invitation id' }).int().positive(),
})

export const contactIdParams = z.object({ contact_id: z.string().min(1).max(200) })

// Responses.

/** The seed's answer to a created invitation. */
export const invitationCreated = z.object({ invitation_url: z.string(), invitation_id: z.number().int(), contact_id: z.string() })

/** The seed's accept answers ACA-Py's OobRecord (acapy/outOfBand) as `invitation_record`. */
export const invitationAccepted = z.object({ success: z.literal(true), invitation_record: oobRecord })

/** The seed's invitation row, then the create-body fields its rows leave out. */
export const invitationRow = z.object({
  invitation_id: z.number().int(),
  oob_id: z.string(),
  contact_id: z.string(),
  connection_id: z.string().nullable(),
  /** The public DID the invitation names (a `public` one), else "". */
  my_did: z.string(),
  alias: z.string().nullable(),
  invitation_key: z.string().nullable(),
  invitation_mode: z.enum(['once', 'multi']),
  invitation_url: z.string(),
  invitation_msg_id: z.string(),
  /** The message as the URL carries it: RFC 0160 for CV1, RFC 0434 otherwise. */
  invitation: z.record(z.string(), z.unknown()).nullable(),
  wallet_id: z.string(),
  accept: z.enum(['auto', 'manual']),
  their_role: z.literal('sender'),
  their_label: z.string().nullable(),
  service_endpoint: z.string(),
  domain: z.string(),
  path: z.string(),
  workflow_status: z.enum(['active', 'inactive']),
  /** The agent's out-of-band state; `deleted` once the agent no longer has the invitation. */
  state: z.union([z.nativeEnum(OutOfBandState), z.literal('deleted')]),
  description: z.string(),
  active_starting_at: z.string(),
  active_ending_at: z.string().nullable(),
  uses_allowed: z.number().int().nullable(),
  uses_total: z.number().int(),
  invitation_type: z.enum(['OOB', 'CV1']),
  handshake_protocol: z.string().nullable(),
  public: z.boolean(),
  invitation_role: z.string().nullable(),
  invitation_label: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const invitationPage = pageOf(invitationRow)

/** Credence's addition: the links a phone follows to the invitation. */
export const invitationLinks = z.object({ invitation_id: z.number().int(), invitation_url: z.string(), short_url: z.string(), deep_link: z.string() })

export const invitationDeleted = z.object({ success: z.string() })

/** Contacts are Credence's addition (the seed only refers to them by id). */
export const contactRow = z.object({
  contact_id: z.string(),
  invitation_ids: z.array(z.number().int()),
  connection_ids: z.array(z.string()),
  wallet_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const contactPage = pageOf(contactRow)
