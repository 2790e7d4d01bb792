// Proven face: subwallet and API key shapes. An API key's secret appears only in the create response.
import type { ApiKey } from '../../services/apiKeys'
import type { Wallet } from '../../services/wallets'

export function toSubwallet(wallet: Wallet) {
  return {
    wallet_id: wallet.walletId,
    wallet_name: wallet.walletName,
    label: wallet.label ?? null,
    created_at: wallet.createdAt,
    updated_at: wallet.updatedAt,
  }
}

export function toApiKey(key: ApiKey) {
  return {
    key_id: key.keyId,
    wallet_id: key.walletId,
    name: key.name,
    roles: key.roles,
    status: key.status,
    expires_at: key.expiresAt ?? null,
    created_at: key.createdAt,
    updated_at: key.updatedAt,
  }
}
