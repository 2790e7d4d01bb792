// Proven face: the verification request records of seed 003 ("Verifications").
import type { z } from 'zod'

import type { RequestRecord } from '../../services/controllerRequests'
import { requestRecordFields } from '../requestBasics'
import type { anonCredsVerificationRecord, jsonLdVerificationRecord } from './schemas'

/** The AnonCreds verification request record of seed 003 ("Verifications"). */
export function toAnonCredsVerificationRecord(record: RequestRecord): z.input<typeof anonCredsVerificationRecord> {
  const input = record.input as {
    schema_attributes: Record<string, { restrictions: Array<Record<string, string>> }>
    predicates?: Record<string, unknown>
  }
  const { address, outcome, times } = requestRecordFields(record)
  return {
    verification_id: record.requestId,
    ...address,
    schema_id: null,
    schema_attributes: input.schema_attributes,
    // Credence's addition, present when the request had predicates: AnonCreds' requested_predicates.
    ...(input.predicates ? { predicates: input.predicates } : {}),
    ...outcome,
    // The revealed values of a verified presentation (services/controllerRequests.ts revealedValues).
    result_data: (record.resultData as Array<{ name: string; value: string }> | null) ?? [],
    presentation_exchange_id: record.exchangeIds,
    error: record.error,
    ...times,
  }
}

/** The JSON-LD verification request record of seed 003 ("Verifications - Create Verification Request (JSON-LD)"). */
export function toJsonLdVerificationRecord(record: RequestRecord): z.input<typeof jsonLdVerificationRecord> {
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
    // The asked-for subject values of a verified presentation (services/controllerRequests.ts presentedSubjectValues).
    result_data: (record.resultData as Array<{ name: string; value: unknown }> | null) ?? null,
    presentation_exchange_id: record.exchangeIds,
    error: record.error,
    ...times,
  }
}
