// Proven face: AnonCreds schema and credential definition rows.
import type { AnonCredsCredentialDefinition, AnonCredsSchema } from '../../agent/credo'

export const toSchemaRow = (schemaId: string, schema: AnonCredsSchema) => ({
  schema_id: schemaId,
  name: schema.name,
  version: schema.version,
  attributes: schema.attrNames,
  issuer_id: schema.issuerId,
})

export const toCredentialDefinitionRow = (credentialDefinitionId: string, definition: Pick<AnonCredsCredentialDefinition, 'schemaId' | 'tag' | 'issuerId'>) => ({
  credential_definition_id: credentialDefinitionId,
  schema_id: definition.schemaId,
  tag: definition.tag,
  issuer_id: definition.issuerId,
})
