// Proven face, internal routes (seed 003): API keys, with the base key, the admin key or a wallet
// key holding super-admin/admin (the API key service decides). Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toApiKey } from './mappers'
import { apiKeyCreated, apiKeyList, apiKeyRecord, createApiKeyBody, listApiKeysQuery, revokeApiKeyBody } from './schemas'

export const controllerApiKeyRouteDeclarations = ({ services }: RoomDeps) => [
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
