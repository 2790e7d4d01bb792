// ACA-Py face, status room: GET /status/live and /status/ready are open (probes); /status and
// /status/config need the admin key. Shapes follow ACA-Py's admin/server.py.
import { Router } from 'express'

import { publicConfig } from '../../config'
import type { RoomDeps } from '../../http/rooms'

export function statusRoutes({ config, lifecycle, version, requireAdmin }: RoomDeps): Router {
  const router = Router()

  router.get('/status/live', (_req, res) => {
    if (!lifecycle.alive) return res.status(503).json({ alive: false })
    res.json({ alive: true })
  })

  router.get('/status/ready', (_req, res) => {
    if (!lifecycle.ready) return res.status(503).json({ ready: false })
    res.json({ ready: true })
  })

  router.get('/status', requireAdmin, (_req, res) => {
    res.json({ version, label: config.label })
  })

  router.get('/status/config', requireAdmin, (_req, res) => {
    res.json({ config: publicConfig(config) })
  })

  return router
}
