// Tenant events for clients that cannot take webhooks (a Server-Sent Events stream of the same
// events, see http/eventStream.ts), the wallet's webhook targets with the secrets their
// deliveries are signed with, and for operators (admin key) a wallet's delivery log and
// redelivery. Credence additions next to ACA-Py's routes.
import { Router } from 'express'

import { principalOf } from '../../http/auth'
import { eventStreamHandler } from '../../http/eventStream'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { deliveriesQuery, deliveryIdParams } from './schemas'

describeRequest('GET /webhooks/deliveries', { query: deliveriesQuery })

export function webhookRoutes({ services, requireTenant, requireAdmin }: RoomDeps): Router {
  const router = Router()

  router.get('/events/stream', requireTenant, eventStreamHandler(services.events))

  router.get('/webhooks/targets', requireTenant, handler(async (_req, res) => {
    res.json({ results: await services.webhookTargets.describe(principalOf(res).walletId) })
  }))

  router.get('/webhooks/base-targets', requireAdmin, handler(async (_req, res) => {
    res.json({ results: services.webhookTargets.describeBase() })
  }))

  // The wallet is not looked up: the log of a deleted wallet stays readable until it is pruned.
  router.get('/webhooks/deliveries', requireAdmin, handler(async (req, res) => {
    const query = parse(deliveriesQuery, req.query, 'query')
    const results = await services.webhookDeliveries.list({ walletId: query.wallet_id, state: query.state, topic: query.topic, limit: query.limit })
    res.json({ results })
  }))

  router.post('/webhooks/deliveries/:delivery_id/redeliver', requireAdmin, handler(async (req, res) => {
    const { delivery_id } = parse(deliveryIdParams, req.params, 'params')
    res.json(await services.webhookDeliveries.redeliver(delivery_id))
  }))

  return router
}
