// Proven face, connections room: the wallet selected by the API key reads its connections, each
// with its contact, the invitation it came from and the features the peer disclosed.
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { pageQuery, paginate } from '../pagination'
import { CONNECTION_SORT_FIELDS, toConnectionRow } from './mappers'

const connectionIdParams = z.object({ connection_id: z.string().min(1).max(200) })

describeRequest('GET /api/v1/connections', { query: pageQuery })

export function controllerConnectionRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()

  router.get('/api/v1/connections', requireWalletKey, handler(async (req, res) => {
    const query = parse(pageQuery, req.query, 'query')
    const { walletId } = principalOf(res)
    const rows = (await services.controllerInvitations.connections(walletId)).map((view) => toConnectionRow(walletId, view))
    res.json(paginate(rows, query, CONNECTION_SORT_FIELDS))
  }))

  router.get('/api/v1/connections/:connection_id', requireWalletKey, handler(async (req, res) => {
    const { connection_id } = parse(connectionIdParams, req.params, 'params')
    const { walletId } = principalOf(res)
    const [view] = await services.controllerInvitations.connections(walletId, connection_id)
    res.json(toConnectionRow(walletId, view))
  }))

  return router
}
