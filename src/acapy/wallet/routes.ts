// ACA-Py face, wallet room: the DIDs a tenant needs for DIDComm and its public DID (reference §10).
// Methods here: sov (made public, it is checked and announced on the Indy ledger), key, web and
// did:peer:2/4; did:cheqd has its own route, as in ACA-Py. Declared as data (http/route.ts).
import { badRequest, forbidden } from '../../errors'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import type { DidMethodName } from '../../services/dids'
import { toDidInfo } from './mappers'
import {
  cheqdDidCreated,
  createCheqdDidBody,
  createDidBody,
  didList,
  didResult,
  listDidsQuery,
  publicDidResult,
  setPublicDidQuery,
} from './schemas'

const METHODS: Record<string, DidMethodName> = { sov: 'sov', key: 'key', web: 'web', 'did:peer:2': 'did:peer:2', 'did:peer:4': 'did:peer:4' }

export const walletRouteDeclarations = ({ config, services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/wallet/did',
    auth: 'requireTenant',
    summary: "List the wallet's DIDs",
    query: listDidsQuery,
    response: didList,
    async handle({ query, principal }) {
      // Every DID here is Ed25519: another key type matches none.
      if (query.key_type && query.key_type !== 'ed25519') return { results: [] }
      return { results: (await services.dids.list(principal().walletId, query)).map(toDidInfo) }
    },
  }),
  route({
    method: 'POST',
    path: '/wallet/did/create',
    auth: 'requireTenant',
    summary: 'Create a DID (sov, key, web, did:peer:2, did:peer:4)',
    body: createDidBody,
    response: didResult,
    // The DID to create (did:web) is one of this body's options.
    errorFields: { did: 'options.did' },
    async handle({ body, principal }) {
      if (body.seed !== undefined && !config.allowInsecureSeed) {
        throw badRequest('seed', 'Seeds are not accepted: CREDENCE_WALLET_ALLOW_INSECURE_SEED is off')
      }
      const method = Object.hasOwn(METHODS, body.method) ? METHODS[body.method] : undefined
      if (!method) throw forbidden(`DID method ${body.method} is not supported here (supported: ${Object.keys(METHODS).join(', ')})`)
      const did = await services.dids.create(principal().walletId, { method, keyType: body.options.key_type, did: body.options.did, seed: body.seed })
      return { result: toDidInfo(did) }
    },
  }),
  // ACA-Py 1.x's cheqd route: the DID is written to the network before it is answered.
  route({
    method: 'POST',
    path: '/did/cheqd/create',
    auth: 'requireTenant',
    summary: 'Create a did:cheqd on the network',
    body: createCheqdDidBody,
    response: cheqdDidCreated,
    async handle({ body, principal }) {
      const did = await services.dids.createCheqd(principal().walletId, body.options.network)
      return { success: true as const, did: did.did, verkey: did.verkey }
    },
  }),
  route({
    method: 'GET',
    path: '/wallet/did/public',
    auth: 'requireTenant',
    summary: "The wallet's public DID",
    response: publicDidResult,
    async handle({ principal }) {
      const did = await services.dids.getPublic(principal().walletId)
      return { result: did ? toDidInfo(did) : null }
    },
  }),
  route({
    method: 'POST',
    path: '/wallet/did/public',
    auth: 'requireTenant',
    summary: 'Set the public DID',
    query: setPublicDidQuery,
    response: didResult,
    async handle({ query, principal }) {
      return { result: toDidInfo(await services.dids.setPublic(principal().walletId, query.did)) }
    },
  }),
]
