// Wallet API keys, the Proven way (seed 003 "API Key Flow"): a random key shown once, stored only
// as HMAC-SHA256 under a server secret, looked up by that HMAC. Roles decide who may mint and
// revoke keys; expiry and revocation take effect on the very next request. Rows and SQL: store/apiKeys.ts.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'

import { conflict, forbidden, invalid, notFoundError, unauthorizedError } from '../errors'
import type { Store } from '../store/db'
import { UniqueViolation } from '../store/db'
import { type ApiKey, apiKeys } from '../store/apiKeys'
import { wallets } from '../store/wallets'

/** Strongest first: a ladder, each role holding every right of those after it (seed 003). */
export const ROLES = ['super-admin', 'admin', 'technician', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** The roles a key holding `roles` covers: its own and every weaker one on the ladder. */
const coveredBy = (roles: Role[]): Set<Role> => new Set(ROLES.slice(Math.min(...roles.map((role) => ROLES.indexOf(role)))))

/** Roles that may change things through /api/v1 (everything but viewer reads only). */
export const WRITE_ROLES: readonly Role[] = ['super-admin', 'admin', 'technician']

/** Who asks for a key operation: the holder of the base key, or a wallet key with its roles. */
export type KeyActor = { kind: 'base' } | { kind: 'wallet-key'; walletId: string; roles: Role[] }

export type { ApiKey } from '../store/apiKeys'

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
  const rows = apiKeys(store)

  async function requireWallet(walletId: string) {
    if (!(await wallets(store).exists(walletId))) throw notFoundError(`Wallet ${walletId} not found`)
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
        await rows.insert({
          keyId,
          walletId: input.walletId,
          name: input.name,
          roles: input.roles,
          keyHmac: hmac(apiKey),
          expiresAt: input.expiresAt ?? null,
          createdAt: now,
        })
      } catch (error) {
        if (error instanceof UniqueViolation && error.column === 'name') {
          throw conflict('name', `An API key named "${input.name}" already exists in this wallet`)
        }
        throw error
      }
      return { apiKey, key: (await rows.get(keyId))! }
    },

    async revoke(actor: KeyActor, input: { walletId: string; name?: string; keyId?: string }): Promise<ApiKey> {
      const key = await rows.find(input.walletId, input)
      // Authorize before saying whether the key exists, so the answer leaks nothing to outsiders.
      authorizeKeyManagement(actor, input.walletId, key ? key.roles : [])
      if (!key) throw notFoundError(`API key ${input.keyId ?? input.name} not found in wallet ${input.walletId}`)
      await rows.revoke(key.keyId)
      return (await rows.get(key.keyId))!
    },

    /** The wallet's keys, newest first, for whoever may manage them (never their secrets: only HMACs are kept). */
    async list(actor: KeyActor, walletId: string): Promise<ApiKey[]> {
      authorizeKeyManagement(actor, walletId, [])
      await requireWallet(walletId)
      return rows.list(walletId)
    },

    /** The key behind an `x-api-key` value, if it is known, active and unexpired. */
    async authenticate(presented: string): Promise<ApiKey> {
      // Looked up by its HMAC: what is compared is a keyed digest, so lookup timing says nothing of the key.
      const key = await rows.byHmac(hmac(presented))
      if (!key) throw unauthorizedError('API key invalid')
      if (key.status !== 'active') throw unauthorizedError('API key revoked')
      if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) throw unauthorizedError('API key expired')
      return key
    },
  }
}

export type ApiKeyService = ReturnType<typeof apiKeyService>
