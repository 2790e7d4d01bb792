// What the console relies on of answers the OpenAPI document does not declare yet (their rooms
// still register routes the old way, so schema.d.ts types them `unknown`). Used only through
// `declaredOr<…>()`, which ignores these once schema.d.ts declares the route: then the declared
// type is checked against the page's use of it. Delete an entry once nothing names it.

/** GET /api/v1/contacts */
export interface ContactPage {
  rows: { contact_id: string }[]
}

/** GET, POST and PUT /api/v1/invitations…: an invitation row. */
export interface InvitationRow {
  invitation_id: number
  invitation_msg_id: string
  contact_id: string
  alias: string | null
  invitation_mode: 'once' | 'multi'
  workflow_status: 'active' | 'inactive'
  state: string
  description: string
  active_starting_at: string | null
  active_ending_at: string | null
  uses_allowed: number | null
  uses_total: number
}

/** GET /api/v1/invitations */
export interface InvitationPage {
  rows: InvitationRow[]
}

/** GET /api/v1/invitations/{invitation_id}/links */
export interface InvitationLinks {
  invitation_id: number
  invitation_url: string
  short_url: string
  deep_link: string
}

/** GET /api/v1/credentials: a credential exchange row. */
export interface CredentialExchangeRow {
  credential_exchange_id: string
  connection_id: string | null
  schema_id: string | null
  state: string
  updated_at: string
}

/** GET /api/v1/presentations: a presentation exchange row. */
export interface PresentationExchangeRow {
  presentation_exchange_id: string
  connection_id: string | null
  role: 'verifier' | 'prover'
  verified: boolean
  state: string
  updated_at: string
}

/** The fields every request record (issuance, verification) shows; `contact_id` and `error` are "" when unset. */
interface RequestRecordFields {
  connection_id: string | null
  contact_id: string
  invitation_id: number | null
  state: string | null
  complete: boolean
  result_string: string
  error: string
  updated_at: string
}

/** GET /api/v1/credential-records, and POST /api/v1/credentials (an array of one). */
export interface AnonCredsIssuanceRecord extends RequestRecordFields {
  request_id: number
  schema_id: string
}

/** POST /api/v1/credentials/json-ld (an array of one). */
export interface JsonLdIssuanceRecord extends RequestRecordFields {
  request_id: number
  type: string[]
}

/** GET /api/v1/verifications, and POST /api/v1/verifications (an array of one). */
export interface VerificationRecord extends RequestRecordFields {
  verification_id: number
  schema_attributes: Record<string, unknown>
  predicates?: Record<string, { name: string; p_type: string; p_value: number }>
  result_data: { name: string; value: unknown }[]
}
