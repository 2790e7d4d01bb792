// ACA-Py face, connections room: records, metadata, endpoints, basic messages and trust ping (reference §6).
import { Router } from 'express'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { page } from '../queryParams'
import { ourRoleForFilter, statesForFilter, toConnRecord } from './mappers'
import { connIdParams, listConnectionsQuery, metadataQuery, sendMessageBody, sendPingBody, setMetadataBody } from './schemas'

describeRequest('GET /connections', { query: listConnectionsQuery })
describeRequest('GET /connections/:conn_id/metadata', { query: metadataQuery })
describeRequest('POST /connections/:conn_id/metadata', { body: setMetadataBody })
describeRequest('POST /connections/:conn_id/send-message', { body: sendMessageBody })
describeRequest('POST /connections/:conn_id/send-ping', { body: sendPingBody })

export function connectionRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()

  router.get('/connections', requireTenant, handler(async (req, res) => {
    const query = parse(listConnectionsQuery, req.query, 'query')
    const views = await services.connections.list(principalOf(res).walletId, {
      alias: query.alias,
      invitationKey: query.invitation_key,
      myDid: query.my_did,
      states: query.state ? statesForFilter(query.state) : undefined,
      theirDid: query.their_did,
      theirPublicDid: query.their_public_did,
      role: query.their_role ? ourRoleForFilter(query.their_role) : undefined,
      protocol: query.connection_protocol,
      invitationMsgId: query.invitation_msg_id,
    })
    res.json({ results: page(views, query).map(toConnRecord) })
  }))

  router.get('/connections/:conn_id', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    res.json(toConnRecord(await services.connections.get(principalOf(res).walletId, conn_id)))
  }))

  router.delete('/connections/:conn_id', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    await services.connections.remove(principalOf(res).walletId, conn_id)
    res.json({})
  }))

  router.get('/connections/:conn_id/endpoints', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    const endpoints = await services.connections.endpoints(principalOf(res).walletId, conn_id)
    res.json({ my_endpoint: endpoints.myEndpoint, their_endpoint: endpoints.theirEndpoint ?? null })
  }))

  router.get('/connections/:conn_id/metadata', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    const { key } = parse(metadataQuery, req.query, 'query')
    const metadata = await services.connections.metadata(principalOf(res).walletId, conn_id)
    res.json({ results: key === undefined ? metadata : (metadata[key] ?? null) })
  }))

  router.post('/connections/:conn_id/metadata', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    const body = parse(setMetadataBody, req.body, 'body')
    res.json({ results: await services.connections.setMetadata(principalOf(res).walletId, conn_id, body.metadata) })
  }))

  router.post('/connections/:conn_id/send-message', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    const body = parse(sendMessageBody, req.body, 'body')
    await services.connections.sendMessage(principalOf(res).walletId, conn_id, body.content)
    res.json({})
  }))

  router.post('/connections/:conn_id/send-ping', requireTenant, handler(async (req, res) => {
    const { conn_id } = parse(connIdParams, req.params, 'params')
    parse(sendPingBody, req.body, 'body')
    res.json({ thread_id: await services.connections.sendPing(principalOf(res).walletId, conn_id) })
  }))

  return router
}
