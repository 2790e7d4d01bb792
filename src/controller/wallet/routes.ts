// Proven face, the wallet's own DIDs, the ledger's transaction author agreement and JSON-LD
// contexts (seed 003 "DIDs", "TAA", "Context"), over the same services as ACA-Py's /wallet/did*,
// /ledger/taa* and /jsonld/contexts (the seed's DID and TAA shapes are ACA-Py's: mappers.ts).
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toDidInfo, toTaaResult } from './mappers'
import { acceptTaaBody, contextBody, contextPosted, createDidBody, didInfo, didList, listDidsQuery, sessionInfo, setPublicDidQuery, taaInfo } from './schemas'

/**
 * The URL a credential names the context by: the id itself when it is an http(s) URL, otherwise
 * the file name under this server's endpoint, `<endpoint origin>/contexts/<file>`.
 */
export const contextUrlFor = (endpoint: string, contextFileId: string) =>
  /^https?:\/\//.test(contextFileId) ? contextFileId : `${new URL(endpoint).origin}/contexts/${encodeURIComponent(contextFileId)}`

export const controllerWalletRouteDeclarations = ({ config, services }: RoomDeps) => [
  // Credence's addition: who the credential in x-api-key is, so a client (the console) can show
  // the wallet and offer only what the roles allow. The admin key alone is an answer too (no
  // wallet yet), so a sign-in asks once and never meets an error.
  route({
    method: 'GET',
    path: '/api/v1/session',
    auth: 'requireWalletKeyOrAdmin',
    summary: 'Who the credential in x-api-key is: its wallet and roles',
    response: sessionInfo,
    async handle({ maybePrincipal }) {
      const principal = maybePrincipal()
      if (!principal) return { wallet_id: null, wallet_name: null, label: null, roles: ['super-admin'], credential: 'admin-key' as const, key_id: null }
      const wallet = await services.wallets.get(principal.walletId)
      return {
        wallet_id: wallet.walletId,
        wallet_name: wallet.walletName,
        label: wallet.label ?? null,
        roles: principal.roles,
        credential: principal.via,
        key_id: principal.keyId ?? null,
      }
    },
  }),
  // Credence's addition: the wallet's DIDs as ACA-Py's GET /wallet/did lists them.
  route({
    method: 'GET',
    path: '/api/v1/dids',
    auth: 'requireWalletKey',
    summary: "The wallet's DIDs",
    query: listDidsQuery,
    response: didList,
    async handle({ query, principal }) {
      return { results: (await services.dids.list(principal().walletId, query)).map(toDidInfo) }
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/create-did',
    auth: 'requireWalletKey',
    summary: 'Create a DID (did:sov by default; did:web or did:key on request)',
    body: createDidBody,
    response: didInfo,
    async handle({ body, principal }) {
      return toDidInfo(await services.dids.create(principal().walletId, { method: body.method, keyType: 'ed25519' }))
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/set-public-did',
    auth: 'requireWalletKey',
    summary: 'Set the public DID',
    query: setPublicDidQuery,
    response: didInfo,
    async handle({ query, principal }) {
      return toDidInfo(await services.dids.setPublic(principal().walletId, query.DID))
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/fetch-taa',
    auth: 'requireWalletKey',
    summary: "The ledger's transaction author agreement and this wallet's acceptance",
    response: taaInfo,
    async handle({ principal }) {
      return toTaaResult(await services.ledger.taa(principal().walletId)).result
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/accept-taa',
    auth: 'requireWalletKey',
    summary: "Accept the ledger's transaction author agreement for this wallet",
    body: acceptTaaBody,
    response: taaInfo,
    async handle({ body, principal }) {
      const { walletId } = principal()
      await services.ledger.acceptTaa(walletId, body)
      return toTaaResult(await services.ledger.taa(walletId)).result
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/context',
    auth: 'requireWalletKey',
    summary: 'Post a JSON-LD context file for this wallet',
    body: contextBody,
    response: contextPosted,
    async handle({ body, principal }) {
      const url = contextUrlFor(config.endpoint, body.context_file_id)
      await services.jsonLdContexts.upload(principal().walletId, url, body.file, 'file')
      return { success: 'Context file was posted' as const, url }
    },
  }),
]
