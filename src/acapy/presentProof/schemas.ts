// ACA-Py face, present-proof 2.0: request schemas (reference §8.1–8.3) and response schemas
// (V20PresExRecord, reference §8.4; the prover's matching credentials).
import { z } from 'zod'

import { didcommMessage } from '../didcommMessage'
import { indyCredInfo } from '../credentials/schemas'
import { paginationQuery, recordId } from '../queryParams'

const restrictions = z.array(z.record(z.string().max(200), z.string().max(4000))).max(50)
const interval = z.object({ from: z.number().int().nonnegative().optional(), to: z.number().int().nonnegative().optional() }).strict()
const referent = z.string().min(1).max(200)

const requestedAttribute = z
  .object({
    name: z.string().min(1).max(200).optional(),
    names: z.array(z.string().min(1).max(200)).min(1).max(125).optional(),
    restrictions: restrictions.optional(),
    non_revoked: interval.optional(),
  })
  .strict()
  .refine((a) => (a.name === undefined) !== (a.names === undefined), 'give exactly one of name and names')

const requestedPredicate = z
  .object({
    name: z.string().min(1).max(200),
    p_type: z.enum(['<', '<=', '>=', '>']),
    p_value: z.number().int(),
    restrictions: restrictions.optional(),
    non_revoked: interval.optional(),
  })
  .strict()

const proofRequest = z
  .object({
    name: z.string().max(200).default('Proof request'),
    version: z.string().max(50).default('1.0'),
    nonce: z.string().regex(/^\d{1,80}$/, 'a nonce is a decimal string').optional(),
    requested_attributes: z.record(referent, requestedAttribute).default({}),
    requested_predicates: z.record(referent, requestedPredicate).default({}),
    non_revoked: interval.optional(),
  })
  .strict()
  .refine((r) => Object.keys(r.requested_attributes).length + Object.keys(r.requested_predicates).length > 0, 'request at least one attribute or predicate')

const difOptions = z.object({ challenge: z.string().min(1).max(2000).optional(), domain: z.string().min(1).max(2000).optional() }).strict()

/** DIF presentation exchange v1 (Credo's PEX validates the definition itself). */
const difRequest = z
  .object({
    presentation_definition: z.record(z.string().max(200), z.unknown()).refine((d) => JSON.stringify(d).length <= 100_000, 'the definition is larger than 100 kB'),
    options: difOptions.optional(),
  })
  .strict()

export const createRequestBody = z
  .object({
    presentation_request: z.object({ anoncreds: proofRequest.optional(), indy: proofRequest.optional(), dif: difRequest.optional() }).strict(),
    comment: z.string().max(2000).nullable().optional(),
    auto_verify: z.boolean().optional(),
    auto_remove: z.boolean().optional(),
    auto_remove_on_failure: z.boolean().optional(),
    trace: z.boolean().optional(),
  })
  .strict()

export const sendRequestBody = createRequestBody.extend({ connection_id: recordId })

/** A DIF proposal is the input descriptors a definition would have, and the options of its request (ACA-Py's DIFProofProposal). */
const difProposal = z
  .object({
    input_descriptors: z.array(z.record(z.string().max(200), z.unknown())).min(1).max(50),
    options: difOptions.optional(),
  })
  .strict()

export const proposalBody = z
  .object({
    connection_id: recordId,
    presentation_proposal: z.object({ anoncreds: proofRequest.optional(), indy: proofRequest.optional(), dif: difProposal.optional() }).strict(),
    comment: z.string().max(2000).nullable().optional(),
    auto_present: z.boolean().optional(),
    auto_remove: z.boolean().optional(),
    auto_remove_on_failure: z.boolean().optional(),
    trace: z.boolean().optional(),
  })
  .strict()

/** Answering a proposal with the request it proposes. */
export const requestForProposalBody = z
  .object({ auto_verify: z.boolean().optional(), auto_remove: z.boolean().optional(), auto_remove_on_failure: z.boolean().optional(), trace: z.boolean().optional() })
  .strict()

