// ACA-Py face, issue-credential 2.0: request schemas (reference §7.1, §7.2) and response schemas
// (V20CredExRecord and its Detail, reference §7.3).
import { z } from 'zod'

import { didcommMessage } from '../didcommMessage'
import { paginationQuery, recordId } from '../queryParams'

const attribute = z
  .object({ name: z.string().trim().min(1, 'attribute names may not be empty').max(200), value: z.string().max(100_000), 'mime-type': z.string().max(100).optional() })
  .strict()

const anonCredsFilter = z
  .object({
    cred_def_id: z.string().min(1).max(4000).optional(),
    schema_id: z.string().max(4000).optional(),
    schema_issuer_id: z.string().max(2000).optional(),
    schema_issuer_did: z.string().max(2000).optional(),
    schema_name: z.string().max(200).optional(),
    schema_version: z.string().max(50).optional(),
    issuer_id: z.string().max(2000).optional(),
    issuer_did: z.string().max(2000).optional(),
  })
  .strict()

/** A W3C credential without proof and how to sign it (LDProofVCDetail). */
const ldProofFilter = z
  .object({
    credential: z.record(z.string().max(500), z.unknown()).refine((c) => JSON.stringify(c).length <= 200_000, 'the credential is larger than 200 kB'),
    options: z
      .object({
        proofType: z.string().min(1).max(100),
        proofPurpose: z.string().min(1).max(100).optional(),
        created: z.string().max(100).optional(),
        domain: z.string().max(2000).optional(),
        challenge: z.string().max(2000).optional(),
        credentialStatus: z.object({ type: z.string().max(200) }).passthrough().optional(),
        // The issuer's key to sign with (ACA-Py's LDProofVCOptions); the body's verification_method wins.
        verificationMethod: z.string().min(1).max(2000).optional(),
      })
      .strict(),
  })
  .strict()

export const createOfferBody = z
  .object({
    filter: z
      .object({ anoncreds: anonCredsFilter.optional(), indy: anonCredsFilter.optional(), ld_proof: ldProofFilter.optional(), vc_di: z.unknown().optional() })
      .strict(),
    credential_preview: z.object({ '@type': z.string().optional(), attributes: z.array(attribute).min(1).max(125) }).strict().optional(),
    comment: z.string().max(2000).nullable().optional(),
    auto_issue: z.boolean().optional(),
    auto_remove: z.boolean().optional(),
    auto_remove_on_failure: z.boolean().optional(),
    replacement_id: z.string().max(200).optional(),
    verification_method: z.string().max(2000).optional(),
    trace: z.boolean().optional(),
  })
  .strict()

export const offerBody = createOfferBody.extend({ connection_id: recordId })

export const proposalBody = z
  .object({
    connection_id: recordId,
    filter: createOfferBody.shape.filter,
    credential_preview: createOfferBody.shape.credential_preview,
    comment: z.string().max(2000).nullable().optional(),
    auto_remove: z.boolean().optional(),
    auto_remove_on_failure: z.boolean().optional(),
    trace: z.boolean().optional(),
  })
  .strict()

/** Answering a proposal: as proposed, or with a counter offer (filter and counter_preview together). */
export const offerForProposalBody = z
  .object({
    filter: createOfferBody.shape.filter.optional(),
    counter_preview: createOfferBody.shape.credential_preview,
    comment: z.string().max(2000).nullable().optional(),
  })
  .strict()

export const recordsQuery = z.object({
  connection_id: z.string().max(200).optional(),
  thread_id: z.string().max(200).optional(),
  role: z.enum(['issuer', 'holder']).optional(),
  state: z.string().max(50).optional(),
  ...paginationQuery,
})

export const credExParams = z.object({ cred_ex_id: recordId })

export const sendRequestBody = z
  .object({ holder_did: z.string().max(2000).nullable().optional(), auto_remove: z.boolean().optional(), auto_remove_on_failure: z.boolean().optional() })
  .strict()

export const issueBody = z.object({ comment: z.string().max(2000).nullable().optional() }).strict()

export const storeBody = z.object({ credential_id: z.string().max(200).optional() }).strict()

export const problemReportBody = z.object({ description: z.string().min(1).max(2000) }).strict()


/** ACA-Py's V20CredPreview. */
const credPreview = z.object({
  '@type': z.string().optional(),
  attributes: z.array(z.object({ name: z.string(), value: z.string(), 'mime-type': z.string().optional() })),
})

const byFormat = z.record(z.string(), z.unknown()).optional()

/** ACA-Py's V20CredExRecord: the exchange, its messages and their format data under ACA-Py's format names. */
export const credExRecord = z.object({
  cred_ex_id: z.string(),
  connection_id: z.string().optional(),
  thread_id: z.string(),
  parent_thread_id: z.string().optional(),
  role: z.enum(['issuer', 'holder']),
  initiator: z.enum(['self', 'external']),
  state: z.enum([
    'proposal-sent',
    'proposal-received',
    'offer-sent',
    'offer-received',
    'request-sent',
    'request-received',
    'credential-issued',
    'credential-received',
    'done',
    'credential-revoked',
    'abandoned',
    'deleted',
  ]),
  cred_preview: credPreview.optional(),
  cred_proposal: didcommMessage('filters~attach', { credential_preview: credPreview.optional() }).optional(),
  cred_offer: didcommMessage('offers~attach', { credential_preview: credPreview.optional(), replacement_id: z.string().optional() }).optional(),
  cred_request: didcommMessage('requests~attach').optional(),
  cred_issue: didcommMessage('credentials~attach', { replacement_id: z.string().optional() }).optional(),
  by_format: z.object({ cred_proposal: byFormat, cred_offer: byFormat, cred_request: byFormat, cred_issue: byFormat }),
  auto_offer: z.boolean(),
  auto_issue: z.boolean(),
  auto_remove: z.boolean(),
  auto_remove_on_failure: z.boolean(),
  error_msg: z.string().optional(),
  trace: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
})

/** The per-format record ACA-Py keeps beside the exchange (V20CredExRecordAnonCreds, …Indy, …LDProof). */
const formatDetail = <K extends string>(idKey: K) =>
  z.object({
    ...({ [idKey]: z.string() } as Record<K, z.ZodString>),
    cred_ex_id: z.string(),
    cred_id_stored: z.string().optional(),
    /** A revocable credential's registry and index. */
    rev_reg_id: z.string().optional(),
    cred_rev_id: z.string().optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })

/** ACA-Py's V20CredExRecordDetail: one key per format, null where the exchange does not use it. */
export const credExRecordDetail = z.object({
  cred_ex_record: credExRecord,
  anoncreds: formatDetail('cred_ex_anoncreds_id').nullable(),
  indy: formatDetail('cred_ex_indy_id').nullable(),
  ld_proof: formatDetail('cred_ex_ld_proof_id').nullable(),
  /** The vc_di format is not offered. */
  vc_di: z.null(),
})

export const credExRecordList = z.object({ results: z.array(credExRecordDetail) })
export const nothing = z.object({})
