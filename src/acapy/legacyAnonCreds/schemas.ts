// ACA-Py face, the legacy (Indy-style) schema and credential definition routes (reference §12.1):
// request and response schemas.
import { z } from 'zod'

import { anonCredsCredentialDefinition } from '../anoncreds/schemas'

export const createSchemaBody = z
  .object({
    schema_name: z.string().trim().min(1).max(200),
    schema_version: z.string().regex(/^\d+(\.\d+)*$/, 'must look like 1.0'),
    attributes: z.array(z.string().trim().min(1, 'attribute names may not be empty').max(200)).min(1).max(125),
  })
  .strict()

export const createCredentialDefinitionBody = z
  .object({
    schema_id: z.string().min(1).max(4000),
    tag: z.string().min(1).max(100).default('default'),
    support_revocation: z.boolean().default(false),
    revocation_registry_size: z.number().int().positive().optional(),
    wait_for_revocation_setup: z.boolean().optional(),
  })
  .strict()

export const createdSchemasQuery = z.object({
  schema_id: z.string().max(4000).optional(),
  schema_issuer_did: z.string().max(2000).optional(),
  schema_name: z.string().max(200).optional(),
  schema_version: z.string().max(50).optional(),
})

export const createdCredentialDefinitionsQuery = createdSchemasQuery.extend({
  issuer_did: z.string().max(2000).optional(),
  cred_def_id: z.string().max(4000).optional(),
})

/** ACA-Py's legacy schema: `seqNo` is a ledger transaction number (none on a did:web registry). */
export const legacySchema = z.object({
  ver: z.literal('1.0'),
  id: z.string(),
  name: z.string(),
  version: z.string(),
  attrNames: z.array(z.string()),
  seqNo: z.number().int().optional(),
})
export const schemaSent = z.object({ sent: z.object({ schema_id: z.string(), schema: legacySchema }), schema_id: z.string(), schema: legacySchema })
export const schemaIds = z.object({ schema_ids: z.array(z.string()) })
export const foundLegacySchema = z.object({ schema: legacySchema })
export const credentialDefinitionSent = z.object({ sent: z.object({ credential_definition_id: z.string() }), credential_definition_id: z.string() })
export const credentialDefinitionIds = z.object({ credential_definition_ids: z.array(z.string()) })
export const foundLegacyCredentialDefinition = z.object({
  credential_definition: anonCredsCredentialDefinition.omit({ issuerId: true }).extend({ ver: z.literal('1.0'), id: z.string() }),
})
