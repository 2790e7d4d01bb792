// Wallets (ACA-Py "sub-wallets", Proven "subwallets"): a Credo tenant plus the settings row Credence
// keeps for it in the relational store. The wallet id is the Credo tenant id. Creation undoes the
// tenant when the row cannot be written; deletion removes the tenant first and can be retried.
// Credo is never called while a relational transaction is open. The row and its SQL are store/wallets.ts's.
import type { TenantService } from './tenants'
import { badRequest, conflict, invalid, notFoundError, unauthorizedError } from '../errors'
import type { Db, Store } from '../store/db'
import { UniqueViolation } from '../store/db'
import { type DispatchType, type StoredWallet, type Wallet, type WalletSettings, wallets } from '../store/wallets'
import { signTenantToken, verifyTenantToken, type TenantTokenClaims } from './tenantTokens'
import { KEY_SET_MARKER, withStoredKey } from '../webhooks/targets'

export type { DispatchType, Wallet } from '../store/wallets'

export interface CreateWalletInput {
  walletName: string
  label?: string
  imageUrl?: string
  walletType?: string
  webhookUrls?: string[]
  dispatchType?: DispatchType
  extraSettings?: Record<string, unknown>
}

export type UpdateWalletInput = Partial<WalletSettings>

export function walletService({
  store,
  tenants,
  jwtSecret,
  tokenTtlSeconds = 0,
}: {
  store: Store
  tenants: TenantService
  jwtSecret: string
  /** CREDENCE_TENANT_TOKEN_TTL: how long a token lives; 0, tokens live until the next is minted. */
  tokenTtlSeconds?: number
}) {
  const rows = wallets(store)
  /** Who keeps something derived from a wallet's settings (where its events go) and must forget it. */
  const changeListeners = new Set<(walletId: string) => void>()
  const changed = (walletId: string) => changeListeners.forEach((listener) => listener(walletId))
  /** Who holds something a wallet's earlier tokens opened (live event streams) and must end it. */
  const revokedListeners = new Set<(walletId: string) => void>()
  const onCredentialsRevoked = (walletId: string) => revokedListeners.forEach((listener) => listener(walletId))

  async function getRow(walletId: string): Promise<StoredWallet> {
    const row = await rows.find(walletId)
    if (!row) throw notFoundError(`Wallet ${walletId} not found`)
    return row
  }

  /** A fresh token whose iat is strictly newer than the last one, so the older token stops working. */
  async function issueToken(db: Db, walletId: string, previousIat: number | null): Promise<string> {
    const iat = Math.max(Math.floor(Date.now() / 1000), (previousIat ?? 0) + 1)
    await wallets(db).setTokenIat(walletId, iat)
    // exp counts from iat, which may run a second or so ahead of the clock when tokens are minted
    // faster than one a second: the token then lives that little bit longer, never shorter.
    return signTenantToken(jwtSecret, { wallet_id: walletId, iat, ...(tokenTtlSeconds > 0 ? { exp: iat + tokenTtlSeconds } : {}) })
  }

  /** Reads the wallet once, applies the patch made from it, and writes it back. */
  async function applyUpdate(walletId: string, makePatch: (current: Wallet) => UpdateWalletInput): Promise<Wallet> {
    const current = (await getRow(walletId)).wallet
    const patch = makePatch(current)
    if (patch.webhookUrls) patch.webhookUrls = keepingStoredKeys(patch.webhookUrls, current.webhookUrls)
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))
    const next: Wallet = { ...current, ...given }
    if (patch.label !== undefined && patch.label !== current.label) {
      // The tenant's DIDComm label (used in invitations) follows the wallet label. Credo first:
      // no relational lock is held while waiting for a tenant session.
      const tenant = await tenants.get(walletId)
      tenant.config = { ...tenant.config, label: patch.label }
      await tenants.update(tenant)
    }
    return store.transaction(async (tx) => {
      await wallets(tx).updateSettings(walletId, next)
      return (await wallets(tx).find(walletId))!.wallet
    }).finally(() => changed(walletId))
  }

  return {
    async create(input: CreateWalletInput): Promise<{ wallet: Wallet; token: string }> {
      if (await rows.nameTaken(input.walletName)) throw conflict('walletName', `A wallet named "${input.walletName}" already exists`)
      const webhookUrls = keepingStoredKeys(input.webhookUrls ?? [], [])
      // As ACA-Py: a wallet without its own webhook URLs dispatches to the base URLs.
      const dispatchType = webhookUrls.length === 0 ? 'base' : (input.dispatchType ?? 'default')
      const tenant = await tenants.create(input.label ?? input.walletName)
      const now = new Date().toISOString()
      try {
        return await store.transaction(async (tx) => {
          await wallets(tx).insert({
            walletId: tenant.id,
            walletName: input.walletName,
            label: input.label ?? null,
            imageUrl: input.imageUrl ?? null,
            walletType: input.walletType ?? 'askar-anoncreds',
            webhookUrls,
            dispatchType,
            extraSettings: input.extraSettings ?? {},
            createdAt: now,
          })
          const token = await issueToken(tx, tenant.id, null)
          return { wallet: (await wallets(tx).find(tenant.id))!.wallet, token }
        }).finally(() => changed(tenant.id))
      } catch (error) {
        // Undo the tenant; if even that fails, the original error is still the one to report.
        await tenants.delete(tenant.id).catch(() => undefined)
        if (error instanceof UniqueViolation) {
          throw conflict('walletName', `A wallet named "${input.walletName}" already exists`)
        }
        throw error
      }
    },

    /** Wallets in creation order; without `limit`, all of them. */
    list(query: { walletName?: string; limit?: number; offset?: number; descending?: boolean }): Promise<Wallet[]> {
      return rows.list(query)
    },

    async get(walletId: string): Promise<Wallet> {
      return (await getRow(walletId)).wallet
    },

    update(walletId: string, patch: UpdateWalletInput): Promise<Wallet> {
      return applyUpdate(walletId, () => patch)
    },

    /** A tenant's own settings change: the given extra settings are merged into the stored ones. */
    /**
     * ACA-Py's upgrade of an askar (or kanon) wallet to its AnonCreds type. Every Credence wallet holds
     * AnonCreds objects already: only the type the wallet reports changes, which controllers read to
     * choose the AnonCreds routes. `walletName` must name the wallet, as ACA-Py checks.
     */
    async upgradeToAnonCreds(walletId: string, walletName: string): Promise<Wallet> {
      const current = (await getRow(walletId)).wallet
      if (current.walletName !== walletName) throw badRequest('walletName', 'Wallet name parameter does not match the agent which triggered the upgrade')
      if (current.walletType.endsWith('-anoncreds')) throw badRequest('walletName', 'Wallet type is already anoncreds')
      await rows.setWalletType(walletId, current.walletType === 'kanon' ? 'kanon-anoncreds' : 'askar-anoncreds')
      changed(walletId)
      return (await getRow(walletId)).wallet
    },

    mergeExtraSettings(walletId: string, extraSettings: Record<string, unknown>): Promise<Wallet> {
      return applyUpdate(walletId, (current) => ({ extraSettings: { ...current.extraSettings, ...extraSettings } }))
    },

    /**
     * Deletes the Askar profile, the tenant and every row Credence keeps for the wallet (API keys
     * go with it by foreign key). The tenant goes first: if that fails part way, the row is still
     * there and a retried delete finishes the job, since a tenant already gone counts as deleted.
     */
    async remove(walletId: string): Promise<void> {
      await getRow(walletId)
      await tenants.deleteIfPresent(walletId)
      await rows.remove(walletId)
      changed(walletId)
      onCredentialsRevoked(walletId)
    },

    /** `listener` hears of every wallet whose settings changed or that was deleted. */
    onChange(listener: (walletId: string) => void): void {
      changeListeners.add(listener)
    },

    /** `listener` hears of every wallet whose earlier tokens stopped working (new token, wallet deleted). */
    onCredentialsRevoked(listener: (walletId: string) => void): void {
      revokedListeners.add(listener)
    },

    async createToken(walletId: string): Promise<string> {
      const row = await getRow(walletId)
      const token = await store.transaction((tx) => issueToken(tx, walletId, row.jwtIat))
      onCredentialsRevoked(walletId)
      return token
    },

    /** The wallet a bearer token stands for; only the newest, unexpired token of an existing wallet passes. */
    async authenticateToken(token: string): Promise<Wallet> {
      const claims = verifyTenantToken(jwtSecret, token)
      if (!claims) throw unauthorizedError('Authorization token missing or invalid')
      if (isExpired(claims, tokenTtlSeconds)) throw unauthorizedError('Authorization token expired')
      const row = await rows.find(claims.wallet_id)
      if (!row || row.jwtIat === null || row.jwtIat !== claims.iat) {
        throw unauthorizedError('Authorization token missing or invalid')
      }
      return row.wallet
    },
  }
}

