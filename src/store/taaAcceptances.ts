// Each wallet's acceptance of a ledger's transaction author agreement, as rows of
// `ledger_taa_acceptances` (one per wallet and Indy namespace): the one place that knows their
// columns and SQL, for SQLite and PostgreSQL alike. Whether an acceptance matches the ledger's
// agreement is the ledger service's (services/ledger.ts).
import type { Db } from './db'

export interface StoredTaaAcceptance {
  version: string
  digest: string
  mechanism: string
  /** Seconds since the epoch, as the ledger wants it. */
  time: number
}

export function taaAcceptances(db: Db) {
  return {
    async get(walletId: string, indyNamespace: string): Promise<StoredTaaAcceptance | undefined> {
      const row = await db.get<{ version: string; digest: string; mechanism: string; accepted_at: number | string }>(
        'SELECT version, digest, mechanism, accepted_at FROM ledger_taa_acceptances WHERE wallet_id = ? AND indy_namespace = ?',
        [walletId, indyNamespace],
      )
      return row && { version: row.version, digest: row.digest, mechanism: row.mechanism, time: Number(row.accepted_at) }
    },

    remove: (walletId: string, indyNamespace: string) =>
      db.run('DELETE FROM ledger_taa_acceptances WHERE wallet_id = ? AND indy_namespace = ?', [walletId, indyNamespace]),

    insert: (walletId: string, indyNamespace: string, acceptance: StoredTaaAcceptance) =>
      db.run(
        'INSERT INTO ledger_taa_acceptances (wallet_id, indy_namespace, version, digest, mechanism, accepted_at) VALUES (?, ?, ?, ?, ?, ?)',
        [walletId, indyNamespace, acceptance.version, acceptance.digest, acceptance.mechanism, acceptance.time],
      ),
  }
}

export type TaaAcceptanceRepository = ReturnType<typeof taaAcceptances>
