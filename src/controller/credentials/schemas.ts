// Proven face, credentials (seed 003 "Credentials"): issuance request bodies, the request records
// they answer, and the credential exchange rows.
import { z } from 'zod'

import { CredentialState } from '../../agent/credo'
import { recordAddress, recordOutcome, recordTimes, requestFields } from '../requestBasics'

export const anonCredsIssuanceBody = z
  .object({
    ...requestFields,
    schema_id: z.string().trim().min(1).max(500),
    attributes: z
      .array(z.object({ name: z.string().min(1).max(200), value: z.union([z.string(), z.number(), z.boolean()]).transform(String) }).strict())
      .min(1, 'at least one attribute is required')
      .max(500),
  })
  .strict()

export const jsonLdIssuanceBody = z
  .object({
    ...requestFields,
    context: z.array(z.string().url('must be a context URL').max(2000)).max(20).default([]),
    label: z.string().max(500).nullable().optional(),
    issuer_name: z.string().max(500).nullable().optional(),
    type: z.array(z.string().min(1).max(500)).max(20).default([]),
    attributes: z
      .array(z.object({ name: z.string().min(1).max(200), value: z.union([z.string(), z.record(z.unknown()), z.array(z.unknown())]) }).strict())
      .min(1, 'at least one attribute is required')
      .max(500),
    did: z.string().min(1, 'the DID to sign with is required').max(1000),
    proofType: z.enum(['Ed25519Signature2018', 'Ed25519Signature2020'], { message: 'must be Ed25519Signature2018 or Ed25519Signature2020' }).default('Ed25519Signature2018'),
  })
  .strict()

export const credentialIdParams = z.object({ credential_definition_id: z.string().min(1).max(1000) })
export const credentialExchangeIdParams = z.object({ credential_exchange_id: z.string().min(1).max(200) })
/** Credence's revoke: published at once and the holder told (RFC 0721) unless asked otherwise. */
export const revokeBody = z
  .object({ publish: z.boolean().default(true), notify: z.boolean().default(true), comment: z.string().max(2000).optional() })
  .strict()
  .default({})
export const requestIdParams = z.object({ request_id: z.coerce.number({ message: 'must be an integer request id' }).int().positive() })

// Responses.

/** The AnonCreds issuance request record of seed 003 ("Credentials - Create Credential Issuance (AnonCred)"). */
export const anonCredsIssuanceRecord = z.object({
  request_id: z.number().int(),
  ...recordAddress,
  schema_id: z.string(),
  attributes: z.array(z.object({ name: z.string(), value: z.string() })),
  ...recordOutcome,
  /** Every exchange the record started, oldest first. */
  credential_exchange_id: z.array(z.string()),
  error: z.string(),
  ...recordTimes,
})
/** The POST's answer (the seed answers a list, one record per request made) and the list of records. */
export const anonCredsIssuanceRecords = z.array(anonCredsIssuanceRecord)

const { wallet_id, ...outcomeAfterWallet } = recordOutcome

/** The JSON-LD issuance request record of seed 003 ("Credentials - Create Credential Issuance (JSON-LD)"). */
export const jsonLdIssuanceRecord = z.object({
  request_id: z.number().int(),
  ...recordAddress,
  context: z.array(z.string()),
  label: z.string().nullable(),
  type: z.array(z.string()),
  attributes: z.array(z.object({ name: z.string(), value: z.unknown() })),
  wallet_id,
  issuer_name: z.string().nullable(),
  ...outcomeAfterWallet,
  credential_exchange_id: z.array(z.string()),
  error: z.string(),
  issuer_did: z.string(),
  proof_type: z.string(),
  ...recordTimes,
})
export const jsonLdIssuanceRecords = z.array(jsonLdIssuanceRecord)

/**
 * The credential exchange row of seed 003 ("Credentials - Read All Credential Records"), from
 * either side of an exchange; revocation is not supported yet, so its fields are null.
 */
export const credentialExchangeRow = z.object({
  credential_exchange_id: z.string(),
  wallet_id: z.string(),
  credential_id: z.string().nullable(),
  /** A revocable AnonCreds credential's index in its registry (cred_rev_id), else null. */
  revocation_id: z.string().nullable(),
  connection_id: z.string().nullable(),
  state: z.nativeEnum(CredentialState),
  thread_id: z.string(),
  parent_thread_id: z.string().nullable(),
  schema_id: z.string().nullable(),
  credential_definition_id: z.string().nullable(),
  revoc_reg_id: z.string().nullable(),
  /** Issuer side: whether its revocation is published; null on the holder's side and for a credential that cannot be revoked. */
  revoked: z.boolean().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** The offered (or received) attributes by name; null when the exchange has none (JSON-LD). */
  attributes: z.record(z.string(), z.string()).nullable(),
})
export const credentialExchangeRows = z.array(credentialExchangeRow)
