// ACA-Py face, issue-credential 2.0: request schemas (reference §7.1, §7.2).
import { z } from 'zod'

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

