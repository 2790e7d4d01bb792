// Proven face: the issuance request records of seed 003 ("Credentials - Create Credential Issuance")
// and the credential exchange rows.
import type { z } from 'zod'

import type { RequestRecord } from '../../services/controllerRequests'
import { revocationIdsOf, type CredentialExchangeView } from '../../services/credentials'
import { requestRecordFields } from '../requestBasics'
import type { anonCredsIssuanceRecord, credentialExchangeRow, jsonLdIssuanceRecord } from './schemas'

export function toAnonCredsIssuanceRecord(record: RequestRecord): z.input<typeof anonCredsIssuanceRecord> {
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

export function toJsonLdIssuanceRecord(record: RequestRecord): z.input<typeof jsonLdIssuanceRecord> {
  const input = record.input as {
    context: string[]
    label: string | null
    type: string[]
    attributes: Array<{ name: string; value: unknown }>
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

/** Webhook and event-stream topic of each kind of request record (issuance or verification), with its payload. */
/**
 * The credential exchange row of seed 003 ("Credentials - Read All Credential Records"), from
 * either side of an exchange. `revoked` is the issuer's knowledge (null elsewhere).
 */
export function toCredentialExchangeRow(walletId: string, view: CredentialExchangeView, revoked: boolean | null = null): z.input<typeof credentialExchangeRow> {
  const { record, formatData } = view
  const revocation = revocationIdsOf(record)
  const offer = (formatData.offer ?? {}) as { anoncreds?: { schema_id?: string; cred_def_id?: string }; indy?: { schema_id?: string; cred_def_id?: string } }
  const anoncredsOffer = offer.anoncreds ?? offer.indy
  const attributes = formatData.offerAttributes ?? record.credentialAttributes
  return {
    credential_exchange_id: record.id,
    wallet_id: walletId,
    credential_id: record.credentials[0]?.credentialRecordId ?? null,
    revocation_id: revocation?.credRevId ?? null,
    connection_id: record.connectionId ?? null,
    state: record.state,
    thread_id: record.threadId,
    parent_thread_id: record.parentThreadId ?? null,
    schema_id: anoncredsOffer?.schema_id ?? null,
    credential_definition_id: anoncredsOffer?.cred_def_id ?? null,
    revoc_reg_id: revocation?.revRegId ?? null,
    revoked: revocation ? revoked : null,
    created_at: record.createdAt.toISOString(),
    updated_at: (record.updatedAt ?? record.createdAt).toISOString(),
    attributes: attributes ? Object.fromEntries(attributes.map((attribute) => [attribute.name, attribute.value])) : null,
  }
}
