// ACA-Py face, the holder's credentials (reference §9): AnonCreds credentials as IndyCredInfo,
// JSON-LD credentials as VCRecord.
import { Router } from 'express'
import { z } from 'zod'

import { badRequest } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { recordId } from '../queryParams'
import { toIndyCredInfo, toVcRecord } from './mappers'

const listQuery = z.object({
  wql: z.string().max(10_000).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  start: z.coerce.number().int().min(0).optional(),
  count: z.coerce.number().int().min(1).max(10_000).optional(),
})
const credentialParams = z.object({ credential_id: recordId })

const strings = z.array(z.string().min(1).max(2000)).max(50)
/** ACA-Py's W3CCredentialsListRequest; `tag_query` (raw storage tags) is not mirrored. */
const w3cListBody = z
  .object({
    contexts: strings.optional(),
    types: strings.optional(),
    schema_ids: strings.optional(),
    issuer_id: z.string().min(1).max(2000).optional(),
    subject_ids: strings.optional(),
    proof_types: strings.optional(),
    given_id: z.string().min(1).max(2000).optional(),
    tag_query: z.record(z.string(), z.unknown()).optional(),
    max_results: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()

describeRequest('GET /credentials', { query: listQuery })
describeRequest('POST /credentials/w3c', { body: w3cListBody })

export function holderRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()
  const { holderCredentials } = services

  // Default 10 when neither limit nor offset is given, as ACA-Py's `count`.
  router.get('/credentials', requireTenant, handler(async (req, res) => {
    const query = parse(listQuery, req.query, 'query')
    let wql: unknown
    if (query.wql !== undefined) {
      try {
        wql = JSON.parse(query.wql)
      } catch {
        throw badRequest('wql', 'wql is not JSON')
      }
    }
    const credentials = await holderCredentials.list(principalOf(res).walletId, wql)
    const offset = query.offset ?? query.start ?? 0
    const limit = query.limit ?? query.count ?? 10
    res.json({ results: credentials.slice(offset, offset + limit).map(toIndyCredInfo) })
  }))

  // A list done with POST, as in ACA-Py; at most max_results (default 10).
  router.post('/credentials/w3c', requireTenant, handler(async (req, res) => {
    const body = parse(w3cListBody, req.body ?? {}, 'body')
    if (body.tag_query && Object.keys(body.tag_query).length) throw badRequest('tag_query', 'tag_query is not supported; use the named filters')
    const held = await holderCredentials.listW3c(principalOf(res).walletId, {
      contexts: body.contexts,
      types: body.types,
      schemaIds: body.schema_ids,
      issuerId: body.issuer_id,
      subjectIds: body.subject_ids,
      proofTypes: body.proof_types,
      givenId: body.given_id,
      maxResults: body.max_results ?? 10,
    })
    res.json({ results: held.map(toVcRecord) })
  }))

  router.get('/credential/w3c/:credential_id', requireTenant, handler(async (req, res) => {
    const { credential_id } = parse(credentialParams, req.params, 'params')
    res.json(toVcRecord(await holderCredentials.getW3c(principalOf(res).walletId, credential_id)))
  }))

  router.delete('/credential/w3c/:credential_id', requireTenant, handler(async (req, res) => {
    const { credential_id } = parse(credentialParams, req.params, 'params')
    await holderCredentials.deleteW3c(principalOf(res).walletId, credential_id)
    res.json({})
  }))

  router.get('/credential/:credential_id', requireTenant, handler(async (req, res) => {
    const { credential_id } = parse(credentialParams, req.params, 'params')
    res.json(toIndyCredInfo(await holderCredentials.get(principalOf(res).walletId, credential_id)))
  }))

  router.delete('/credential/:credential_id', requireTenant, handler(async (req, res) => {
    const { credential_id } = parse(credentialParams, req.params, 'params')
    await holderCredentials.delete(principalOf(res).walletId, credential_id)
    res.json({})
  }))

  return router
}
