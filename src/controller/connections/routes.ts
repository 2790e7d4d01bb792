// Proven face, connections room: the wallet selected by the API key reads its connections, each
// with its contact, the invitation it came from and the features the peer disclosed.
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { pageQuery, paginate } from '../pagination'
import { CONNECTION_SORT_FIELDS, toConnectionRow } from './mappers'
import { connectionIdParams, connectionPage, connectionRow } from './schemas'

export const controllerConnectionRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/api/v1/connections',
    auth: 'requireWalletKey',
    summary: "The wallet's connections, paged",
    query: pageQuery,
    response: connectionPage,
    async handle({ query, principal }) {
      const { walletId } = principal()
      const rows = (await services.controllerInvitations.connections(walletId)).map((view) => toConnectionRow(walletId, view))
      return paginate(rows, query, CONNECTION_SORT_FIELDS)
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/connections/:connection_id',
    auth: 'requireWalletKey',
    summary: 'Fetch a connection',
    params: connectionIdParams,
    response: connectionRow,
    async handle({ params, principal }) {
      const { walletId } = principal()
      const [view] = await services.controllerInvitations.connections(walletId, params.connection_id)
      return toConnectionRow(walletId, view)
    },
  }),
]
