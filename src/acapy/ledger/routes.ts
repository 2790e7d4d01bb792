// ACA-Py face, ledger room (reference §11). Every route answers 403 "No Indy ledger available"
// when no Indy network is configured, as ACA-Py does. Declared as data (http/route.ts).
import { badRequest } from '../../errors'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toLedgerConfig, toTaaResult } from './mappers'
import {
  acceptTaaBody,
  didEndpoint,
  didEndpointQuery,
  didQuery,
  didVerkey,
  ledgerConfigList,
  nothing,
  nymRole,
  registered,
  registerNymQuery,
  taaResult,
} from './schemas'

export const ledgerRouteDeclarations = ({ services: { ledger } }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/ledger/taa',
    auth: 'requireTenant',
    summary: "The ledger's transaction author agreement, and whether this wallet accepted it",
    response: taaResult,
    async handle({ principal }) {
      return toTaaResult(await ledger.taa(principal().walletId))
    },
  }),
  route({
    method: 'POST',
    path: '/ledger/taa/accept',
    auth: 'requireTenant',
    summary: 'Accept the transaction author agreement for this wallet',
    body: acceptTaaBody,
    response: nothing,
    async handle({ body, principal }) {
      await ledger.acceptTaa(principal().walletId, body)
      return {}
    },
  }),
  route({
    method: 'POST',
    path: '/ledger/register-nym',
    auth: 'requireTenant',
    summary: "Write a NYM with the wallet's public DID",
    query: registerNymQuery,
    response: registered,
    async handle({ query, principal }) {
      if (query.create_transaction_for_endorser !== undefined || query.conn_id !== undefined) {
        throw badRequest('create_transaction_for_endorser', 'Endorser transactions are not supported; the public DID must be allowed to write')
      }
      await ledger.registerNym(principal().walletId, { did: query.did, verkey: query.verkey, alias: query.alias, role: query.role })
      return { success: true }
    },
  }),
  route({
    method: 'GET',
    path: '/ledger/did-verkey',
    auth: 'requireTenant',
    summary: "A DID's verkey on the ledger",
    query: didQuery,
    response: didVerkey,
    async handle({ query }) {
      const { verkey, ledgerId } = await ledger.didVerkey(query.did)
      return { verkey, ledger_id: ledgerId }
    },
  }),
  route({
    method: 'GET',
    path: '/ledger/did-endpoint',
    auth: 'requireTenant',
    summary: "A DID's endpoint on the ledger (its ATTRIB)",
    query: didEndpointQuery,
    response: didEndpoint,
    async handle({ query }) {
      const { endpoint, ledgerId } = await ledger.didEndpoint(query.did, query.endpoint_type)
      return { endpoint, ledger_id: ledgerId }
    },
  }),
  route({
    method: 'GET',
    path: '/ledger/get-nym-role',
    auth: 'requireTenant',
    summary: "A DID's role on the ledger",
    query: didQuery,
    response: nymRole,
    async handle({ query }) {
      const { role, ledgerId } = await ledger.nymRole(query.did)
      return { role, ledger_id: ledgerId }
    },
  }),
  route({
    method: 'GET',
    path: '/ledger/config',
    auth: 'requireTenant',
    summary: 'The Indy networks configured',
    response: ledgerConfigList,
    async handle() {
      return toLedgerConfig(ledger.networks())
    },
  }),
]
