// ACA-Py face, multitenancy room: sub-wallet management with the admin key (reference §3).
// Declared as data (http/route.ts).
import { randomUUID } from 'node:crypto'

import { badRequest } from '../../errors'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toWalletRecord } from './mappers'
import {
  createdWallet,
  createWalletBody,
  listWalletsQuery,
  updateWalletBody,
  walletIdParams,
  walletKeyBody,
  walletList,
  walletRecord,
  walletRemoved,
  walletToken,
} from './schemas'

export const multitenancyRouteDeclarations = ({ services }: RoomDeps) => {
  /** As ACA-Py: the wallet must exist (404), and a managed wallet is given no key (400). */
  const refuseWalletKey = async (walletId: string, walletKey: string | undefined) => {
    await services.wallets.get(walletId)
    if (walletKey) throw badRequest('wallet_key', `Wallet ${walletId} doesn't require the wallet key to be provided`)
  }
  const removal = (method: 'DELETE' | 'POST', path: string) =>
    route({
      method,
      path,
      auth: 'requireAdmin',
      summary: 'Remove a wallet',
      params: walletIdParams,
      body: walletKeyBody,
      response: walletRemoved,
      async handle({ params, body }) {
        await refuseWalletKey(params.wallet_id, body.wallet_key)
        await services.wallets.remove(params.wallet_id)
        return {}
      },
    })
  return [
    route({
      method: 'POST',
      path: '/multitenancy/wallet',
      auth: 'requireAdmin',
      summary: 'Create a wallet (its bearer token included)',
      body: createWalletBody,
      response: createdWallet,
      async handle({ body }) {
        const { wallet, token } = await services.wallets.create({
          walletName: body.wallet_name ?? randomUUID(),
          label: body.label,
          imageUrl: body.image_url,
          walletType: body.wallet_type,
          webhookUrls: body.wallet_webhook_urls,
          dispatchType: body.wallet_dispatch_type,
          extraSettings: body.extra_settings,
        })
        return { ...toWalletRecord(wallet), token }
      },
    }),
    route({
      method: 'GET',
      path: '/multitenancy/wallets',
      auth: 'requireAdmin',
      summary: 'List wallets',
      query: listWalletsQuery,
      response: walletList,
      async handle({ query }) {
        const wallets = await services.wallets.list({ walletName: query.wallet_name, limit: query.limit, offset: query.offset, descending: query.descending })
        return { results: wallets.map(toWalletRecord) }
      },
    }),
    route({
      method: 'GET',
      path: '/multitenancy/wallet/:wallet_id',
      auth: 'requireAdmin',
      summary: 'Fetch a wallet',
      params: walletIdParams,
      response: walletRecord,
      async handle({ params }) {
        return toWalletRecord(await services.wallets.get(params.wallet_id))
      },
    }),
    route({
      method: 'PUT',
      path: '/multitenancy/wallet/:wallet_id',
      auth: 'requireAdmin',
      summary: "Update a wallet's label, image, webhooks and extra settings",
      params: walletIdParams,
      body: updateWalletBody,
      response: walletRecord,
      async handle({ params, body }) {
        const wallet = await services.wallets.update(params.wallet_id, {
          label: body.label,
          imageUrl: body.image_url,
          webhookUrls: body.wallet_webhook_urls,
          dispatchType: body.wallet_dispatch_type,
          extraSettings: body.extra_settings,
        })
        return toWalletRecord(wallet)
      },
    }),
    route({
      method: 'POST',
      path: '/multitenancy/wallet/:wallet_id/token',
      auth: 'requireAdmin',
      summary: 'A new bearer token for the wallet (the previous one stops working)',
      params: walletIdParams,
      body: walletKeyBody,
      response: walletToken,
      async handle({ params, body }) {
        await refuseWalletKey(params.wallet_id, body.wallet_key)
        return { token: await services.wallets.createToken(params.wallet_id) }
      },
    }),
    removal('DELETE', '/multitenancy/wallet/:wallet_id'),
    removal('POST', '/multitenancy/wallet/:wallet_id/remove'),
  ]
}
