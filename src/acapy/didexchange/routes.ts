// ACA-Py face, DID exchange room (reference §5). `POST /v1/connections/did-exchange/create-request`
// is the same call under the path seed 000 (acapy-cloud) uses.
import { Router } from 'express'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { toConnRecord } from '../connections/mappers'
import { assertOneDidChoice } from '../didChoice'
import { connIdParams } from '../connections/schemas'
import { acceptInvitationQuery, acceptRequestQuery, createRequestQuery, rejectBody } from './schemas'

describeRequest('POST /didexchange/create-request', { query: createRequestQuery })
describeRequest('POST /v1/connections/did-exchange/create-request', { query: createRequestQuery })
describeRequest('POST /didexchange/:conn_id/accept-invitation', { query: acceptInvitationQuery })
describeRequest('POST /didexchange/:conn_id/accept-request', { query: acceptRequestQuery })
describeRequest('POST /didexchange/:conn_id/reject', { body: rejectBody })

export function didExchangeRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()

  const createRequest = handler(async (req, res) => {
    const query = parse(createRequestQuery, req.query, 'query')
    assertOneDidChoice(query)
    const view = await services.connections.requestToPublicDid(principalOf(res).walletId, {
      theirPublicDid: query.their_public_did,
      alias: query.alias,
      label: query.my_label,
      useDid: query.use_did,
      useDidMethod: query.use_did_method,
      usePublicDid: query.use_public_did,
      goal: query.goal,
      goalCode: query.goal_code,
    })
    res.json(toConnRecord(view))
  })
  router.post('/didexchange/create-request', requireTenant, createRequest)
  router.post('/v1/connections/did-exchange/create-request', requireTenant, createRequest)

  router.post('/didexchange/:conn_id/accept-invitation', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    const query = parse(acceptInvitationQuery, req.query, 'query')
    assertOneDidChoice(query)
    const view = await services.connections.acceptInvitation(principalOf(res).walletId, conn_id, {
      label: query.my_label,
      useDid: query.use_did,
      useDidMethod: query.use_did_method,
    })
    res.json(toConnRecord(view))
  }))

  router.post('/didexchange/:conn_id/accept-request', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    parse(acceptRequestQuery, req.query, 'query')
    res.json(toConnRecord(await services.connections.acceptRequest(principalOf(res).walletId, conn_id)))
  }))

  router.post('/didexchange/:conn_id/reject', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    const body = parse(rejectBody, req.body, 'body')
    res.json(toConnRecord(await services.connections.reject(principalOf(res).walletId, conn_id, body.reason)))
  }))

  return router
}
