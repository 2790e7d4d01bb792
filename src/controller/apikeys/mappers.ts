// Proven face: an API key as its routes show it; its secret appears only in the create response.
import type { ApiKey } from '../../services/apiKeys'

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
