// ACA-Py's per-tenant settings: `extra_settings` on POST/PUT /multitenancy/wallet and PUT /settings
// take ACA-Py's environment-style names (ACAPY_AUTO_ACCEPT_INVITES) or its option names
// (auto-accept-invites) and store the setting each stands for (debug.auto_accept_invites), as
// ACA-Py 1.7's multitenant/admin/routes.py does; keys it does not know are dropped, as there.
// Credence acts on the auto-accept pair (default of auto_accept on create-invitation and
// receive-invitation, and requests to the public DID), on the auto-respond settings
// (services/autoResponses.ts), on the defaults of exchange flags (exchangeDefaults) and on
// debug.webhooks; the others are kept and shown, for controllers that read them back, and do
// nothing yet (README, compatibility).

import { flagOf } from '../../services/webhookTargets'

/** ACA-Py's ACAPY_LIFECYCLE_CONFIG_FLAG_MAP and its option-name twin, joined: name → setting. */
const SETTING_OF: Record<string, string> = {}
for (const [env, option, setting] of [
  ['ACAPY_AUTO_ACCEPT_INVITES', 'auto-accept-invites', 'debug.auto_accept_invites'],
  ['ACAPY_AUTO_ACCEPT_REQUESTS', 'auto-accept-requests', 'debug.auto_accept_requests'],
  ['ACAPY_AUTO_PING_CONNECTION', 'auto-ping-connection', 'auto_ping_connection'],
  ['ACAPY_AUTO_PROMOTE_AUTHOR_DID', 'auto-promote-author-did', 'endorser.auto_promote_author_did'],
  ['ACAPY_AUTO_RESPOND_CREDENTIAL_OFFER', 'auto-respond-credential-offer', 'debug.auto_respond_credential_offer'],
  ['ACAPY_AUTO_RESPOND_CREDENTIAL_REQUEST', 'auto-respond-credential-request', 'debug.auto_respond_credential_request'],
  ['ACAPY_AUTO_RESPOND_MESSAGES', 'auto-respond-messages', 'debug.auto_respond_messages'],
  ['ACAPY_AUTO_VERIFY_PRESENTATION', 'auto-verify-presentation', 'debug.auto_verify_presentation'],
  ['ACAPY_ENDORSER_ALIAS', 'endorser-alias', 'endorser.endorser_alias'],
  ['ACAPY_ENDORSER_INVITATION', 'endorser-invitation', 'endorser.endorser_invitation'],
  ['ACAPY_ENDORSER_PUBLIC_DID', 'endorser-public-did', 'endorser.endorser_public_did'],
  ['ACAPY_INVITE_PUBLIC', 'invite-public', 'debug.invite_public'],
  ['ACAPY_LOG_LEVEL', 'log-level', 'log.level'],
  ['ACAPY_MONITOR_PING', 'monitor-ping', 'debug.monitor_ping'],
  ['ACAPY_NOTIFY_REVOCATION', 'notify-revocation', 'revocation.notify'],
  ['ACAPY_PRESERVE_EXCHANGE_RECORDS', 'preserve-exchange-records', 'preserve_exchange_records'],
  ['ACAPY_PUBLIC_INVITES', 'public-invites', 'public_invites'],
  ['ACAPY_REQUESTS_THROUGH_PUBLIC_DID', 'requests-through-public-did', 'requests_through_public_did'],
  ['ACAPY_ENABLE_AUTO_REVOCATION_RECOVERY', undefined, 'anoncreds.revocation.auto_recovery_enabled'],
  // Credence's own: ACA-Py's --debug-webhooks, per wallet (whole records in webhooks).
  ['ACAPY_DEBUG_WEBHOOKS', 'debug-webhooks', 'debug.webhooks'],
] as const) {
  SETTING_OF[env] = setting
  if (option) SETTING_OF[option] = setting
  SETTING_OF[setting] = setting
}
/** Set only together with the endorser role `author` (ACA-Py's ACAPY_ENDORSER_FLAGS_DEPENDENT_ON_AUTHOR_ROLE). */
const AUTHOR_ONLY: Record<string, string> = {
  ACAPY_AUTO_REQUEST_ENDORSEMENT: 'endorser.auto_request',
  'auto-request-endorsement': 'endorser.auto_request',
  ACAPY_AUTO_WRITE_TRANSACTIONS: 'endorser.auto_write',
  'auto-write-transactions': 'endorser.auto_write',
  ACAPY_CREATE_REVOCATION_TRANSACTIONS: 'endorser.auto_create_rev_reg',
  'auto-create-revocation-transactions': 'endorser.auto_create_rev_reg',
}
const ROLE_KEYS = ['ACAPY_ENDORSER_ROLE', 'endorser-protocol-role']

/** `extra_settings` as ACA-Py stores them: each known name as its setting, unknown names dropped. */
export function toAcaPySettings(extra: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {}
  const role = ROLE_KEYS.map((key) => extra[key]).find((value) => value !== undefined)
  if (role === 'author') settings['endorser.author'] = true
  if (role === 'endorser') settings['endorser.endorser'] = true
  for (const [key, value] of Object.entries(extra)) {
    if (SETTING_OF[key]) settings[SETTING_OF[key]] = value
    else if (AUTHOR_ONLY[key] && role === 'author') settings[AUTHOR_ONLY[key]] = value
  }
  return settings
}

// Read by the services too (autoResponses.ts), so it lives beside the wallet's settings there.
export { flagOf }

/**
 * The defaults an exchange's own flags take from the wallet, as ACA-Py's routes take them from its
 * settings: auto_issue from debug.auto_respond_credential_request, auto_verify from
 * debug.auto_verify_presentation, auto_remove unless preserve_exchange_records.
 */
export interface ExchangeDefaults {
  autoIssue: boolean
  autoVerify: boolean
  autoRemove: boolean
}

export function exchangeDefaults(settings: Record<string, unknown>): ExchangeDefaults {
  return {
    autoIssue: flagOf(settings, 'debug.auto_respond_credential_request') ?? false,
    autoVerify: flagOf(settings, 'debug.auto_verify_presentation') ?? false,
    autoRemove: !(flagOf(settings, 'preserve_exchange_records') ?? false),
  }
}
