// Tenant events for clients that cannot take webhooks (a Server-Sent Events stream of the same
// events, see http/eventStream.ts), the wallet's webhook targets with the secrets their
// deliveries are signed with, and for operators (admin key) a wallet's delivery log and
// redelivery. Credence additions next to ACA-Py's routes. Declared as data (http/route.ts).
import { eventStream, streamedEvent } from '../../http/eventStream'
import { noJsonAnswer, route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { deliveriesQuery, delivery, deliveryIdParams, deliveryList, webhookTargetList } from './schemas'

export const webhookRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/events/stream',
    auth: 'requireTenant',
    summary: "Stream the wallet's events (server-sent events, one `data:` line per event)",
    response: noJsonAnswer,
    produces: ['text/event-stream'],
    events: streamedEvent,
    async handle({ principal }) {
      return eventStream(services.events, principal().walletId)
    },
  }),
  route({
    method: 'GET',
    path: '/webhooks/targets',
    auth: 'requireTenant',
    summary: "The wallet's webhook targets, with the secrets their deliveries are signed with",
    response: webhookTargetList,
    async handle({ principal }) {
      return { results: await services.webhookTargets.describe(principal().walletId) }
    },
  }),
  route({
    method: 'GET',
    path: '/webhooks/base-targets',
    auth: 'requireAdmin',
    summary: "The operator's webhook targets, which every wallet with dispatch type base or both shares",
    response: webhookTargetList,
    async handle() {
      return { results: services.webhookTargets.describeBase() }
    },
  }),
  // The wallet is not looked up: the log of a deleted wallet stays readable until it is pruned.
  route({
    method: 'GET',
    path: '/webhooks/deliveries',
    auth: 'requireAdmin',
    summary: "A wallet's webhook delivery log: pending, failed and delivered",
    query: deliveriesQuery,
    response: deliveryList,
    async handle({ query }) {
      return { results: await services.webhookDeliveries.list({ walletId: query.wallet_id, state: query.state, topic: query.topic, limit: query.limit }) }
    },
  }),
  route({
    method: 'POST',
    path: '/webhooks/deliveries/:delivery_id/redeliver',
    auth: 'requireAdmin',
    summary: 'Post a webhook delivery again',
    params: deliveryIdParams,
    response: delivery,
    async handle({ params }) {
      return services.webhookDeliveries.redeliver(params.delivery_id)
    },
  }),
]