export const recordsQuery = z.object({
  connection_id: z.string().max(200).optional(),
  thread_id: z.string().max(200).optional(),
  role: z.enum(['prover', 'verifier']).optional(),
  state: z.string().max(50).optional(),
  ...paginationQuery,
})

export const presExParams = z.object({ pres_ex_id: recordId })

export const credentialsQuery = z.object({
  referent: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(10000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  start: z.coerce.number().int().min(0).optional(),
  count: z.coerce.number().int().min(1).max(10000).optional(),
  extra_query: z.string().max(10000).optional(),
})

const selection = z
  .object({
    requested_attributes: z.record(referent, z.object({ cred_id: z.string().min(1).max(200), revealed: z.boolean().optional(), timestamp: z.number().int().optional() }).strict()).default({}),
    requested_predicates: z.record(referent, z.object({ cred_id: z.string().min(1).max(200), timestamp: z.number().int().optional() }).strict()).default({}),
    self_attested_attributes: z.record(referent, z.string().max(10000)).default({}),
    trace: z.boolean().optional(),
  })
  .strict()

export const sendPresentationBody = z
  .object({
    anoncreds: selection.optional(),
    indy: selection.optional(),
    dif: z
      .object({
        record_ids: z.record(z.string().max(200), z.array(z.string().min(1).max(200)).min(1).max(50)).optional(),
        // ACA-Py's too; refused by name in the route (see presentationChoice).
        issuer_id: z.string().max(2000).optional(),
        presentation_definition: z.unknown().optional(),
        reveal_doc: z.unknown().optional(),
      })
      .strict()
      .optional(),
    comment: z.string().max(2000).nullable().optional(),
    auto_remove: z.boolean().optional(),
    auto_remove_on_failure: z.boolean().optional(),
    trace: z.boolean().optional(),
  })
  .strict()

export const problemReportBody = z.object({ description: z.string().min(1).max(2000) }).strict()

const byFormat = z.record(z.string(), z.unknown()).optional()

/** ACA-Py's V20PresExRecord: the exchange, its messages and their format data (`dif` for DIF presentation exchange). */
export const presExRecord = z.object({
  pres_ex_id: z.string(),
  connection_id: z.string().optional(),
  thread_id: z.string(),
  /** The invitation's thread, for an exchange started from one; ACA-Py's record has no such key. */
  parent_thread_id: z.string().optional(),
  role: z.enum(['prover', 'verifier']),
  initiator: z.enum(['self', 'external']),
  state: z.enum(['proposal-sent', 'proposal-received', 'request-sent', 'request-received', 'presentation-sent', 'presentation-received', 'done', 'abandoned', 'deleted']),
  pres_proposal: didcommMessage('proposals~attach').optional(),
  pres_request: didcommMessage('request_presentations~attach', { will_confirm: z.boolean().optional() }).optional(),
  pres: didcommMessage('presentations~attach').optional(),
  by_format: z.object({ pres_proposal: byFormat, pres_request: byFormat, pres: byFormat }),
  /** The verifier's outcome, as a string (ACA-Py's). */
  verified: z.enum(['true', 'false']).optional(),
  auto_present: z.boolean(),
  auto_verify: z.boolean(),
  auto_remove: z.boolean(),
  auto_remove_on_failure: z.boolean(),
  error_msg: z.string().optional(),
  trace: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const presExRecordList = z.object({ results: z.array(presExRecord) })

/** ACA-Py's IndyCredPrecis: an AnonCreds credential and the referents of the request it answers. */
const credPrecis = z.object({ cred_info: indyCredInfo, interval: z.null(), presentation_referents: z.array(z.string()) })
/** For a DIF request, ACA-Py answers the W3C credential itself with its `record_id`. */
const w3cCandidate = z.object({ record_id: z.string() }).passthrough()
/** A JSON array, not a `{results}` object (ACA-Py's). */
export const credentialCandidates = z.array(z.union([credPrecis, w3cCandidate]))

export const nothing = z.object({})
