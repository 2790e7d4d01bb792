// ACA-Py face, ledger room (reference §11). Every route answers 403 "No Indy ledger available"
// when no Indy network is configured, as ACA-Py does.
import { Router } from 'express'

import { badRequest } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { toLedgerConfig, toTaaResult } from './mappers'
import { acceptTaaBody, didEndpointQuery, didQuery, registerNymQuery } from './schemas'

describeRequest('POST /ledger/taa/accept', { body: acceptTaaBody })
describeRequest('POST /ledger/register-nym', { query: registerNymQuery })
describeRequest('GET /ledger/did-verkey', { query: didQuery })
describeRequest('GET /ledger/did-endpoint', { query: didEndpointQuery })
describeRequest('GET /ledger/get-nym-role', { query: didQuery })

export function ledgerRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()
  const { ledger } = services

  router.get('/ledger/taa', requireTenant, handler(async (_req, res) => {
    res.json(toTaaResult(await ledger.taa(principalOf(res).walletId)))
  }))

  router.post('/ledger/taa/accept', requireTenant, handler(async (req, res) => {
    const body = parse(acceptTaaBody, req.body, 'body')
    await ledger.acceptTaa(principalOf(res).walletId, body)
    res.json({})
  }))

  router.post('/ledger/register-nym', requireTenant, handler(async (req, res) => {
    const query = parse(registerNymQuery, req.query, 'query')
    if (query.create_transaction_for_endorser !== undefined || query.conn_id !== undefined) {
      throw badRequest('create_transaction_for_endorser', 'Endorser transactions are not supported; the public DID must be allowed to write')
    }
    await ledger.registerNym(principalOf(res).walletId, { did: query.did, verkey: query.verkey, alias: query.alias, role: query.role })
    res.json({ success: true })
  }))

  router.get('/ledger/did-verkey', requireTenant, handler(async (req, res) => {
    const { did } = parse(didQuery, req.query, 'query')
    const { verkey, ledgerId } = await ledger.didVerkey(did)
    res.json({ verkey, ledger_id: ledgerId })
  }))

  router.get('/ledger/did-endpoint', requireTenant, handler(async (req, res) => {
    const query = parse(didEndpointQuery, req.query, 'query')
    const { endpoint, ledgerId } = await ledger.didEndpoint(query.did, query.endpoint_type)
    res.json({ endpoint, ledger_id: ledgerId })
  }))

  router.get('/ledger/get-nym-role', requireTenant, handler(async (req, res) => {
    const { did } = parse(didQuery, req.query, 'query')
    const { role, ledgerId } = await ledger.nymRole(did)
    res.json({ role, ledger_id: ledgerId })
  }))

  router.get('/ledger/config', requireTenant, handler(async (_req, res) => {
    res.json(toLedgerConfig(ledger.networks()))
  }))

  return router
}
