// Proven face, the wallet's own DIDs, the ledger's transaction author agreement and JSON-LD
// contexts (seed 003 "DIDs", "TAA", "Context"), over the same services as ACA-Py's /wallet/did*,
// /ledger/taa* and /jsonld/contexts. The DID and TAA shapes in the seed are ACA-Py's, so the
// ACA-Py face's mappers make them.
import { Router } from 'express'
import { z } from 'zod'

import { toTaaResult } from '../../acapy/ledger/mappers'
import { toDidInfo } from '../../acapy/wallet/mappers'
import { maybePrincipalOf, principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'

const setPublicDidQuery = z.object({ DID: z.string().min(1).max(500) })
// Proven creates did:sov DIDs; a did:web (hosted here, with the embedded AnonCreds registry, so no
// ledger is needed) or a did:key may be asked for instead. An empty body keeps Proven's behaviour.
const listDidsQuery = z.object({ method: z.string().max(50).optional(), posture: z.enum(['public', 'posted', 'wallet_only']).optional() })
const createDidBody = z.object({ method: z.enum(['sov', 'web', 'key'], { message: 'must be sov, web or key' }).default('sov') }).strict()
const acceptTaaBody = z.object({ mechanism: z.string().min(1).max(200), text: z.string().min(1).max(200_000), version: z.string().min(1).max(50) }).strict()

/** Contexts of this size cover any real vocabulary; larger ones are refused. */
const MAX_CONTEXT_BYTES = 256_000
const contextBody = z
  .object({
    // A file name such as `test.json`, or the context's own http(s) URL.
    context_file_id: z.string().trim().min(1).max(500).regex(/^[^\s?#]+$/, 'must be a file name or URL without spaces, ? or #'),
    file: z.record(z.string().max(500), z.unknown()).refine((file) => JSON.stringify(file).length <= MAX_CONTEXT_BYTES, `the file is larger than ${MAX_CONTEXT_BYTES / 1000} kB`),
  })
  .strict()

describeRequest('GET /api/v1/dids', { query: listDidsQuery })
describeRequest('POST /api/v1/create-did', { body: createDidBody })
describeRequest('POST /api/v1/set-public-did', { query: setPublicDidQuery })
describeRequest('POST /api/v1/accept-taa', { body: acceptTaaBody })
describeRequest('POST /api/v1/context', { body: contextBody })

/**
 * The URL a credential names the context by: the id itself when it is an http(s) URL, otherwise
 * the file name under this server's endpoint, `<endpoint origin>/contexts/<file>`.
 */
export const contextUrlFor = (endpoint: string, contextFileId: string) =>
  /^https?:\/\//.test(contextFileId) ? contextFileId : `${new URL(endpoint).origin}/contexts/${encodeURIComponent(contextFileId)}`

export function controllerWalletRoutes({ config, services, requireWalletKey, requireWalletKeyOrAdmin }: RoomDeps): Router {
  const router = Router()

  // Credence's addition: who the credential in x-api-key is, so a client (the console) can show
  // the wallet and offer only what the roles allow. The admin key alone is an answer too (no
  // wallet yet), so a sign-in asks once and never meets an error.
  router.get('/api/v1/session', requireWalletKeyOrAdmin, handler(async (_req, res) => {
    const principal = maybePrincipalOf(res)
    if (!principal) {
      return void res.json({ wallet_id: null, wallet_name: null, label: null, roles: ['super-admin'], credential: 'admin-key', key_id: null })
    }
    const wallet = await services.wallets.get(principal.walletId)
    res.json({
      wallet_id: wallet.walletId,
      wallet_name: wallet.walletName,
      label: wallet.label ?? null,
      roles: principal.roles,
      credential: principal.via,
      key_id: principal.keyId ?? null,
    })
  }))

  // Credence's addition: the wallet's DIDs as ACA-Py's GET /wallet/did lists them.
  router.get('/api/v1/dids', requireWalletKey, handler(async (req, res) => {
    const query = parse(listDidsQuery, req.query, 'query')
    res.json({ results: (await services.dids.list(principalOf(res).walletId, query)).map(toDidInfo) })
  }))

  router.post('/api/v1/create-did', requireWalletKey, handler(async (req, res) => {
    const { method } = parse(createDidBody, req.body ?? {}, 'body')
    res.json(toDidInfo(await services.dids.create(principalOf(res).walletId, { method, keyType: 'ed25519' })))
  }))

  router.post('/api/v1/set-public-did', requireWalletKey, handler(async (req, res) => {
    const { DID } = parse(setPublicDidQuery, req.query, 'query')
    res.json(toDidInfo(await services.dids.setPublic(principalOf(res).walletId, DID)))
  }))

  router.post('/api/v1/fetch-taa', requireWalletKey, handler(async (_req, res) => {
    res.json(toTaaResult(await services.ledger.taa(principalOf(res).walletId)).result)
  }))

  router.post('/api/v1/accept-taa', requireWalletKey, handler(async (req, res) => {
    const body = parse(acceptTaaBody, req.body, 'body')
    const { walletId } = principalOf(res)
    await services.ledger.acceptTaa(walletId, body)
    res.json(toTaaResult(await services.ledger.taa(walletId)).result)
  }))

  router.post('/api/v1/context', requireWalletKey, handler(async (req, res) => {
    const body = parse(contextBody, req.body, 'body')
    const url = contextUrlFor(config.endpoint, body.context_file_id)
    await services.jsonLdContexts.upload(principalOf(res).walletId, url, body.file, 'file')
    res.json({ success: 'Context file was posted', url })
  }))

  return router
}
