// ACA-Py face, issue-credential 2.0: V20CredExRecord and its Detail (reference §7.3), shared by
// the routes and the `issue_credential_v2_0*` webhooks.
import { randomUUID } from 'node:crypto'

import type { z } from 'zod'

import { CredentialRole, CredentialState } from '../../agent/credo'
import type { CredentialExchangeView, ExchangeFlags } from '../../services/credentials'
import { revocationIdsOf } from '../../services/credentials'
import { acapyTimestamp, dropNullish, pick } from '../serialization'
import type { credExRecord, credExRecordDetail } from './schemas'

type CredExRecord = z.input<typeof credExRecord>
/** Credo's messages as JSON (`toJSON()`), in the shapes ACA-Py's record names. */
type Messages = { [K in 'cred_proposal' | 'cred_offer' | 'cred_request' | 'cred_issue']?: CredExRecord[K] }

const isoTime = (date: Date) => acapyTimestamp(date.toISOString())

/** Credo's `declined` is ACA-Py's `abandoned`; the other state names are the same. */
const stateOf = (view: CredentialExchangeView) => (view.deleted ? 'deleted' : view.record.state === CredentialState.Declined ? 'abandoned' : view.record.state)

/** ACA-Py's format names where Credo's differ. */
const ACAPY_FORMAT: Record<string, string> = { jsonld: 'ld_proof' }

/** The messages' format attachments under ACA-Py's format names. */
function byFormat(data: Record<string, unknown> | undefined) {
  if (!data) return undefined
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) if (value !== undefined) out[ACAPY_FORMAT[key] ?? key] = value
  return Object.keys(out).length ? out : undefined
}

/**
 * ACA-Py's V20CredProposal for an issuer's own offer: the body's filter per format (the attachment
 * ids are the format names, as ACA-Py writes them) and its preview.
 */
export function ownProposal(input: { filter: Record<string, unknown>; preview?: { attributes: unknown[] }; comment?: string }): NonNullable<ExchangeFlags['ownProposal']> {
  const filters = Object.entries(input.filter).filter(([, value]) => value !== undefined)
  const message = dropNullish({
    '@type': 'https://didcomm.org/issue-credential/2.0/propose-credential',
    '@id': randomUUID(),
    comment: input.comment,
    credential_preview: input.preview ? { '@type': 'https://didcomm.org/issue-credential/2.0/credential-preview', attributes: input.preview.attributes } : undefined,
    formats: filters.map(([format]) => ({ attach_id: format, format: PROPOSAL_FORMAT[format] ?? format })),
    'filters~attach': filters.map(([format, value]) => ({
      '@id': format,
      'mime-type': 'application/json',
      data: { base64: Buffer.from(JSON.stringify(value)).toString('base64') },
    })),
  })
  return { message, byFormat: Object.fromEntries(filters) }
}

/** ACA-Py's attachment format of a proposal's filter, by format name. */
const PROPOSAL_FORMAT: Record<string, string> = {
  anoncreds: 'anoncreds/credential-filter@v1.0',
  indy: 'hlindy/cred-filter@v2.0',
  ld_proof: 'aries/ld-proof-vc-detail@v1.0',
}

export function toCredExRecord(view: CredentialExchangeView): CredExRecord {
  const { record, formatData, flags } = view
  const messages = view.messages as { proposal?: Messages['cred_proposal']; offer?: Messages['cred_offer']; request?: Messages['cred_request']; credential?: Messages['cred_issue'] }
  const issuer = record.role === CredentialRole.Issuer
  // Who started it: the issuer with an offer of its own, the holder with a proposal.
  const initiator = issuer ? (messages.proposal ? 'external' : 'self') : messages.proposal ? 'self' : 'external'
  // The offer's preview, or the proposal's while there is no offer yet.
  const preview = messages.offer?.credential_preview ?? messages.proposal?.credential_preview
  return dropNullish({
    cred_ex_id: record.id,
    connection_id: record.connectionId,
    thread_id: record.threadId,
    parent_thread_id: record.parentThreadId,
    role: issuer ? 'issuer' : 'holder',
    initiator,
    state: stateOf(view),
    cred_preview: preview,
    // A holder's proposal, or the one ACA-Py makes of the issuer's own offer.
    cred_proposal: messages.proposal ?? (flags.ownProposal?.message as Messages['cred_proposal']),
    cred_offer: messages.offer,
    cred_request: messages.request,
    cred_issue: messages.credential,
    by_format: {
      cred_proposal: byFormat(formatData.proposal as Record<string, unknown> | undefined) ?? flags.ownProposal?.byFormat,
      cred_offer: byFormat(formatData.offer as Record<string, unknown> | undefined),
      cred_request: byFormat(formatData.request as Record<string, unknown> | undefined),
      cred_issue: byFormat(formatData.credential as Record<string, unknown> | undefined),
    },
    auto_offer: false,
    auto_issue: issuer && record.autoAcceptCredential !== undefined && record.autoAcceptCredential !== 'never',
    auto_remove: flags.autoRemove,
    auto_remove_on_failure: flags.autoRemoveOnFailure ?? false,
    error_msg: record.errorMessage,
    trace: false,
    created_at: isoTime(record.createdAt),
    updated_at: isoTime(record.updatedAt ?? record.createdAt),
  })
}

/** What ACA-Py keeps of the record in an `issue_credential_v2_0` webhook unless webhooks are in debug mode. */
const WEBHOOK_KEYS = [
  'connection_id', 'cred_ex_id', 'role', 'initiator', 'auto_offer', 'auto_issue', 'auto_remove',
  'error_msg', 'thread_id', 'parent_thread_id', 'state', 'trace', 'created_at', 'updated_at',
] as const

/** The `issue_credential_v2_0` webhook: trimmed like ACA-Py's, or the whole record in debug mode. */
export function toCredExWebhook(view: CredentialExchangeView, debug: boolean) {
  const record = toCredExRecord(view)
  return debug ? record : pick(record, WEBHOOK_KEYS)
}

/** The per-format detail record ACA-Py keeps beside the exchange (`V20CredExRecordAnonCreds`/`Indy`/`LDProof`). */
function formatDetail<K extends string>(view: CredentialExchangeView, idKey: K) {
  const { record } = view
  const stored = record.credentials[0]?.credentialRecordId
  const revocation = revocationIdsOf(record)
  return {
    ...({ [idKey]: record.id } as Record<K, string>),
    cred_ex_id: record.id,
    ...(stored ? { cred_id_stored: stored } : {}),
    ...(revocation ? { rev_reg_id: revocation.revRegId, cred_rev_id: revocation.credRevId } : {}),
    created_at: isoTime(record.createdAt),
    updated_at: isoTime(record.updatedAt ?? record.createdAt),
  }
}

/** GET record, list items, issue and store: the exchange with one key per format, null if unused. */
export function toCredExDetail(view: CredentialExchangeView): z.input<typeof credExRecordDetail> {
  const used = { ...view.formatData.offer, ...view.formatData.proposal, ...view.formatData.request, ...view.formatData.credential } as Record<string, unknown>
  return {
    cred_ex_record: toCredExRecord(view),
    anoncreds: 'anoncreds' in used ? formatDetail(view, 'cred_ex_anoncreds_id') : null,
    indy: 'indy' in used ? formatDetail(view, 'cred_ex_indy_id') : null,
    ld_proof: 'jsonld' in used ? formatDetail(view, 'cred_ex_ld_proof_id') : null,
    vc_di: null,
  }
}
