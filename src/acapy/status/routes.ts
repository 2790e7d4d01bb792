// ACA-Py face, status room: GET /status/live and /status/ready are open (probes, 503 when not
// alive or not ready); /status and /status/config need the admin key. Shapes follow ACA-Py's
// admin/server.py. Declared as data (http/route.ts).
import { publicConfig } from '../../config'
import { Reply, route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toAcaPyConfig } from './mappers'
import { adminConfig, adminStatus, liveness, readiness } from './schemas'

export const statusRouteDeclarations = ({ config, lifecycle, version, services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/status/live',
    auth: 'open',
    summary: 'Liveness probe',
    response: liveness,
    alsoAnswers: { 503: 'Shutting down' },
    async handle() {
      return lifecycle.alive ? { alive: true } : Reply.status(503, { alive: false })
    },
  }),
  route({
    method: 'GET',
    path: '/status/ready',
    auth: 'open',
    summary: 'Readiness probe',
    response: readiness,
    alsoAnswers: { 503: 'Starting or shutting down' },
    async handle() {
      return lifecycle.ready ? { ready: true } : Reply.status(503, { ready: false })
    },
  }),
  route({
    method: 'GET',
    path: '/status',
    auth: 'requireAdmin',
    summary: 'Server version and label',
    response: adminStatus,
    async handle() {
      return { version, label: config.label }
    },
  }),
  route({
    method: 'GET',
    path: '/status/config',
    auth: 'requireAdmin',
    summary: "The server's configuration, without secrets",
    response: adminConfig,
    async handle() {
      return { config: toAcaPyConfig(config, services.ledger.writeNetwork()), credence: publicConfig(config) }
    },
  }),
]
