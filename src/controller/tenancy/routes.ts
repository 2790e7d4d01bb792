// Proven face, internal routes (seed 003 "Distinction Between HTTP Endpoints"): subwallets with
// the base API key; API keys with the base key, the admin key or a wallet key holding super-admin/admin.
// Declared as data (http/route.ts).
import { mountRoutes, route } from '../../http/route'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { toApiKey, toSubwallet } from './mappers'
import {
  apiKeyCreated,
  apiKeyList,
  apiKeyRecord,
  createApiKeyBody,
  createSubwalletBody,
  listApiKeysQuery,
  revokeApiKeyBody,
  subwallet,
  subwalletCreated,
  subwalletList,
  walletIdParams,
} from './schemas'

export const controllerTenancyRouteDeclarations = ({ services }: RoomDeps) => [
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
  route({
    method: 'POST',
    path: '/api/apikey/create',
    auth: 'requireKeyManager',
    summary: 'Create an API key for a wallet (its secret shown only here)',
    body: createApiKeyBody,
    response: apiKeyCreated,
    async handle({ body, keyActor }) {
      const { apiKey, key } = await services.apiKeys.create(keyActor(), {
        walletId: body.wallet_id,
        name: body.name,
        roles: body.roles,
        expiresAt: body.expires_at,
      })
      return { api_key: apiKey, ...toApiKey(key) }
    },
  }),
  // Credence's addition: the keys of a wallet, without their secrets.
  route({
    method: 'GET',
    path: '/api/apikeys',
    auth: 'requireKeyManager',
    summary: "A wallet's API keys, without their secrets",
    query: listApiKeysQuery,
    response: apiKeyList,
    async handle({ query, keyActor }) {
      return { results: (await services.apiKeys.list(keyActor(), query.wallet_id)).map(toApiKey) }
    },
  }),
  route({
    method: 'POST',
    path: '/api/apikey/revoke',
    auth: 'requireKeyManager',
    summary: 'Revoke an API key',
    body: revokeApiKeyBody,
    response: apiKeyRecord,
    async handle({ body, keyActor }) {
      return toApiKey(await services.apiKeys.revoke(keyActor(), { walletId: body.wallet_id, name: body.name, keyId: body.key_id }))
    },
  }),
]

export const controllerTenancyRoutes = (deps: RoomDeps) => mountRoutes(deps, controllerTenancyRouteDeclarations(deps), parse)
