// Proven face, internal routes (seed 003 "Distinction Between HTTP Endpoints"): subwallets with
// the base API key; API keys with the base key, the admin key or a wallet key holding super-admin/admin.
import { Router } from 'express'

import { keyActorOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { toApiKey, toSubwallet } from './mappers'
import { createApiKeyBody, createSubwalletBody, listApiKeysQuery, revokeApiKeyBody, walletIdParams } from './schemas'

describeRequest('GET /api/apikeys', { query: listApiKeysQuery })

export function controllerTenancyRoutes({ services, requireBaseKey, requireKeyManager }: RoomDeps): Router {
  const router = Router()

  router.post('/api/subwallet/create', requireBaseKey, handler(async (req, res) => {
    const body = parse(createSubwalletBody, req.body, 'body')
    const { wallet, token } = await services.wallets.create({ walletName: body.wallet_name, label: body.label })
    res.json({ wallet_id: wallet.walletId, token })
  }))

  router.get('/api/subwallets', requireBaseKey, handler(async (_req, res) => {
    const wallets = await services.wallets.list({})
    res.json({ rows: wallets.map(toSubwallet), count: wallets.length })
  }))

  router.get('/api/subwallets/:wallet_id', requireBaseKey, handler(async (req, res) => {
    const { wallet_id } = parse(walletIdParams, req.params, 'params')
    res.json(toSubwallet(await services.wallets.get(wallet_id)))
  }))

  router.post('/api/apikey/create', requireKeyManager, handler(async (req, res) => {
    const body = parse(createApiKeyBody, req.body, 'body')
    const { apiKey, key } = await services.apiKeys.create(keyActorOf(res), {
      walletId: body.wallet_id,
      name: body.name,
      roles: body.roles,
      expiresAt: body.expires_at,
    })
    res.json({ api_key: apiKey, ...toApiKey(key) })
  }))

  // Credence's addition: the keys of a wallet, without their secrets.
  router.get('/api/apikeys', requireKeyManager, handler(async (req, res) => {
    const { wallet_id } = parse(listApiKeysQuery, req.query, 'query')
    res.json({ results: (await services.apiKeys.list(keyActorOf(res), wallet_id)).map(toApiKey) })
  }))

  router.post('/api/apikey/revoke', requireKeyManager, handler(async (req, res) => {
    const body = parse(revokeApiKeyBody, req.body, 'body')
    const key = await services.apiKeys.revoke(keyActorOf(res), { walletId: body.wallet_id, name: body.name, keyId: body.key_id })
    res.json(toApiKey(key))
  }))

  return router
}
