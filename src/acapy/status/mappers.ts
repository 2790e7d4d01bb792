// ACA-Py face, status room: Credence's configuration as ACA-Py's `/status/config` names it.
import type { Config } from '../../config'

/**
 * The settings ACA-Py 1.7 answers `/status/config` with (its keys, admin/routes.py config_handler),
 * as far as Credence has them; ACA-Py leaves out the same secrets and the `#…` of webhook URLs.
 * Clients read these keys (acapy-controller needs `wallet.type`).
 */
export function toAcaPyConfig(config: Config, writeLedger?: { genesisUrl?: string }): Record<string, unknown> {
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
    // Every wallet is an Askar profile holding AnonCreds objects (ACA-Py's askar-anoncreds) and
    // answers both route families; the type is reported as configured, for controllers that pick a
    // family by it. ACA-Py reports its base wallet's type to tenants too.
    'wallet.type': config.acapyWalletType,
    'wallet.storage_type': config.databaseUrl ? 'postgres_storage' : 'default',
    'multitenant.enabled': true,
    'multitenant.admin_enabled': true,
    'ledger.disabled': !(config.indyNetworks ?? []).length,
    // Controllers derive a von-network's other routes (`/register`) from it, as ACA-Py's scripts do.
    ...(writeLedger?.genesisUrl ? { 'ledger.genesis_url': writeLedger.genesisUrl } : {}),
    'debug.auto_accept_invites': config.autoAcceptInvites,
    'debug.auto_accept_requests': config.autoAcceptRequests,
    'log.level': config.logLevel,
  }
}
