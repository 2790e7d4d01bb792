// ACA-Py face, the legacy (Indy-style) schema and credential definition routes (reference §12.1).
// They publish under the wallet's public DID through the same registries as /anoncreds/*, and the
// ids are the same in both families. ACA-Py forbids them on anoncreds wallets; Credence does not.
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { objectIdParams } from '../anoncreds/schemas'
import { toLegacyCredentialDefinition, toLegacySchema } from './mappers'

const createSchemaBody = z
  .object({
    schema_name: z.string().trim().min(1).max(200),
    schema_version: z.string().regex(/^\d+(\.\d+)*$/, 'must look like 1.0'),
    attributes: z.array(z.string().trim().min(1, 'attribute names may not be empty').max(200)).min(1).max(125),
  })
  .strict()

const createCredentialDefinitionBody = z
  .object({
    schema_id: z.string().min(1).max(4000),
    tag: z.string().min(1).max(100).default('default'),
    support_revocation: z.boolean().default(false),
    revocation_registry_size: z.number().int().positive().optional(),
    wait_for_revocation_setup: z.boolean().optional(),
  })
  .strict()

const createdSchemasQuery = z.object({
  schema_id: z.string().max(4000).optional(),
  schema_issuer_did: z.string().max(2000).optional(),
  schema_name: z.string().max(200).optional(),
  schema_version: z.string().max(50).optional(),
})

const createdCredentialDefinitionsQuery = createdSchemasQuery.extend({
  issuer_did: z.string().max(2000).optional(),
  cred_def_id: z.string().max(4000).optional(),
})

describeRequest('POST /schemas', { body: createSchemaBody })
describeRequest('GET /schemas/created', { query: createdSchemasQuery })
describeRequest('POST /credential-definitions', { body: createCredentialDefinitionBody })
describeRequest('GET /credential-definitions/created', { query: createdCredentialDefinitionsQuery })

export function legacyAnonCredsRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()

  router.post('/schemas', requireTenant, handler(async (req, res) => {
    const body = parse(createSchemaBody, req.body, 'body')
    const registered = await services.anoncreds.registerSchema(principalOf(res).walletId, {
      name: body.schema_name,
      version: body.schema_version,
      attrNames: body.attributes,
    })
    const schema = toLegacySchema(registered.id, registered.object, registered.metadata)
    res.json({ sent: { schema_id: registered.id, schema }, schema_id: registered.id, schema })
  }))

  router.get('/schemas/created', requireTenant, handler(async (req, res) => {
    const query = parse(createdSchemasQuery, req.query, 'query')
    const ids = await services.anoncreds.listSchemaIds(principalOf(res).walletId, {
      schemaId: query.schema_id,
      issuerId: query.schema_issuer_did,
      name: query.schema_name,
      version: query.schema_version,
    })
    res.json({ schema_ids: ids })
  }))

  router.get('/schemas/:id', requireTenant, handler(async (req, res) => {
    const { id } = parse(objectIdParams, req.params, 'params')
    const found = await services.anoncreds.getSchema(principalOf(res).walletId, id)
    res.json({ schema: toLegacySchema(id, found.schema!, found.schemaMetadata) })
  }))

  router.post('/credential-definitions', requireTenant, handler(async (req, res) => {
    const body = parse(createCredentialDefinitionBody, req.body, 'body')
    const registered = await services.anoncreds.registerCredentialDefinition(principalOf(res).walletId, {
      schemaId: body.schema_id,
      tag: body.tag,
      supportRevocation: body.support_revocation,
      reuseExisting: true,
    })
    res.json({ sent: { credential_definition_id: registered.id }, credential_definition_id: registered.id })
  }))

  router.get('/credential-definitions/created', requireTenant, handler(async (req, res) => {
    const query = parse(createdCredentialDefinitionsQuery, req.query, 'query')
    const ids = await services.anoncreds.listCredentialDefinitionIds(principalOf(res).walletId, {
      issuerId: query.issuer_did,
      schemaId: query.schema_id,
      schemaName: query.schema_name,
      schemaVersion: query.schema_version,
      schemaIssuerId: query.schema_issuer_did,
      credentialDefinitionId: query.cred_def_id,
    })
    res.json({ credential_definition_ids: ids })
  }))

  router.get('/credential-definitions/:id', requireTenant, handler(async (req, res) => {
    const { id } = parse(objectIdParams, req.params, 'params')
    const found = await services.anoncreds.getCredentialDefinition(principalOf(res).walletId, id)
    res.json({ credential_definition: toLegacyCredentialDefinition(id, found.credentialDefinition!) })
  }))

  return router
}
