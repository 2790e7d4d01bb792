// ACA-Py face, discover features 2.0 room (reference §13).
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { recordId } from '../queryParams'
import { toDiscoveryRecord } from './mappers'

const queriesQuery = z.object({
  query_protocol: z.string().max(500).default('*'),
  query_goal_code: z.string().max(500).default('*'),
  connection_id: recordId.optional(),
})
const recordsQuery = z.object({ connection_id: recordId.optional() })

describeRequest('GET /discover-features-2.0/queries', { query: queriesQuery })
describeRequest('GET /discover-features-2.0/records', { query: recordsQuery })

export function discoveryRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()

  router.get('/discover-features-2.0/queries', requireTenant, handler(async (req, res) => {
    const query = parse(queriesQuery, req.query, 'query')
    const record = await services.discovery.query(principalOf(res).walletId, {
      connectionId: query.connection_id,
      protocol: query.query_protocol,
      goalCode: query.query_goal_code,
    })
    // The record itself, as ACA-Py's route answers (its OpenAPI document says `{results}`, which
    // a client generated from it reads as a record with no results).
    res.json(toDiscoveryRecord(record))
  }))

  router.get('/discover-features-2.0/records', requireTenant, handler(async (req, res) => {
    const query = parse(recordsQuery, req.query, 'query')
    const records = await services.discovery.records(principalOf(res).walletId, query.connection_id)
    res.json({ results: records.map(toDiscoveryRecord) })
  }))

  return router
}
