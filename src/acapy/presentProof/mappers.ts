// ACA-Py face, present-proof 2.0: V20PresExRecord (reference §8.4), shared by the routes and the
// `present_proof_v2_0` webhook; and the prover's matching credentials (IndyCredPrecis).
import type { z } from 'zod'

import { ProofRole, ProofState } from '../../agent/credo'
import type { CredentialMatch, ProofExchangeView, W3cCredentialMatch } from '../../services/proofs'
import { toIndyCredInfo } from '../credentials/mappers'
import { acapyTimestamp, dropNullish, pick } from '../serialization'
import type { credentialCandidates, presExRecord } from './schemas'

type PresExRecord = z.input<typeof presExRecord>

const isoTime = (date: Date) => acapyTimestamp(date.toISOString())

/** Credo's `declined` is ACA-Py's `abandoned`; the other state names are the same. */
const stateOf = (view: ProofExchangeView) => (view.deleted ? 'deleted' : view.record.state === ProofState.Declined ? 'abandoned' : view.record.state)

/** A message's format data under ACA-Py's format names (Credo's `presentationExchange` is `dif`). */
function present(data: unknown) {
  if (!data || !Object.keys(data as object).length) return undefined
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([key, value]) => [key === 'presentationExchange' ? 'dif' : key, value]))
}

export function toPresExRecord(view: ProofExchangeView): PresExRecord {
  const { record, formatData, flags } = view
  // Credo's messages as JSON (`toJSON()`), in the shapes ACA-Py's record names.
  const messages = view.messages as { proposal?: PresExRecord['pres_proposal']; request?: PresExRecord['pres_request']; presentation?: PresExRecord['pres'] }
  const verifier = record.role === ProofRole.Verifier
  const initiator = verifier ? (messages.proposal ? 'external' : 'self') : messages.proposal ? 'self' : 'external'
  return dropNullish({
    pres_ex_id: record.id,
    connection_id: record.connectionId,
    thread_id: record.threadId,
    parent_thread_id: record.parentThreadId,
    role: verifier ? 'verifier' : 'prover',
    initiator,
    state: stateOf(view),
    pres_proposal: messages.proposal,
    pres_request: messages.request,
    pres: messages.presentation,
    by_format: dropNullish({
      pres_proposal: present(formatData.proposal),
      pres_request: present(formatData.request),
      pres: present(formatData.presentation),
    }),
    // ACA-Py serializes the outcome as a string.
    verified: verifier && record.isVerified !== undefined ? (record.isVerified ? 'true' : 'false') : undefined,
    auto_present: !verifier && record.autoAcceptProof !== undefined && record.autoAcceptProof !== 'never',
    auto_verify: verifier && record.autoAcceptProof !== undefined && record.autoAcceptProof !== 'never',
    auto_remove: flags.autoRemove,
    auto_remove_on_failure: flags.autoRemoveOnFailure ?? false,
    error_msg: record.errorMessage,
    trace: false,
    created_at: isoTime(record.createdAt),
    updated_at: isoTime(record.updatedAt ?? record.createdAt),
  })
}

/** What ACA-Py keeps of the record in a `present_proof_v2_0` webhook unless webhooks are in debug mode. */
const WEBHOOK_KEYS = [
  'connection_id', 'pres_ex_id', 'role', 'initiator', 'auto_present', 'auto_verify', 'error_msg',
  'thread_id', 'state', 'trace', 'verified', 'verified_msgs', 'created_at', 'updated_at',
] as const

/**
 * The `present_proof_v2_0` webhook: trimmed like ACA-Py's; in debug mode the whole record less the
 * messages whose content `by_format` already carries (as ACA-Py does from 1.5.1).
 */
export function toPresExWebhook(view: ProofExchangeView, debug: boolean) {
  const record = toPresExRecord(view) as Record<string, unknown>
  if (!debug) return pick(record, WEBHOOK_KEYS)
  const byFormat = (record.by_format ?? {}) as Record<string, unknown>
  const { pres_proposal, pres_request, pres, ...rest } = record
  return {
    ...rest,
    ...(byFormat.pres_proposal ? {} : pres_proposal !== undefined ? { pres_proposal } : {}),
    ...(byFormat.pres_request ? {} : pres_request !== undefined ? { pres_request } : {}),
    ...(byFormat.pres ? {} : pres !== undefined ? { pres } : {}),
  }
}

/** An item of the credentials route: IndyCredPrecis, or for DIF the W3C credential with its `record_id`. */
export function toCredentialCandidate(match: CredentialMatch | W3cCredentialMatch): z.input<typeof credentialCandidates>[number] {
  return match.kind === 'w3c' ? { ...match.credential, record_id: match.recordId } : toCredPrecis(match)
}

function toCredPrecis(match: CredentialMatch) {
  return {
    cred_info: toIndyCredInfo(match),
    interval: null,
    presentation_referents: match.referents,
  }
}
