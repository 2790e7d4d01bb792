// ACA-Py face, the holder's credentials (reference §9): AnonCreds credentials as IndyCredInfo.
import { Router } from 'express'
import { z } from 'zod'

import type { AnonCredsCredentialInfo } from '@credo-ts/anoncreds'

import { badRequest } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { dropNullish } from '../serialization'
import { recordId } from '../queryParams'

const listQuery = z.object({
  wql: z.string().max(10_000).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  start: z.coerce.number().int().min(0).optional(),
  count: z.coerce.number().int().min(1).max(10_000).optional(),
})
const credentialParams = z.object({ credential_id: recordId })

/** IndyCredInfo; attribute values are strings, as ACA-Py's are. */
export function toIndyCredInfo(credential: AnonCredsCredentialInfo) {
  return dropNullish({
    referent: credential.credentialId,
    attrs: Object.fromEntries(Object.entries(credential.attributes).map(([name, value]) => [name, String(value)])),
    schema_id: credential.schemaId,
    cred_def_id: credential.credentialDefinitionId,
    rev_reg_id: credential.revocationRegistryId,
    cred_rev_id: credential.credentialRevocationId,
  })
}

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
