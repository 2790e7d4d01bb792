// ACA-Py face, AnonCreds revocation (ACA-Py's `/anoncreds/revocation/*`): request and response schemas.
import { z } from 'zod'

import { queryBool } from '../queryParams'

const credRevId = z.union([z.string().regex(/^[1-9][0-9]*$/, 'a credential revocation id is a positive integer'), z.number().int().positive()]).transform(Number)
/** The registry states each route family names (ACA-Py's anoncreds RevRegDefState, its legacy IssuerRevRegRecord states). */
export const REGISTRY_STATES = {
  anoncreds: ['finished', 'failed', 'action', 'wait', 'decommissioned', 'full'],
  legacy: ['init', 'generated', 'posted', 'active', 'full', 'decommissioned'],
} as const
export type Family = keyof typeof REGISTRY_STATES
const allStates = [...new Set([...REGISTRY_STATES.anoncreds, ...REGISTRY_STATES.legacy])] as [string, ...string[]]

export const revokeBody = z
  .object({
    cred_ex_id: z.string().min(1).max(200).optional(),
    rev_reg_id: z.string().min(1).max(4000).optional(),
    cred_rev_id: credRevId.optional(),
    publish: z.boolean().default(false),
    notify: z.boolean().optional(),
    notify_version: z.enum(['v1_0', 'v2_0']).optional(),
    connection_id: z.string().max(200).optional(),
    thread_id: z.string().max(200).optional(),
    comment: z.string().max(2000).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((body, ctx) => {
    const byExchange = body.cred_ex_id !== undefined
    const byIndex = body.rev_reg_id !== undefined || body.cred_rev_id !== undefined
    if (byExchange === byIndex || (byIndex && (body.rev_reg_id === undefined || body.cred_rev_id === undefined))) {
      ctx.addIssue({ code: 'custom', path: byExchange ? ['cred_ex_id'] : ['rev_reg_id'], message: 'Give cred_ex_id, or rev_reg_id with cred_rev_id' })
    }
    if (body.notify && !body.connection_id) ctx.addIssue({ code: 'custom', path: ['connection_id'], message: 'connection_id must be set when notify is true' })
  })

/** `{rev_reg_id: [cred_rev_id]}`: what to publish or clear; absent or empty means everything pending. */
const rrid2crid = z.record(z.string().min(1).max(4000), z.array(credRevId).max(32768))

export const publishBody = z.object({ rrid2crid: rrid2crid.optional(), options: z.record(z.string(), z.unknown()).optional() })
export const clearPendingBody = z.object({ purge: rrid2crid.optional() })
/** What was published, or stays pending: ACA-Py's anoncreds routes answer numbers, its legacy ones strings. */
export const published = z.object({ rrid2crid: z.record(z.string(), z.array(z.union([z.number().int(), z.string()]))) })

export const registriesQuery = (family: Family) =>
  z.object({ cred_def_id: z.string().max(4000).optional(), state: z.enum(REGISTRY_STATES[family] as unknown as [string, ...string[]]).optional() })
export const revRegIdParams = z.object({ rev_reg_id: z.string().min(1).max(4000) })
/** set-state's `state`, as the family names its states (required, as in ACA-Py). */
export const setStateQuery = (family: Family) => z.object({ state: z.enum(REGISTRY_STATES[family] as unknown as [string, ...string[]]) })
export const credDefIdParams = z.object({ cred_def_id: z.string().min(1).max(4000) })
export const credentialRecordQuery = z
  .object({ cred_ex_id: z.string().max(200).optional(), rev_reg_id: z.string().max(4000).optional(), cred_rev_id: credRevId.optional() })
  .superRefine((query, ctx) => {
    const byIndex = query.rev_reg_id !== undefined && query.cred_rev_id !== undefined
    if ((query.cred_ex_id !== undefined) === byIndex) ctx.addIssue({ code: 'custom', path: ['cred_ex_id'], message: 'Give cred_ex_id, or rev_reg_id with cred_rev_id' })
  })

/** ACA-Py's IssuerRevRegRecord, as its anoncreds routes build it. */
export const issuerRevRegRecord = z.object({
  record_id: z.string(),
  state: z.enum(allStates),
  cred_def_id: z.string(),
  issuer_did: z.string(),
  max_cred_num: z.number().int(),
  revoc_def_type: z.literal('CL_ACCUM'),
  revoc_reg_id: z.string(),
  revoc_reg_def: z.object({ ver: z.literal('1.0'), id: z.string(), revocDefType: z.literal('CL_ACCUM'), tag: z.string(), credDefId: z.string() }),
  tag: z.string(),
  tails_hash: z.string(),
  tails_local_path: z.string(),
  tails_public_uri: z.string(),
  pending_pub: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
})
export const registryResult = z.object({ result: issuerRevRegRecord })
export const registryIds = z.object({ rev_reg_ids: z.array(z.string()) })
export const issuedCount = z.object({ result: z.number().int() })

/** ACA-Py's IssuerCredRevRecord. */
export const issuerCredRevRecord = z.object({
  record_id: z.string(),
  state: z.enum(['issued', 'revoked']),
  cred_ex_id: z.string().optional(),
  rev_reg_id: z.string(),
  cred_def_id: z.string(),
  cred_rev_id: z.string(),
  cred_ex_version: z.literal('2'),
  created_at: z.string(),
  updated_at: z.string(),
})
export const credentialRecordResult = z.object({ result: issuerCredRevRecord })
export const issuedDetails = z.array(issuerCredRevRecord)
export const empty = z.object({})

const registrySize = z.number().int()
/** ACA-Py's legacy create-registry body. */
export const createRegistryBody = z.object({ credential_definition_id: z.string().min(1).max(4000), max_cred_num: registrySize.optional() })
/** ACA-Py's anoncreds revocation-registry-definition body (every field required, as there). */
export const revRegDefBody = z.object({
  revocation_registry_definition: z.object({
    issuerId: z.string().min(1).max(4000),
    credDefId: z.string().min(1).max(4000),
    tag: z.string().min(1).max(200),
    maxCredNum: registrySize,
  }),
  options: z.record(z.string(), z.unknown()).optional(),
})
export const revListBody = z.object({ rev_reg_def_id: z.string().min(1).max(4000), options: z.record(z.string(), z.unknown()).optional() })
export const tailsUriBody = z.object({ tails_public_uri: z.string().url().max(4000) })
export const fixEntryStateQuery = z.object({ apply_ledger_update: queryBool })
export const deleteTailsQuery = z
  .object({ rev_reg_id: z.string().min(1).max(4000).optional(), cred_def_id: z.string().min(1).max(4000).optional() })
  .superRefine((query, ctx) => {
    if ((query.rev_reg_id === undefined) === (query.cred_def_id === undefined)) ctx.addIssue({ code: 'custom', path: ['rev_reg_id'], message: 'Give rev_reg_id or cred_def_id' })
  })

/** ACA-Py's Indy revocation registry delta, as a status list names it: the revoked indices and the accumulator. */
const revRegDelta = z.object({
  ver: z.literal('1.0'),
  value: z.object({ accum: z.string().optional(), prevAccum: z.string().optional(), issued: z.array(z.number().int()), revoked: z.array(z.number().int()) }),
})
export const indyRecs = z.object({ rev_reg_delta: revRegDelta })
export const fixedEntryState = z.object({ rev_reg_delta: revRegDelta, accum_calculated: z.union([revRegDelta, z.object({})]), accum_fixed: z.union([revRegDelta, z.object({})]) })
export const sentDefinition = z.object({ sent: registryResult })
export const tailsDeleted = z.object({ message: z.string() })

/** ACA-Py's RevRegDefResult, as its anoncreds revocation-registry-definition answers it. */
export const revRegDefResult = z.object({
  revocation_registry_definition_state: z.object({
    state: z.literal('finished'),
    revocation_registry_definition_id: z.string(),
    revocation_registry_definition: z.object({
      issuerId: z.string(),
      revocDefType: z.literal('CL_ACCUM'),
      credDefId: z.string(),
      tag: z.string(),
      value: z.object({ publicKeys: z.record(z.string(), z.unknown()), maxCredNum: z.number().int(), tailsLocation: z.string(), tailsHash: z.string() }),
    }),
  }),
  registration_metadata: z.record(z.string(), z.unknown()),
  revocation_registry_definition_metadata: z.record(z.string(), z.unknown()),
})
/** ACA-Py's RevListResult. */
export const revListResult = z.object({
  revocation_list_state: z.object({
    state: z.literal('finished'),
    revocation_list: z.object({ issuerId: z.string(), revRegDefId: z.string(), revocationList: z.array(z.number().int()), currentAccumulator: z.string(), timestamp: z.number().int().optional() }),
  }),
  registration_metadata: z.record(z.string(), z.unknown()),
  revocation_list_metadata: z.record(z.string(), z.unknown()),
})
