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
