// ACA-Py face, AnonCreds room: schemas and credential definitions (reference §12.2). Unlike ACA-Py,
// these work on every wallet type. Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toRegistryMetadata } from './mappers'
import {
  createCredentialDefinitionBody,
  createSchemaBody,
  credentialDefinitionIds,
  credentialDefinitionResult,
  foundCredentialDefinition,
  foundSchema,
  listCredentialDefinitionsQuery,
  listSchemasQuery,
  objectIdParams,
  schemaIds,
  schemaResult,
} from './schemas'

export const anonCredsRouteDeclarations = ({ services: { anoncreds } }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/anoncreds/schema',
    auth: 'requireTenant',
    summary: 'Register a schema',
    body: createSchemaBody,
    response: schemaResult,
    async handle({ body, principal }) {
      const registered = await anoncreds.registerSchema(principal().walletId, body.schema)
      return {
        schema_state: { state: registered.state, schema_id: registered.id, schema: registered.object },
        registration_metadata: registered.registrationMetadata,
        schema_metadata: toRegistryMetadata(registered.metadata),
      }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/schema/:id',
    auth: 'requireTenant',
    summary: 'Fetch a schema',
    params: objectIdParams,
    response: foundSchema,
    async handle({ params, principal }) {
      const found = await anoncreds.getSchema(principal().walletId, params.id)
      return { schema: found.schema, schema_id: found.schemaId, resolution_metadata: found.resolutionMetadata, schema_metadata: toRegistryMetadata(found.schemaMetadata) }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/schemas',
    auth: 'requireTenant',
    summary: 'The ids of the schemas this wallet created',
    query: listSchemasQuery,
    response: schemaIds,
    async handle({ query, principal }) {
      const ids = await anoncreds.listSchemaIds(principal().walletId, { issuerId: query.schema_issuer_id, name: query.schema_name, version: query.schema_version })
      return { schema_ids: ids }
    },
  }),
  route({
    method: 'POST',
    path: '/anoncreds/credential-definition',
    auth: 'requireTenant',
    summary: 'Register a credential definition',
    body: createCredentialDefinitionBody,
    response: credentialDefinitionResult,
    async handle({ body, principal }) {
      const registered = await anoncreds.registerCredentialDefinition(principal().walletId, {
        ...body.credential_definition,
        supportRevocation: body.options.support_revocation,
        revocationRegistrySize: body.options.revocation_registry_size,
      })
      return {
        credential_definition_state: { state: registered.state, credential_definition_id: registered.id, credential_definition: registered.object },
        registration_metadata: registered.registrationMetadata,
        credential_definition_metadata: toRegistryMetadata(registered.metadata),
      }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/credential-definition/:id',
    auth: 'requireTenant',
    summary: 'Fetch a credential definition',
    params: objectIdParams,
    response: foundCredentialDefinition,
    async handle({ params, principal }) {
      const found = await anoncreds.getCredentialDefinition(principal().walletId, params.id)
      return {
        credential_definition_id: found.credentialDefinitionId,
        credential_definition: found.credentialDefinition,
        resolution_metadata: found.resolutionMetadata,
        // ACA-Py's own spelling of this key.
        credential_definitions_metadata: toRegistryMetadata(found.credentialDefinitionMetadata),
      }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/credential-definitions',
    auth: 'requireTenant',
    summary: 'The ids of the credential definitions this wallet created',
    query: listCredentialDefinitionsQuery,
    response: credentialDefinitionIds,
    async handle({ query, principal }) {
      const ids = await anoncreds.listCredentialDefinitionIds(principal().walletId, {
        issuerId: query.issuer_id,
        schemaId: query.schema_id,
        schemaName: query.schema_name,
        schemaVersion: query.schema_version,
      })
      return { credential_definition_ids: ids }
    },
  }),
]
