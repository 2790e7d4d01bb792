// Proven face, the wallet's AnonCreds schemas and credential definitions (Credence addition):
// request and response schemas.
import { z } from 'zod'

const attributeName = z.string().trim().min(1, 'attribute names may not be empty').max(200)
const issuerId = z.string().trim().min(1).max(2000).optional()

export const createSchemaBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    version: z.string().trim().regex(/^\d+(\.\d+)*$/, 'must look like 1.0'),
    attributes: z.array(attributeName).min(1, 'at least one attribute is required').max(125),
    issuer_id: issuerId,
  })
  .strict()

export const createCredentialDefinitionBody = z
  .object({
    schema_id: z.string().trim().min(1).max(4000),
    tag: z.string().trim().min(1).max(100).default('default'),
    issuer_id: issuerId,
    /** Revocable: registries of `revocation_registry_size` (default 1000) on the embedded registry. */
    support_revocation: z.boolean().default(false),
    revocation_registry_size: z.number().int().optional(),
  })
  .strict()

/** The service checks the ACA-Py face's body; these are the same inputs in this face's bodies. */
export const SCHEMA_FIELDS = { 'schema.issuerId': 'issuer_id', 'schema.name': 'name', 'schema.version': 'version', 'schema.attrNames': 'attributes' }
export const DEFINITION_FIELDS = {
  'credential_definition.issuerId': 'issuer_id',
  'credential_definition.schemaId': 'schema_id',
  'credential_definition.tag': 'tag',
  'options.support_revocation': 'support_revocation',
  'options.revocation_registry_size': 'revocation_registry_size',
}

export const schemaRow = z.object({ schema_id: z.string(), name: z.string(), version: z.string(), attributes: z.array(z.string()), issuer_id: z.string() })
export const schemaList = z.object({ results: z.array(schemaRow) })
export const credentialDefinitionRow = z.object({ credential_definition_id: z.string(), schema_id: z.string(), tag: z.string(), issuer_id: z.string() })
export const credentialDefinitionList = z.object({ results: z.array(credentialDefinitionRow) })
