// Wallets' settings as rows of `wallets`: the one place that knows their columns and SQL, for
// SQLite and PostgreSQL alike. What a wallet is, how its tenant and tokens go with it, is the
// wallet service's (services/wallets.ts). Every function takes the Db it runs on, so the service
// keeps its transactions: the store, or the transaction it opened.
import type { Db } from './db'

export type DispatchType = 'default' | 'base' | 'both'

export interface Wallet {
  walletId: string
  walletName: string
  label?: string
  imageUrl?: string
  keyManagementMode: 'managed'
  walletType: string
  webhookUrls: string[]
  dispatchType: DispatchType
  extraSettings: Record<string, unknown>
  createdAt: string
  updatedAt: string
}

/** A wallet with the `iat` of its newest token (null before one was minted): only that token passes. */
export interface StoredWallet {
  wallet: Wallet
  jwtIat: number | null
}

/** A row as either database returns it: PostgreSQL's bigints may come as strings. */
interface WalletRow extends Record<string, unknown> {
  wallet_id: string
  wallet_name: string
  label: string | null
  image_url: string | null
  key_management_mode: 'managed'
  wallet_type: string
  webhook_urls: string
  dispatch_type: DispatchType
  extra_settings: string
  jwt_iat: number | string | null
  created_at: string
  updated_at: string
}

const fromRow = (row: WalletRow): Wallet => ({
  walletId: row.wallet_id,
  walletName: row.wallet_name,
  label: row.label ?? undefined,
  imageUrl: row.image_url ?? undefined,
  keyManagementMode: row.key_management_mode,
  walletType: row.wallet_type,
  webhookUrls: JSON.parse(row.webhook_urls),
  dispatchType: row.dispatch_type,
  extraSettings: JSON.parse(row.extra_settings),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** What a new wallet row is written with; it has no token yet. */
export interface NewWalletRow {
  walletId: string
  walletName: string
  label: string | null
  imageUrl: string | null
  walletType: string
  webhookUrls: string[]
  dispatchType: DispatchType
  extraSettings: Record<string, unknown>
  createdAt: string
}

/** The settings a wallet's owner may change. */
export type WalletSettings = Pick<Wallet, 'label' | 'imageUrl' | 'webhookUrls' | 'dispatchType' | 'extraSettings'>

export function wallets(db: Db) {
  return {
    async find(walletId: string): Promise<StoredWallet | undefined> {
      const row = await db.get<WalletRow>('SELECT * FROM wallets WHERE wallet_id = ?', [walletId])
      return row && { wallet: fromRow(row), jwtIat: row.jwt_iat === null ? null : Number(row.jwt_iat) }
    },

    async exists(walletId: string): Promise<boolean> {
      return (await db.get('SELECT wallet_id FROM wallets WHERE wallet_id = ?', [walletId])) !== undefined
    },

    async nameTaken(walletName: string): Promise<boolean> {
      return (await db.get('SELECT 1 AS taken FROM wallets WHERE wallet_name = ?', [walletName])) !== undefined
    },

    /** Wallets in creation order (newest first with `descending`); without `limit`, all of them. */
    async list(query: { walletName?: string; limit?: number; offset?: number; descending?: boolean }): Promise<Wallet[]> {
      const where = query.walletName ? 'WHERE wallet_name = ?' : ''
      const params = query.walletName ? [query.walletName] : []
      const page = query.limit === undefined ? '' : 'LIMIT ? OFFSET ?'
      const pageParams = query.limit === undefined ? [] : [query.limit, query.offset ?? 0]
      const rows = await db.all<WalletRow>(
        `SELECT * FROM wallets ${where} ORDER BY created_at ${query.descending ? 'DESC' : 'ASC'}, wallet_id ${query.descending ? 'DESC' : 'ASC'} ${page}`,
        [...params, ...pageParams],
      )
      return rows.map(fromRow)
    },

    /** Throws UniqueViolation when the name is taken. */
    insert: (row: NewWalletRow) =>
      db.run(
        `INSERT INTO wallets (wallet_id, wallet_name, label, image_url, key_management_mode, wallet_type,
           webhook_urls, dispatch_type, extra_settings, jwt_iat, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
        [
          row.walletId,
          row.walletName,
          row.label,
          row.imageUrl,
          'managed',
          row.walletType,
          JSON.stringify(row.webhookUrls),
          row.dispatchType,
          JSON.stringify(row.extraSettings),
          row.createdAt,
          row.createdAt,
        ],
      ),

    updateSettings: (walletId: string, settings: WalletSettings) =>
      db.run(
        `UPDATE wallets SET label = ?, image_url = ?, webhook_urls = ?, dispatch_type = ?, extra_settings = ?, updated_at = ?
         WHERE wallet_id = ?`,
        [
          settings.label ?? null,
          settings.imageUrl ?? null,
          JSON.stringify(settings.webhookUrls),
          settings.dispatchType,
          JSON.stringify(settings.extraSettings),
          new Date().toISOString(),
          walletId,
        ],
      ),

    setWalletType: (walletId: string, walletType: string) =>
      db.run('UPDATE wallets SET wallet_type = ?, updated_at = ? WHERE wallet_id = ?', [walletType, new Date().toISOString(), walletId]),

    /** The wallet's public DID (qualified), which the DID service keeps here: Credo has no such notion. */
    async publicDid(walletId: string): Promise<string | undefined> {
      const row = await db.get<{ public_did: string | null }>('SELECT public_did FROM wallets WHERE wallet_id = ?', [walletId])
      return row?.public_did ?? undefined
    },

    setPublicDid: (walletId: string, did: string) =>
      db.run('UPDATE wallets SET public_did = ?, updated_at = ? WHERE wallet_id = ?', [did, new Date().toISOString(), walletId]),

    setTokenIat: (walletId: string, iat: number) => db.run('UPDATE wallets SET jwt_iat = ? WHERE wallet_id = ?', [iat, walletId]),

    /** API keys go with the row by foreign key. */
    remove: (walletId: string) => db.run('DELETE FROM wallets WHERE wallet_id = ?', [walletId]),
  }
}

export type WalletRepository = ReturnType<typeof wallets>
