// Proven face, presentations room (seed 003 "Presentations"): the wallet's presentation exchanges,
// either side, with the contact of the connection each ran on. Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toPresentationRow } from './mappers'
import { presentationIdParams, presentationRow, presentationRows } from './schemas'

export const controllerPresentationRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/api/v1/presentations',
    auth: 'requireWalletKey',
    summary: "The wallet's presentation exchanges, either side, oldest first",
    response: presentationRows,
    async handle({ principal }) {
      const { walletId } = principal()
      const [exchanges, connections] = await Promise.all([services.proofs.list(walletId, {}), services.controllerInvitations.connections(walletId)])
      const byId = new Map(connections.map((view) => [view.connection.connectionId, view]))
      return exchanges
        .map((view) => toPresentationRow(walletId, view, view.record.connectionId ? byId.get(view.record.connectionId) : undefined))
        .sort((a, b) => a.created_at.localeCompare(b.created_at))
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/presentations/:presentation_exchange_id',
    auth: 'requireWalletKey',
    summary: 'Fetch a presentation exchange',
    params: presentationIdParams,
    response: presentationRow,
    async handle({ params, principal }) {
      const { walletId } = principal()
      const view = await services.proofs.get(walletId, params.presentation_exchange_id)
      const connection = view.record.connectionId ? (await services.controllerInvitations.connections(walletId, view.record.connectionId))[0] : undefined
      return toPresentationRow(walletId, view, connection)
    },
  }),
]
