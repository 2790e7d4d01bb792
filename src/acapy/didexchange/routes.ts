// ACA-Py face, DID exchange room (reference §5). `POST /v1/connections/did-exchange/create-request`
// is the same call under the path seed 000 (acapy-cloud) uses. Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toConnRecord } from '../connections/mappers'
import { assertOneDidChoice } from '../didChoice'
import { connIdParams, connRecord } from '../connections/schemas'
import { acceptInvitationQuery, acceptRequestQuery, createRequestQuery, rejectBody } from './schemas'

export const didExchangeRouteDeclarations = ({ services: { connections } }: RoomDeps) => {
  const createRequest = (path: string, summary: string) =>
    route({
      method: 'POST',
      path,
      auth: 'requireTenant',
      summary,
      query: createRequestQuery,
      response: connRecord,
      async handle({ query, principal }) {
        assertOneDidChoice(query)
        const view = await connections.requestToPublicDid(principal().walletId, {
          theirPublicDid: query.their_public_did,
          alias: query.alias,
          label: query.my_label,
          useDid: query.use_did,
          useDidMethod: query.use_did_method,
          usePublicDid: query.use_public_did,
          goal: query.goal,
          goalCode: query.goal_code,
        })
        return toConnRecord(view)
      },
    })
  return [
    createRequest('/didexchange/create-request', 'Send a DID exchange request to a public DID'),
    createRequest('/v1/connections/did-exchange/create-request', "Create request (acapy-cloud's path for it)"),
    route({
      method: 'POST',
      path: '/didexchange/:conn_id/accept-invitation',
      auth: 'requireTenant',
      summary: 'Accept a received invitation: send the request',
      params: connIdParams,
      query: acceptInvitationQuery,
      response: connRecord,
      async handle({ params, query, principal }) {
        assertOneDidChoice(query)
        const view = await connections.acceptInvitation(principal().walletId, params.conn_id, {
          label: query.my_label,
          useDid: query.use_did,
          useDidMethod: query.use_did_method,
        })
        return toConnRecord(view)
      },
    }),
    route({
      method: 'POST',
      path: '/didexchange/:conn_id/accept-request',
      auth: 'requireTenant',
      summary: 'Accept a received request: send the response',
      params: connIdParams,
      query: acceptRequestQuery,
      response: connRecord,
      async handle({ params, principal }) {
        return toConnRecord(await connections.acceptRequest(principal().walletId, params.conn_id))
      },
    }),
    route({
      method: 'POST',
      path: '/didexchange/:conn_id/reject',
      auth: 'requireTenant',
      summary: 'Reject a DID exchange with a problem report',
      params: connIdParams,
      body: rejectBody,
      response: connRecord,
      async handle({ params, body, principal }) {
        return toConnRecord(await connections.reject(principal().walletId, params.conn_id, body.reason))
      },
    }),
  ]
}
