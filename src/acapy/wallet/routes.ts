// ACA-Py face, wallet room: the DIDs a tenant needs for DIDComm and its public DID (reference §10).
// Methods here: sov (made public, it is checked and announced on the Indy ledger), key, web and
// did:peer:2/4; did:cheqd has its own route, as in ACA-Py.
import { Router } from 'express'

import { badRequest, forbidden } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import type { DidMethodName } from '../../services/dids'
import { toDidInfo } from './mappers'
import { createCheqdDidBody, createDidBody, listDidsQuery, setPublicDidQuery } from './schemas'

const METHODS: Record<string, DidMethodName> = { sov: 'sov', key: 'key', web: 'web', 'did:peer:2': 'did:peer:2', 'did:peer:4': 'did:peer:4' }

describeRequest('GET /wallet/did', { query: listDidsQuery })
describeRequest('POST /wallet/did/create', { body: createDidBody })
describeRequest('POST /did/cheqd/create', { body: createCheqdDidBody })
describeRequest('POST /wallet/did/public', { query: setPublicDidQuery })

export function walletRoutes({ config, services, requireTenant }: RoomDeps): Router {
  const router = Router()

  router.get('/wallet/did', requireTenant, handler(async (req, res) => {
    const query = parse(listDidsQuery, req.query, 'query')
    if (query.key_type && query.key_type !== 'ed25519') return res.json({ results: [] })
    const dids = await services.dids.list(principalOf(res).walletId, query)
    res.json({ results: dids.map(toDidInfo) })
  }))

  router.post('/wallet/did/create', requireTenant, handler(async (req, res) => {
    const body = parse(createDidBody, req.body, 'body')
    if (body.seed !== undefined && !config.allowInsecureSeed) {
      throw badRequest('seed', 'Seeds are not accepted: CREDENCE_WALLET_ALLOW_INSECURE_SEED is off')
    }
    const method = Object.hasOwn(METHODS, body.method) ? METHODS[body.method] : undefined
    if (!method) throw forbidden(`DID method ${body.method} is not supported here (supported: ${Object.keys(METHODS).join(', ')})`)
    const did = await services.dids.create(principalOf(res).walletId, {
      method,
      keyType: body.options.key_type,
      did: body.options.did,
      seed: body.seed,
    })
    res.json({ result: toDidInfo(did) })
  }))

  // ACA-Py 1.x's cheqd route: the DID is written to the network before it is answered.
  router.post('/did/cheqd/create', requireTenant, handler(async (req, res) => {
    const body = parse(createCheqdDidBody, req.body ?? {}, 'body')
    const did = await services.dids.createCheqd(principalOf(res).walletId, body.options.network)
    res.json({ success: true, did: did.did, verkey: did.verkey })
  }))

  router.get('/wallet/did/public', requireTenant, handler(async (_req, res) => {
    const did = await services.dids.getPublic(principalOf(res).walletId)
    res.json({ result: did ? toDidInfo(did) : null })
  }))

  router.post('/wallet/did/public', requireTenant, handler(async (req, res) => {
    const query = parse(setPublicDidQuery, req.query, 'query')
    res.json({ result: toDidInfo(await services.dids.setPublic(principalOf(res).walletId, query.did)) })
  }))

  return router
}
