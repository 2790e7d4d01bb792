// Wallet API keys as rows of `api_keys` (seed 003): the one place that knows their columns and SQL,
// for SQLite and PostgreSQL alike. A row holds the key's HMAC only, given by the API-key service
// (services/apiKeys.ts), which alone knows the secret, the roles' rules and when a key passes.
import type { Db } from './db'

/** The service's roles (services/apiKeys.ts ROLES), as stored. */
export type ApiKeyRole = 'super-admin' | 'admin' | 'technician' | 'viewer'

export interface ApiKey {
  keyId: string
  walletId: string
  name: string
  roles: ApiKeyRole[]
  status: 'active' | 'revoked'
  expiresAt?: string
  createdAt: string
  updatedAt: string
}

interface ApiKeyRow extends Record<string, unknown> {
  key_id: string
  wallet_id: string
  name: string
  roles: string
  key_hmac: string
  status: 'active' | 'revoked'
  expires_at: string | null
  created_at: string
  updated_at: string
}

const fromRow = (row: ApiKeyRow): ApiKey => ({
  keyId: row.key_id,
  walletId: row.wallet_id,
  name: row.name,
  roles: JSON.parse(row.roles),
  status: row.status,
  expiresAt: row.expires_at ?? undefined,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** What a new key is kept with: its HMAC, never the key. It starts active. */
export interface NewApiKey {
  keyId: string
  walletId: string
  name: string
  roles: ApiKeyRole[]
  keyHmac: string
  expiresAt: string | null
  createdAt: string
}

export function apiKeys(db: Db) {
  const one = async (sql: string, params: string[]) => {
    const row = await db.get<ApiKeyRow>(sql, params)
    return row && fromRow(row)
  }

  return {
    get: (keyId: string) => one('SELECT * FROM api_keys WHERE key_id = ?', [keyId]),

    /** A wallet's key by its id, or else by its name. */
    find: (walletId: string, by: { keyId?: string; name?: string }) =>
      by.keyId
        ? one('SELECT * FROM api_keys WHERE wallet_id = ? AND key_id = ?', [walletId, by.keyId])
        : one('SELECT * FROM api_keys WHERE wallet_id = ? AND name = ?', [walletId, by.name ?? '']),

    byHmac: (keyHmac: string) => one('SELECT * FROM api_keys WHERE key_hmac = ?', [keyHmac]),

    /** The wallet's keys, newest first. */
    list: async (walletId: string) =>
      (await db.all<ApiKeyRow>('SELECT * FROM api_keys WHERE wallet_id = ? ORDER BY created_at DESC, name', [walletId])).map(fromRow),

    /** Throws UniqueViolation (column `name`) when the wallet has a key of that name. */
    insert: (key: NewApiKey) =>
      db.run(
        `INSERT INTO api_keys (key_id, wallet_id, name, roles, key_hmac, status, expires_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
        [key.keyId, key.walletId, key.name, JSON.stringify(key.roles), key.keyHmac, key.expiresAt, key.createdAt, key.createdAt],
      ),

    revoke: (keyId: string) => db.run("UPDATE api_keys SET status = 'revoked', updated_at = ? WHERE key_id = ?", [new Date().toISOString(), keyId]),
  }
}

export type ApiKeyRepository = ReturnType<typeof apiKeys>
