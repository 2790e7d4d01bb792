// ACA-Py face, the legacy (Indy-style) schema and credential definition routes (reference §12.1).
// They publish under the wallet's public DID through the same registries as /anoncreds/*, and the
// ids are the same in both families. ACA-Py forbids them on anoncreds wallets; Credence does not.
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { objectIdParams } from '../anoncreds/schemas'
import { toLegacyCredentialDefinition, toLegacySchema } from './mappers'
import {
  createCredentialDefinitionBody,
  createdCredentialDefinitionsQuery,
  createdSchemasQuery,
  createSchemaBody,
  credentialDefinitionIds,
  credentialDefinitionSent,
  foundLegacyCredentialDefinition,
  foundLegacySchema,
  schemaIds,
  schemaSent,
} from './schemas'

export const legacyAnonCredsRouteDeclarations = ({ services: { anoncreds } }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/schemas',
    auth: 'requireTenant',
    summary: 'Register a schema under the public DID',
    body: createSchemaBody,
    response: schemaSent,
    async handle({ body, principal }) {
      const registered = await anoncreds.registerSchema(principal().walletId, { name: body.schema_name, version: body.schema_version, attrNames: body.attributes })
      const schema = toLegacySchema(registered.id, registered.object, registered.metadata)
      return { sent: { schema_id: registered.id, schema }, schema_id: registered.id, schema }
    },
  }),
  route({
    method: 'GET',
    path: '/schemas/created',
    auth: 'requireTenant',
    summary: 'The ids of the schemas this wallet created',
    query: createdSchemasQuery,
    response: schemaIds,
    async handle({ query, principal }) {
      const ids = await anoncreds.listSchemaIds(principal().walletId, {
        schemaId: query.schema_id,
        issuerId: query.schema_issuer_did,
        name: query.schema_name,
        version: query.schema_version,
      })
      return { schema_ids: ids }
    },
  }),
  route({
    method: 'GET',
    path: '/schemas/:id',
    auth: 'requireTenant',
    summary: 'Fetch a schema',
    params: objectIdParams,
    response: foundLegacySchema,
    async handle({ params, principal }) {
      const found = await anoncreds.getSchema(principal().walletId, params.id)
      return { schema: toLegacySchema(params.id, found.schema!, found.schemaMetadata) }
    },
  }),
  route({
    method: 'POST',
    path: '/credential-definitions',
    auth: 'requireTenant',
    summary: 'Register a credential definition (an existing one of the same schema and tag is answered again)',
    body: createCredentialDefinitionBody,
    response: credentialDefinitionSent,
    async handle({ body, principal }) {
      const registered = await anoncreds.registerCredentialDefinition(principal().walletId, {
        schemaId: body.schema_id,
        tag: body.tag,
        supportRevocation: body.support_revocation,
        revocationRegistrySize: body.revocation_registry_size,
        reuseExisting: true,
      })
      return { sent: { credential_definition_id: registered.id }, credential_definition_id: registered.id }
    },
  }),
  route({
    method: 'GET',
    path: '/credential-definitions/created',
    auth: 'requireTenant',
    summary: 'The ids of the credential definitions this wallet created',
    query: createdCredentialDefinitionsQuery,
    response: credentialDefinitionIds,
    async handle({ query, principal }) {
      const ids = await anoncreds.listCredentialDefinitionIds(principal().walletId, {
        issuerId: query.issuer_did,
        schemaId: query.schema_id,
        schemaName: query.schema_name,
        schemaVersion: query.schema_version,
        schemaIssuerId: query.schema_issuer_did,
        credentialDefinitionId: query.cred_def_id,
      })
      return { credential_definition_ids: ids }
    },
  }),
  route({
    method: 'GET',
    path: '/credential-definitions/:id',
    auth: 'requireTenant',
    summary: 'Fetch a credential definition',
    params: objectIdParams,
    response: foundLegacyCredentialDefinition,
    async handle({ params, principal }) {
      const found = await anoncreds.getCredentialDefinition(principal().walletId, params.id)
      return { credential_definition: toLegacyCredentialDefinition(params.id, found.credentialDefinition!) }
    },
  }),
]
