// ACA-Py face, multitenancy room: sub-wallet management with the admin key (reference §3).
import { Router } from 'express'
import { randomUUID } from 'node:crypto'

import { badRequest } from '../../errors'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { toWalletRecord } from './mappers'
import { createWalletBody, listWalletsQuery, updateWalletBody, walletIdParams, walletKeyBody } from './schemas'

describeRequest('POST /multitenancy/wallet', { body: createWalletBody })
describeRequest('GET /multitenancy/wallets', { query: listWalletsQuery })
describeRequest('PUT /multitenancy/wallet/:wallet_id', { body: updateWalletBody })
describeRequest('POST /multitenancy/wallet/:wallet_id/token', { body: walletKeyBody })
describeRequest('DELETE /multitenancy/wallet/:wallet_id', { body: walletKeyBody })
describeRequest('POST /multitenancy/wallet/:wallet_id/remove', { body: walletKeyBody })

export function multitenancyRoutes({ services, requireAdmin }: RoomDeps): Router {
  const router = Router()
  router.post('/multitenancy/wallet', requireAdmin, handler(async (req, res) => {
    const body = parse(createWalletBody, req.body, 'body')
    const { wallet, token } = await services.wallets.create({
      walletName: body.wallet_name ?? randomUUID(),
      label: body.label,
      imageUrl: body.image_url,
      walletType: body.wallet_type,
      webhookUrls: body.wallet_webhook_urls,
      dispatchType: body.wallet_dispatch_type,
      extraSettings: body.extra_settings,
    })
    res.json({ ...toWalletRecord(wallet), token })
  }))

  router.get('/multitenancy/wallets', requireAdmin, handler(async (req, res) => {
    const query = parse(listWalletsQuery, req.query, 'query')
    const wallets = await services.wallets.list({ walletName: query.wallet_name, limit: query.limit, offset: query.offset, descending: query.descending })
    res.json({ results: wallets.map(toWalletRecord) })
  }))

  router.get('/multitenancy/wallet/:wallet_id', requireAdmin, handler(async (req, res) => {
    const { wallet_id } = parse(walletIdParams, req.params, 'params')
    res.json(toWalletRecord(await services.wallets.get(wallet_id)))
  }))

  router.put('/multitenancy/wallet/:wallet_id', requireAdmin, handler(async (req, res) => {
    const { wallet_id } = parse(walletIdParams, req.params, 'params')
    const body = parse(updateWalletBody, req.body, 'body')
    const wallet = await services.wallets.update(wallet_id, {
      label: body.label,
      imageUrl: body.image_url,
      webhookUrls: body.wallet_webhook_urls,
      dispatchType: body.wallet_dispatch_type,
      extraSettings: body.extra_settings,
    })
    res.json(toWalletRecord(wallet))
  }))

  /** As ACA-Py: the wallet must exist (404), and a managed wallet is given no key (400). */
  const refuseWalletKey = async (walletId: string, body: unknown) => {
    const { wallet_key } = parse(walletKeyBody, body, 'body')
    await services.wallets.get(walletId)
    if (wallet_key) throw badRequest('wallet_key', `Wallet ${walletId} doesn't require the wallet key to be provided`)
  }

  router.post('/multitenancy/wallet/:wallet_id/token', requireAdmin, handler(async (req, res) => {
    const { wallet_id } = parse(walletIdParams, req.params, 'params')
    await refuseWalletKey(wallet_id, req.body)
    res.json({ token: await services.wallets.createToken(wallet_id) })
  }))

  const remove = handler(async (req, res) => {
    const { wallet_id } = parse(walletIdParams, req.params, 'params')
    await refuseWalletKey(wallet_id, req.body)
    await services.wallets.remove(wallet_id)
    res.json({})
  })
  router.delete('/multitenancy/wallet/:wallet_id', requireAdmin, remove)
  router.post('/multitenancy/wallet/:wallet_id/remove', requireAdmin, remove)

  return router
}