/**
 * Webhook targets as given, with the key marker that responses show (targets.ts) replaced by the
 * key stored for that URL; a marker that stands for no stored key is refused rather than stored
 * as if it were the key.
 */
function keepingStoredKeys(given: string[], stored: string[]): string[] {
  return given.map((raw) => {
    const resolved = withStoredKey(raw, stored)
    if (resolved === undefined) {
      throw invalid('webhookUrls', `${KEY_SET_MARKER} stands for a key already set, and none is set for ${raw.split('#')[0]}`)
    }
    return resolved
  })
}

/**
 * A token is expired past its own `exp`, and, while a TTL is set, once it is older than the TTL.
 * The second rule covers tokens minted without `exp` before the TTL was turned on: an operator
 * who sets a TTL expects no token to outlive it, so such a token is judged by its `iat` rather
 * than kept valid forever (or refused at once, which would cut off every controller the moment
 * the setting is deployed). It also means shortening the TTL shortens tokens already out.
 */
function isExpired(claims: TenantTokenClaims, tokenTtlSeconds: number): boolean {
  const now = Date.now() / 1000
  if (claims.exp !== undefined && now >= claims.exp) return true
  return tokenTtlSeconds > 0 && now >= claims.iat + tokenTtlSeconds
}

export type WalletService = ReturnType<typeof walletService>
