// Proven face, internal routes (seed 003 "Distinction Between HTTP Endpoints"): subwallets, with
// the base API key. Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toSubwallet } from './mappers'
import { createSubwalletBody, subwallet, subwalletCreated, subwalletList, walletIdParams } from './schemas'

export const controllerSubwalletRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/api/subwallet/create',
    auth: 'requireBaseKey',
    summary: 'Create a subwallet (its ACA-Py bearer token included)',
    body: createSubwalletBody,
    response: subwalletCreated,
    async handle({ body }) {
      const { wallet, token } = await services.wallets.create({ walletName: body.wallet_name, label: body.label })
      return { wallet_id: wallet.walletId, token }
    },
  }),
  route({
    method: 'GET',
    path: '/api/subwallets',
    auth: 'requireBaseKey',
    summary: 'List subwallets',
    response: subwalletList,
    async handle() {
      const wallets = await services.wallets.list({})
      return { rows: wallets.map(toSubwallet), count: wallets.length }
    },
  }),
  route({
    method: 'GET',
    path: '/api/subwallets/:wallet_id',
    auth: 'requireBaseKey',
    summary: 'Fetch a subwallet',
    params: walletIdParams,
    response: subwallet,
    async handle({ params }) {
      return toSubwallet(await services.wallets.get(params.wallet_id))
    },
  }),
]
