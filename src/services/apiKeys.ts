// Wallet API keys, the Proven way (seed 003 "API Key Flow"): a random key shown once, stored only
// as HMAC-SHA256 under a server secret, looked up by that HMAC. Roles decide who may mint and
// revoke keys; expiry and revocation take effect on the very next request.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'

import { conflict, forbidden, invalid, notFoundError, unauthorizedError } from '../errors'
import type { Store } from '../store/db'
import { UniqueViolation } from '../store/db'

/** Strongest first: a ladder, each role holding every right of those after it (seed 003). */
export const ROLES = ['super-admin', 'admin', 'technician', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** The roles a key holding `roles` covers: its own and every weaker one on the ladder. */
const coveredBy = (roles: Role[]): Set<Role> => new Set(ROLES.slice(Math.min(...roles.map((role) => ROLES.indexOf(role)))))

/** Roles that may change things through /api/v1 (everything but viewer reads only). */
export const WRITE_ROLES: readonly Role[] = ['super-admin', 'admin', 'technician']

/** Who asks for a key operation: the holder of the base key, or a wallet key with its roles. */
export type KeyActor = { kind: 'base' } | { kind: 'wallet-key'; walletId: string; roles: Role[] }

export interface ApiKey {
  keyId: string
  walletId: string
  name: string
  roles: Role[]
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

/** Whether `actor` may manage keys of `walletId` carrying `roles`; throws 403 with the reason if not. */
function authorizeKeyManagement(actor: KeyActor, walletId: string, roles: Role[]) {
  if (actor.kind === 'base' || actor.roles.includes('super-admin')) return
  if (!actor.roles.includes('admin')) throw forbidden('This API key has no key-management role (super-admin or admin)')
  if (actor.walletId !== walletId) throw forbidden('An admin key manages keys of its own wallet only')
  // Seed 003: "the same or a subset of its own", read on the ladder: an admin may grant admin,
  // technician and viewer, never super-admin.
  const covered = coveredBy(actor.roles)
  const extra = roles.filter((role) => !covered.has(role))
  if (extra.length > 0) throw forbidden(`An admin key cannot grant roles it does not have: ${extra.join(', ')}`)
}

export function apiKeyService({ store, hmacSecret }: { store: Store; hmacSecret: string }) {
  const hmac = (key: string) => createHmac('sha256', hmacSecret).update(key).digest('hex')

  async function requireWallet(walletId: string) {
    const wallet = await store.get('SELECT wallet_id FROM wallets WHERE wallet_id = ?', [walletId])
    if (!wallet) throw notFoundError(`Wallet ${walletId} not found`)
  }

  return {
    async create(
      actor: KeyActor,
      input: { walletId: string; name: string; roles: Role[]; expiresAt?: string },
    ): Promise<{ apiKey: string; key: ApiKey }> {
      authorizeKeyManagement(actor, input.walletId, input.roles)
      await requireWallet(input.walletId)
      if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
        throw invalid('expiresAt', 'expires_at: must be in the future')
      }
      // 256 bits from the CSPRNG; the prefix makes a leaked key easy to recognise in scanners.
      const apiKey = `cred_${randomBytes(32).toString('base64url')}`
      const now = new Date().toISOString()
      const keyId = randomUUID()
      try {
        await store.run(
          `INSERT INTO api_keys (key_id, wallet_id, name, roles, key_hmac, status, expires_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
          [keyId, input.walletId, input.name, JSON.stringify(input.roles), hmac(apiKey), input.expiresAt ?? null, now, now],
        )
      } catch (error) {
        if (error instanceof UniqueViolation && error.column === 'name') {
          throw conflict('name', `An API key named "${input.name}" already exists in this wallet`)
        }
        throw error
      }
      const row = await store.get<ApiKeyRow>('SELECT * FROM api_keys WHERE key_id = ?', [keyId])
      return { apiKey, key: fromRow(row!) }
    },

    async revoke(actor: KeyActor, input: { walletId: string; name?: string; keyId?: string }): Promise<ApiKey> {
      const row = input.keyId
        ? await store.get<ApiKeyRow>('SELECT * FROM api_keys WHERE wallet_id = ? AND key_id = ?', [input.walletId, input.keyId])
        : await store.get<ApiKeyRow>('SELECT * FROM api_keys WHERE wallet_id = ? AND name = ?', [input.walletId, input.name ?? ''])
      // Authorize before saying whether the key exists, so the answer leaks nothing to outsiders.
      authorizeKeyManagement(actor, input.walletId, row ? JSON.parse(row.roles) : [])
      if (!row) throw notFoundError(`API key ${input.keyId ?? input.name} not found in wallet ${input.walletId}`)
      await store.run("UPDATE api_keys SET status = 'revoked', updated_at = ? WHERE key_id = ?", [
        new Date().toISOString(),
        row.key_id,
      ])
      return fromRow((await store.get<ApiKeyRow>('SELECT * FROM api_keys WHERE key_id = ?', [row.key_id]))!)
    },

    /** The wallet's keys, newest first, for whoever may manage them (never their secrets: only HMACs are kept). */
    async list(actor: KeyActor, walletId: string): Promise<ApiKey[]> {
      authorizeKeyManagement(actor, walletId, [])
      await requireWallet(walletId)
      const rows = await store.all<ApiKeyRow>('SELECT * FROM api_keys WHERE wallet_id = ? ORDER BY created_at DESC, name', [walletId])
      return rows.map(fromRow)
    },

    /** The key behind an `x-api-key` value, if it is known, active and unexpired. */
    async authenticate(presented: string): Promise<ApiKey> {
      // Looked up by its HMAC: what is compared is a keyed digest, so lookup timing says nothing of the key.
      const row = await store.get<ApiKeyRow>('SELECT * FROM api_keys WHERE key_hmac = ?', [hmac(presented)])
      if (!row) throw unauthorizedError('API key invalid')
      if (row.status !== 'active') throw unauthorizedError('API key revoked')
      if (row.expires_at && Date.parse(row.expires_at) <= Date.now()) throw unauthorizedError('API key expired')
      return fromRow(row)
    },
  }
}

export type ApiKeyService = ReturnType<typeof apiKeyService>
