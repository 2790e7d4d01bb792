// ACA-Py face, AnonCreds objects: request schemas (reference §12.2).
import { z } from 'zod'

const name = z.string().trim().min(1).max(200)
const attributeName = z.string().trim().min(1, 'attribute names may not be empty').max(200)

export const createSchemaBody = z
  .object({
    schema: z
      .object({
        issuerId: z.string().min(1).max(2000),
        name,
        version: z.string().regex(/^\d+(\.\d+)*$/, 'must look like 1.0'),
        attrNames: z.array(attributeName).min(1).max(125),
      })
      .strict(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()

export const createCredentialDefinitionBody = z
  .object({
    credential_definition: z
      .object({ issuerId: z.string().min(1).max(2000), schemaId: z.string().min(1).max(4000), tag: z.string().min(1).max(100).default('default') })
      .strict(),
    options: z
      .object({
        support_revocation: z.boolean().default(false),
        revocation_registry_size: z.number().int().positive().optional(),
        endorser_connection_id: z.string().optional(),
        create_transaction_for_endorser: z.boolean().optional(),
      })
      .strict()
      .default({}),
    wait_for_revocation_setup: z.boolean().optional(),
  })
  .strict()

export const objectIdParams = z.object({ id: z.string().min(1).max(4000) })

export const listSchemasQuery = z.object({
  schema_issuer_id: z.string().max(2000).optional(),
  schema_name: z.string().max(200).optional(),
  schema_version: z.string().max(50).optional(),
})

export const listCredentialDefinitionsQuery = z.object({
  issuer_id: z.string().max(2000).optional(),
  schema_id: z.string().max(4000).optional(),
  schema_name: z.string().max(200).optional(),
  schema_version: z.string().max(50).optional(),
})

const metadata = z.record(z.string(), z.unknown())

/** An AnonCreds schema as the registry holds it. */
export const anonCredsSchema = z.object({ issuerId: z.string(), name: z.string(), version: z.string(), attrNames: z.array(z.string()) })
/** An AnonCreds credential definition (CL); its key material as the registry holds it. */
export const anonCredsCredentialDefinition = z.object({
  issuerId: z.string(),
  schemaId: z.string(),
  type: z.literal('CL'),
  tag: z.string(),
  value: z.object({ primary: metadata, revocation: z.unknown().optional() }),
})

/** ACA-Py's SchemaResult. */
export const schemaResult = z.object({
  schema_state: z.object({ state: z.literal('finished'), schema_id: z.string(), schema: anonCredsSchema }),
  registration_metadata: metadata,
  schema_metadata: metadata,
})
/** ACA-Py's GetSchemaResult. */
export const foundSchema = z.object({ schema: anonCredsSchema, schema_id: z.string(), resolution_metadata: metadata, schema_metadata: metadata })
export const schemaIds = z.object({ schema_ids: z.array(z.string()) })
/** ACA-Py's CredDefResult. */
export const credentialDefinitionResult = z.object({
  credential_definition_state: z.object({
    state: z.literal('finished'),
    credential_definition_id: z.string(),
    credential_definition: anonCredsCredentialDefinition,
  }),
  registration_metadata: metadata,
  credential_definition_metadata: metadata,
})
/** ACA-Py's GetCredDefResult (with ACA-Py's own spelling, `credential_definitions_metadata`). */
export const foundCredentialDefinition = z.object({
  credential_definition_id: z.string(),
  credential_definition: anonCredsCredentialDefinition,
  resolution_metadata: metadata,
  credential_definitions_metadata: metadata,
})
export const credentialDefinitionIds = z.object({ credential_definition_ids: z.array(z.string()) })
