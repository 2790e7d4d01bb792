// ACA-Py face, the holder's credentials (reference §9): request and response schemas.
import { z } from 'zod'

import { recordId } from '../queryParams'

export const listQuery = z.object({
  wql: z.string().max(10_000).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  start: z.coerce.number().int().min(0).optional(),
  count: z.coerce.number().int().min(1).max(10_000).optional(),
})
export const credentialParams = z.object({ credential_id: recordId })

const strings = z.array(z.string().min(1).max(2000)).max(50)
/** ACA-Py's W3CCredentialsListRequest; `tag_query` (raw storage tags) is not mirrored. */
export const w3cListBody = z
  .object({
    contexts: strings.optional(),
    types: strings.optional(),
    schema_ids: strings.optional(),
    issuer_id: z.string().min(1).max(2000).optional(),
    subject_ids: strings.optional(),
    proof_types: strings.optional(),
    given_id: z.string().min(1).max(2000).optional(),
    tag_query: z.record(z.string(), z.unknown()).optional(),
    max_results: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()

/** ACA-Py's IndyCredInfo: attribute values as strings; no revocation ids for a credential that cannot be revoked. */
export const indyCredInfo = z.object({
  referent: z.string(),
  schema_id: z.string(),
  cred_def_id: z.string(),
  rev_reg_id: z.string().nullable(),
  cred_rev_id: z.string().nullable(),
  attrs: z.record(z.string(), z.string()),
})
/** ACA-Py's VCRecord. */
export const vcRecord = z.object({
  contexts: z.array(z.string()),
  expanded_types: z.array(z.string()),
  schema_ids: z.array(z.string()),
  issuer_id: z.string(),
  subject_ids: z.array(z.string()),
  proof_types: z.array(z.string()),
  cred_value: z.record(z.string(), z.unknown()),
  given_id: z.string().nullable(),
  cred_tags: z.record(z.string(), z.string()),
  record_id: z.string(),
})
export const indyCredInfoList = z.object({ results: z.array(indyCredInfo) })
export const vcRecordList = z.object({ results: z.array(vcRecord) })
export const nothing = z.object({})

const epochSeconds = z.coerce.number().int().min(0).max(2 ** 40)
export const revokedQuery = z.object({ from: epochSeconds.optional(), to: epochSeconds.optional() })
export const revokedAnswer = z.object({ revoked: z.boolean() })
