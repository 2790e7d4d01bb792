// Proven face, Credence's addition: the wallet's AnonCreds schemas and credential definitions,
// listed whole and created on the wallet's public DID (or a DID named) and its registry, over the
// same service as the ACA-Py face's /anoncreds routes. The console's issuance form is built from
// the attributes listed here.
import type { AnonCredsSchema } from '@credo-ts/anoncreds'
import { Router } from 'express'
import { z } from 'zod'

import { underFieldNames } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'

const attributeName = z.string().trim().min(1, 'attribute names may not be empty').max(200)
const issuerId = z.string().trim().min(1).max(2000).optional()

const createSchemaBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    version: z.string().trim().regex(/^\d+(\.\d+)*$/, 'must look like 1.0'),
    attributes: z.array(attributeName).min(1, 'at least one attribute is required').max(125),
    issuer_id: issuerId,
  })
  .strict()

const createCredentialDefinitionBody = z
  .object({
    schema_id: z.string().trim().min(1).max(4000),
    tag: z.string().trim().min(1).max(100).default('default'),
    issuer_id: issuerId,
  })
  .strict()

/** The service checks the ACA-Py face's body; these are the same inputs in this route's body. */
const SCHEMA_FIELDS = { 'schema.issuerId': 'issuer_id', 'schema.name': 'name', 'schema.version': 'version', 'schema.attrNames': 'attributes' }
const DEFINITION_FIELDS = { 'credential_definition.issuerId': 'issuer_id', 'credential_definition.schemaId': 'schema_id', 'credential_definition.tag': 'tag' }

describeRequest('POST /api/v1/schemas', { body: createSchemaBody })
describeRequest('POST /api/v1/credential-definitions', { body: createCredentialDefinitionBody })

const toSchemaRow = (schemaId: string, schema: AnonCredsSchema) => ({
  schema_id: schemaId,
  name: schema.name,
  version: schema.version,
  attributes: schema.attrNames,
  issuer_id: schema.issuerId,
})

export function controllerAnonCredsRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()

  router.get('/api/v1/schemas', requireWalletKey, handler(async (_req, res) => {
    const schemas = await services.anoncreds.listSchemas(principalOf(res).walletId)
    res.json({ results: schemas.map(({ schemaId, schema }) => toSchemaRow(schemaId, schema)) })
  }))

  router.post('/api/v1/schemas', requireWalletKey, handler(async (req, res) => {
    const body = parse(createSchemaBody, req.body, 'body')
    const registered = await underFieldNames(SCHEMA_FIELDS, () =>
      services.anoncreds.registerSchema(principalOf(res).walletId, { issuerId: body.issuer_id, name: body.name, version: body.version, attrNames: body.attributes }),
    )
    res.json(toSchemaRow(registered.id, registered.object))
  }))

  router.get('/api/v1/credential-definitions', requireWalletKey, handler(async (_req, res) => {
    const definitions = await services.anoncreds.listCredentialDefinitions(principalOf(res).walletId)
    res.json({
      results: definitions.map((definition) => ({
        credential_definition_id: definition.credentialDefinitionId,
        schema_id: definition.schemaId,
        tag: definition.tag,
        issuer_id: definition.issuerId,
      })),
    })
  }))

  router.post('/api/v1/credential-definitions', requireWalletKey, handler(async (req, res) => {
    const body = parse(createCredentialDefinitionBody, req.body, 'body')
    const registered = await underFieldNames(DEFINITION_FIELDS, () =>
      services.anoncreds.registerCredentialDefinition(principalOf(res).walletId, { issuerId: body.issuer_id, schemaId: body.schema_id, tag: body.tag, supportRevocation: false }),
    )
    res.json({
      credential_definition_id: registered.id,
      schema_id: registered.object.schemaId,
      tag: registered.object.tag,
      issuer_id: registered.object.issuerId,
    })
  }))

  return router
}
