// ACA-Py face, AnonCreds room: schemas and credential definitions (reference §12.2). Unlike ACA-Py,
// these work on every wallet type.
import { Router } from 'express'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { createCredentialDefinitionBody, createSchemaBody, listCredentialDefinitionsQuery, listSchemasQuery, objectIdParams } from './schemas'
import { toRegistryMetadata } from './mappers'

describeRequest('POST /anoncreds/schema', { body: createSchemaBody })
describeRequest('GET /anoncreds/schemas', { query: listSchemasQuery })
describeRequest('POST /anoncreds/credential-definition', { body: createCredentialDefinitionBody })
describeRequest('GET /anoncreds/credential-definitions', { query: listCredentialDefinitionsQuery })

export function anonCredsRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()

  router.post('/anoncreds/schema', requireTenant, handler(async (req, res) => {
    const body = parse(createSchemaBody, req.body, 'body')
    const registered = await services.anoncreds.registerSchema(principalOf(res).walletId, body.schema)
    res.json({
      schema_state: { state: registered.state, schema_id: registered.id, schema: registered.object },
      registration_metadata: registered.registrationMetadata,
      schema_metadata: toRegistryMetadata(registered.metadata),
    })
  }))

  router.get('/anoncreds/schema/:id', requireTenant, handler(async (req, res) => {
    const { id } = parse(objectIdParams, req.params, 'params')
    const found = await services.anoncreds.getSchema(principalOf(res).walletId, id)
    res.json({ schema: found.schema, schema_id: found.schemaId, resolution_metadata: found.resolutionMetadata, schema_metadata: toRegistryMetadata(found.schemaMetadata) })
  }))

  router.get('/anoncreds/schemas', requireTenant, handler(async (req, res) => {
    const query = parse(listSchemasQuery, req.query, 'query')
    const ids = await services.anoncreds.listSchemaIds(principalOf(res).walletId, {
      issuerId: query.schema_issuer_id,
      name: query.schema_name,
      version: query.schema_version,
    })
    res.json({ schema_ids: ids })
  }))

  router.post('/anoncreds/credential-definition', requireTenant, handler(async (req, res) => {
    const body = parse(createCredentialDefinitionBody, req.body, 'body')
    const registered = await services.anoncreds.registerCredentialDefinition(principalOf(res).walletId, {
      ...body.credential_definition,
      supportRevocation: body.options.support_revocation,
    })
    res.json({
      credential_definition_state: {
        state: registered.state,
        credential_definition_id: registered.id,
        credential_definition: registered.object,
      },
      registration_metadata: registered.registrationMetadata,
      credential_definition_metadata: toRegistryMetadata(registered.metadata),
    })
  }))

  router.get('/anoncreds/credential-definition/:id', requireTenant, handler(async (req, res) => {
    const { id } = parse(objectIdParams, req.params, 'params')
    const found = await services.anoncreds.getCredentialDefinition(principalOf(res).walletId, id)
    res.json({
      credential_definition_id: found.credentialDefinitionId,
      credential_definition: found.credentialDefinition,
      resolution_metadata: found.resolutionMetadata,
      // ACA-Py's own spelling of this key.
      credential_definitions_metadata: toRegistryMetadata(found.credentialDefinitionMetadata),
    })
  }))

  router.get('/anoncreds/credential-definitions', requireTenant, handler(async (req, res) => {
    const query = parse(listCredentialDefinitionsQuery, req.query, 'query')
    const ids = await services.anoncreds.listCredentialDefinitionIds(principalOf(res).walletId, {
      issuerId: query.issuer_id,
      schemaId: query.schema_id,
      schemaName: query.schema_name,
      schemaVersion: query.schema_version,
    })
    res.json({ credential_definition_ids: ids })
  }))

  return router
}
