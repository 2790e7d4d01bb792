// Proven face: the request records of seed 003 ("Credentials - Create Credential Issuance
// (AnonCred)", "Verifications") and the credential exchange rows. The seed shows an unset
// contact_id and error as "", so they are "" here too.
import type { RequestRecord } from '../../services/controllerRequests'
import type { CredentialExchangeView } from '../../services/credentials'

/** The fields every request record shows, in the seed's order around its kind's own. */
function requestRecordFields(record: RequestRecord) {
  return {
    address: { connection_id: record.connectionId, contact_id: record.contactId ?? '', invitation_id: record.invitationId },
    outcome: {
      wallet_id: record.walletId,
      timeout: record.timeout,
      rule: record.rule,
      meta_data: record.metaData,
      // `starting` is the engine's claim on a connection, not a state of the exchange.
      state: record.state === 'starting' ? null : record.state,
      complete: record.complete,
      result: record.result,
      result_string: record.resultString,
    },
    times: { created_at: record.createdAt, updated_at: record.updatedAt },
  }
}

export function toAnonCredsIssuanceRecord(record: RequestRecord) {
  const input = record.input as { schema_id: string; attributes: Array<{ name: string; value: string }> }
  const { address, outcome, times } = requestRecordFields(record)
  return {
    request_id: record.requestId,
    ...address,
    schema_id: input.schema_id,
    attributes: input.attributes,
    ...outcome,
    credential_exchange_id: record.exchangeIds,
    error: record.error,
    ...times,
  }
}

/** The JSON-LD issuance request record of seed 003 ("Credentials - Create Credential Issuance (JSON-LD)"). */
export function toJsonLdIssuanceRecord(record: RequestRecord) {
  const input = record.input as {
    context: string[]
    label: string | null
    type: string[]
    attributes: unknown[]
    issuer_name: string | null
    issuer_did: string
    proof_type: string
  }
  const { address, outcome, times } = requestRecordFields(record)
  const { wallet_id, ...rest } = outcome
  return {
    request_id: record.requestId,
    ...address,
    context: input.context,
    label: input.label,
    type: input.type,
    attributes: input.attributes,
    wallet_id,
    issuer_name: input.issuer_name,
    ...rest,
    credential_exchange_id: record.exchangeIds,
    error: record.error,
    issuer_did: input.issuer_did,
    proof_type: input.proof_type,
    ...times,
  }
}

/** The AnonCreds verification request record of seed 003 ("Verifications"). */
export function toAnonCredsVerificationRecord(record: RequestRecord) {
  const input = record.input as { schema_attributes: Record<string, unknown>; predicates?: Record<string, unknown> }
  const { address, outcome, times } = requestRecordFields(record)
  return {
    verification_id: record.requestId,
    ...address,
    schema_id: null,
    schema_attributes: input.schema_attributes,
    // Credence's addition, present when the request had predicates: AnonCreds' requested_predicates.
    ...(input.predicates ? { predicates: input.predicates } : {}),
    ...outcome,
    result_data: record.resultData ?? [],
    presentation_exchange_id: record.exchangeIds,
    error: record.error,
    ...times,
  }
}

/** The JSON-LD verification request record of seed 003 ("Verifications - Create Verification Request (JSON-LD)"). */
export function toJsonLdVerificationRecord(record: RequestRecord) {
  const input = record.input as { context: string[]; attributes: string[]; label: string | null }
  const { address, outcome, times } = requestRecordFields(record)
  const { wallet_id, ...rest } = outcome
  return {
    verification_id: record.requestId,
    ...address,
    context: input.context,
    attributes: input.attributes,
    wallet_id,
    label: input.label,
    ...rest,
    result_data: record.resultData ?? null,
    presentation_exchange_id: record.exchangeIds,
    error: record.error,
    ...times,
  }
}

/** Webhook and event-stream topic of each kind of request record, with its payload. */
export function toRequestRecordEvent(record: RequestRecord): { topic: string; payload: Record<string, unknown> } {
  if (record.kind === 'anoncreds-verification') return { topic: 'verification_request', payload: toAnonCredsVerificationRecord(record) }
  if (record.kind === 'jsonld-verification') return { topic: 'verification_request', payload: toJsonLdVerificationRecord(record) }
  if (record.kind === 'jsonld-issuance') return { topic: 'issuance_request', payload: toJsonLdIssuanceRecord(record) }
  return { topic: 'issuance_request', payload: toAnonCredsIssuanceRecord(record) }
}

/**
 * The credential exchange row of seed 003 ("Credentials - Read All Credential Records"), from
 * either side of an exchange. Revocation is not supported yet, so its fields are null.
 */
export function toCredentialExchangeRow(walletId: string, view: CredentialExchangeView) {
  const { record, formatData } = view
  const offer = (formatData.offer ?? {}) as { anoncreds?: { schema_id?: string; cred_def_id?: string }; indy?: { schema_id?: string; cred_def_id?: string } }
  const anoncredsOffer = offer.anoncreds ?? offer.indy
  const attributes = formatData.offerAttributes ?? record.credentialAttributes
  return {
    credential_exchange_id: record.id,
    wallet_id: walletId,
    credential_id: record.credentials[0]?.credentialRecordId ?? null,
    revocation_id: null,
    connection_id: record.connectionId ?? null,
    state: record.state,
    thread_id: record.threadId,
    parent_thread_id: record.parentThreadId ?? null,
    schema_id: anoncredsOffer?.schema_id ?? null,
    credential_definition_id: anoncredsOffer?.cred_def_id ?? null,
    revoc_reg_id: null,
    revoked: null,
    created_at: record.createdAt.toISOString(),
    updated_at: (record.updatedAt ?? record.createdAt).toISOString(),
    attributes: attributes ? Object.fromEntries(attributes.map((attribute) => [attribute.name, attribute.value])) : null,
  }
}
