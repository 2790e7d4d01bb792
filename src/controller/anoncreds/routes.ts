// Proven face, Credence's addition: the wallet's AnonCreds schemas and credential definitions,
// listed whole and created on the wallet's public DID (or a DID named) and its registry, over the
// same service as the ACA-Py face's /anoncreds routes. The console's issuance form is built from
// the attributes listed here. Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toCredentialDefinitionRow, toSchemaRow } from './mappers'
import {
  createCredentialDefinitionBody,
  createSchemaBody,
  credentialDefinitionList,
  credentialDefinitionRow,
  DEFINITION_FIELDS,
  SCHEMA_FIELDS,
  schemaList,
  schemaRow,
} from './schemas'

export const controllerAnonCredsRouteDeclarations = ({ services: { anoncreds } }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/api/v1/schemas',
    auth: 'requireWalletKey',
    summary: "The wallet's AnonCreds schemas",
    response: schemaList,
    async handle({ principal }) {
      const schemas = await anoncreds.listSchemas(principal().walletId)
      return { results: schemas.map(({ schemaId, schema }) => toSchemaRow(schemaId, schema)) }
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/schemas',
    auth: 'requireWalletKey',
    summary: 'Register an AnonCreds schema',
    body: createSchemaBody,
    response: schemaRow,
    errorFields: SCHEMA_FIELDS,
    async handle({ body, principal }) {
      const registered = await anoncreds.registerSchema(principal().walletId, {
        issuerId: body.issuer_id,
        name: body.name,
        version: body.version,
        attrNames: body.attributes,
      })
      return toSchemaRow(registered.id, registered.object)
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/credential-definitions',
    auth: 'requireWalletKey',
    summary: "The wallet's AnonCreds credential definitions",
    response: credentialDefinitionList,
    async handle({ principal }) {
      const definitions = await anoncreds.listCredentialDefinitions(principal().walletId)
      return { results: definitions.map((definition) => toCredentialDefinitionRow(definition.credentialDefinitionId, definition)) }
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/credential-definitions',
    auth: 'requireWalletKey',
    summary: 'Register an AnonCreds credential definition, revocable or not',
    body: createCredentialDefinitionBody,
    response: credentialDefinitionRow,
    errorFields: DEFINITION_FIELDS,
    async handle({ body, principal }) {
      const registered = await anoncreds.registerCredentialDefinition(principal().walletId, {
        issuerId: body.issuer_id,
        schemaId: body.schema_id,
        tag: body.tag,
        supportRevocation: body.support_revocation,
        revocationRegistrySize: body.revocation_registry_size,
      })
      return toCredentialDefinitionRow(registered.id, registered.object)
    },
  }),
]
