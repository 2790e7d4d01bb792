// ACA-Py face, connections room: records, metadata, endpoints, basic messages and trust ping
// (reference §6). Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { page } from '../queryParams'
import { ourRoleForFilter, statesForFilter, toConnRecord } from './mappers'
import {
  connEndpoints,
  connIdParams,
  connMetadata,
  connRecord,
  connRecordList,
  listConnectionsQuery,
  metadataQuery,
  nothing,
  pingSent,
  sendMessageBody,
  sendPingBody,
  setMetadataBody,
} from './schemas'

export const connectionRouteDeclarations = ({ services: { connections } }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/connections',
    auth: 'requireTenant',
    summary: 'List connections',
    query: listConnectionsQuery,
    response: connRecordList,
    async handle({ query, principal }) {
      const views = await connections.list(principal().walletId, {
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
      return { results: page(views, query).map(toConnRecord) }
    },
  }),
  route({
    method: 'GET',
    path: '/connections/:conn_id',
    auth: 'requireTenant',
    summary: 'Fetch a connection',
    params: connIdParams,
    response: connRecord,
    async handle({ params, principal }) {
      return toConnRecord(await connections.get(principal().walletId, params.conn_id))
    },
  }),
  route({
    method: 'DELETE',
    path: '/connections/:conn_id',
    auth: 'requireTenant',
    summary: 'Delete a connection',
    params: connIdParams,
    response: nothing,
    async handle({ params, principal }) {
      await connections.remove(principal().walletId, params.conn_id)
      return {}
    },
  }),
  route({
    method: 'GET',
    path: '/connections/:conn_id/endpoints',
    auth: 'requireTenant',
    summary: "A connection's endpoints, ours and theirs",
    params: connIdParams,
    response: connEndpoints,
    async handle({ params, principal }) {
      const endpoints = await connections.endpoints(principal().walletId, params.conn_id)
      return { my_endpoint: endpoints.myEndpoint, their_endpoint: endpoints.theirEndpoint ?? null }
    },
  }),
  route({
    method: 'GET',
    path: '/connections/:conn_id/metadata',
    auth: 'requireTenant',
    summary: "A connection's metadata, or one key of it",
    params: connIdParams,
    query: metadataQuery,
    response: connMetadata,
    async handle({ params, query, principal }) {
      const metadata = await connections.metadata(principal().walletId, params.conn_id)
      return { results: query.key === undefined ? metadata : (metadata[query.key] ?? null) }
    },
  }),
  route({
    method: 'POST',
    path: '/connections/:conn_id/metadata',
    auth: 'requireTenant',
    summary: 'Set connection metadata',
    params: connIdParams,
    body: setMetadataBody,
    response: connMetadata,
    async handle({ params, body, principal }) {
      return { results: await connections.setMetadata(principal().walletId, params.conn_id, body.metadata) }
    },
  }),
  route({
    method: 'POST',
    path: '/connections/:conn_id/send-message',
    auth: 'requireTenant',
    summary: 'Send a basic message',
    params: connIdParams,
    body: sendMessageBody,
    response: nothing,
    async handle({ params, body, principal }) {
      await connections.sendMessage(principal().walletId, params.conn_id, body.content)
      return {}
    },
  }),
  route({
    method: 'POST',
    path: '/connections/:conn_id/send-ping',
    auth: 'requireTenant',
    summary: 'Send a trust ping',
    params: connIdParams,
    body: sendPingBody,
    response: pingSent,
    async handle({ params, principal }) {
      return { thread_id: await connections.sendPing(principal().walletId, params.conn_id) }
    },
  }),
]
