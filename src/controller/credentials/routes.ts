// Proven face, issuance request records (seed 003 "Credentials"): said once, carried out on the
// contact's (or invitation's) active connection now or on the next one that completes.
import { Router } from 'express'
import { z } from 'zod'

import { notFoundError } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { requestBasicsOf, requestFields } from '../requestBasics'
import { toAnonCredsIssuanceRecord, toCredentialExchangeRow, toJsonLdIssuanceRecord } from './mappers'

const anonCredsIssuanceBody = z
  .object({
    ...requestFields,
    schema_id: z.string().trim().min(1).max(500),
    attributes: z
      .array(z.object({ name: z.string().min(1).max(200), value: z.union([z.string(), z.number(), z.boolean()]).transform(String) }).strict())
      .min(1, 'at least one attribute is required')
      .max(500),
  })
  .strict()
const jsonLdIssuanceBody = z
  .object({
    ...requestFields,
    context: z.array(z.string().url('must be a context URL').max(2000)).max(20).default([]),
    label: z.string().max(500).nullable().optional(),
    issuer_name: z.string().max(500).nullable().optional(),
    type: z.array(z.string().min(1).max(500)).max(20).default([]),
    attributes: z
      .array(z.object({ name: z.string().min(1).max(200), value: z.union([z.string(), z.record(z.unknown()), z.array(z.unknown())]) }).strict())
      .min(1, 'at least one attribute is required')
      .max(500),
    did: z.string().min(1, 'the DID to sign with is required').max(1000),
    proofType: z.enum(['Ed25519Signature2018', 'Ed25519Signature2020'], { message: 'must be Ed25519Signature2018 or Ed25519Signature2020' }).default('Ed25519Signature2018'),
  })
  .strict()
const credentialIdParams = z.object({ credential_definition_id: z.string().min(1).max(1000) })
const requestIdParams = z.object({ request_id: z.coerce.number({ message: 'must be an integer request id' }).int().positive() })

describeRequest('POST /api/v1/credentials', { body: anonCredsIssuanceBody })
describeRequest('POST /api/v1/credentials/json-ld', { body: jsonLdIssuanceBody })

export function controllerCredentialRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()
  const requests = services.controllerRequests

  router.post('/api/v1/credentials', requireWalletKey, handler(async (req, res) => {
    const body = parse(anonCredsIssuanceBody, req.body, 'body')
    const record = await requests.requestAnonCredsIssuance(principalOf(res).walletId, {
      ...requestBasicsOf(body),
      schemaId: body.schema_id,
      attributes: body.attributes,
    })
    // The seed answers an array of records (one per request made).
    res.json([toAnonCredsIssuanceRecord(record)])
  }))

  router.post('/api/v1/credentials/json-ld', requireWalletKey, handler(async (req, res) => {
    const body = parse(jsonLdIssuanceBody, req.body, 'body')
    const record = await requests.requestJsonLdIssuance(principalOf(res).walletId, {
      ...requestBasicsOf(body),
      context: body.context,
      type: body.type,
      attributes: body.attributes,
      did: body.did,
      proofType: body.proofType,
      label: body.label ?? null,
      issuerName: body.issuer_name ?? null,
    })
    res.json([toJsonLdIssuanceRecord(record)])
  }))

  router.get('/api/v1/credentials/json-ld/:request_id', requireWalletKey, handler(async (req, res) => {
    const { request_id } = parse(requestIdParams, req.params, 'params')
    res.json(toJsonLdIssuanceRecord(await requests.get(principalOf(res).walletId, request_id, 'jsonld-issuance')))
  }))

  router.get('/api/v1/credentials', requireWalletKey, handler(async (_req, res) => {
    const { walletId } = principalOf(res)
    res.json((await services.credentials.list(walletId, {})).map((view) => toCredentialExchangeRow(walletId, view)))
  }))

  // The seed names the parameter credential_definition_id but answers one exchange: an exchange id
  // is taken first, else the wallet's newest exchange under that credential definition.
  router.get('/api/v1/credentials/:credential_definition_id', requireWalletKey, handler(async (req, res) => {
    const { credential_definition_id: id } = parse(credentialIdParams, req.params, 'params')
    const { walletId } = principalOf(res)
    const rows = (await services.credentials.list(walletId, {}))
      .map((view) => toCredentialExchangeRow(walletId, view))
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
    const row = rows.find((candidate) => candidate.credential_exchange_id === id) ?? rows.filter((candidate) => candidate.credential_definition_id === id).at(-1)
    if (!row) throw notFoundError(`No credential exchange ${id} and none under a credential definition ${id}`)
    res.json(row)
  }))

  // Credence's addition: every AnonCreds issuance request record of the wallet, oldest first.
  router.get('/api/v1/credential-records', requireWalletKey, handler(async (_req, res) => {
    res.json((await requests.list(principalOf(res).walletId, 'anoncreds-issuance')).map(toAnonCredsIssuanceRecord))
  }))

  router.get('/api/v1/credential-records/:request_id', requireWalletKey, handler(async (req, res) => {
    const { request_id } = parse(requestIdParams, req.params, 'params')
    res.json(toAnonCredsIssuanceRecord(await requests.get(principalOf(res).walletId, request_id, 'anoncreds-issuance')))
  }))

  return router
}
