// Proven face, connections room: the wallet selected by the API key lists its connections.
import { Router } from 'express'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { pageQuery, paginate } from '../pagination'
import { CONNECTION_SORT_FIELDS, toConnectionRow } from './mappers'

export function controllerConnectionRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()

  router.get('/api/v1/connections', requireWalletKey, handler(async (req, res) => {
    const query = parse(pageQuery, req.query, 'query')
    const { walletId } = principalOf(res)
    const rows = (await services.connections.list(walletId)).map((record) => toConnectionRow(walletId, record))
    res.json(paginate(rows, query, CONNECTION_SORT_FIELDS))
  }))

  return router
}
