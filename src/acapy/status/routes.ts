// ACA-Py face, status room: GET /status/live and /status/ready are open (probes); /status and
// /status/config need the admin key. Shapes follow ACA-Py's admin/server.py.
import { Router } from 'express'

import { publicConfig, type Config } from '../../config'
import type { RoomDeps } from '../../http/rooms'

/**
 * The settings ACA-Py 1.7 answers `/status/config` with (its keys, admin/routes.py config_handler),
 * as far as Credence has them; ACA-Py leaves out the same secrets and the `#…` of webhook URLs.
 * Clients read these keys (acapy-controller needs `wallet.type`). Credence's own settings, by
 * environment variable, follow under `credence`.
 */
function acapyConfig(config: Config): Record<string, unknown> {
  const inbound = [config.inboundHost, String(config.inboundPort)]
  return {
    'admin.enabled': true,
    'admin.host': config.adminHost,
    'admin.port': String(config.adminPort),
    'admin.admin_insecure_mode': config.adminInsecureMode,
    'admin.webhook_urls': (config.webhookUrls ?? []).map((url) => url.split('#')[0]),
    default_label: config.label,
    default_endpoint: config.endpoint,
    additional_endpoints: config.wsEndpoint ? [config.wsEndpoint] : [],
    'transport.inbound_configs': [['http', ...inbound], ['ws', ...inbound]],
    'transport.outbound_configs': ['http', 'ws'],
    'transport.max_message_size': config.inboundMaxMessageBytes,
    // Every wallet is an Askar profile holding AnonCreds objects: ACA-Py's askar-anoncreds.
    'wallet.type': 'askar-anoncreds',
    'wallet.storage_type': config.databaseUrl ? 'postgres_storage' : 'default',
    'multitenant.enabled': true,
    'multitenant.admin_enabled': true,
    'ledger.disabled': !(config.indyNetworks ?? []).length,
    'debug.auto_accept_invites': config.autoAcceptInvites,
    'debug.auto_accept_requests': config.autoAcceptRequests,
    'log.level': config.logLevel,
  }
}

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
    res.json({ config: acapyConfig(config), credence: publicConfig(config) })
  })

  return router
}
