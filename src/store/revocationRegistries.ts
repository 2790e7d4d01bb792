// The issuer's side of AnonCreds revocation registries, as rows of `revocation_registries` (state in
// the rotation, the next free index) and `issued_credential_revocations` (ACA-Py's
// IssuerCredRevRecord): the one place that knows their columns and SQL, for SQLite and PostgreSQL
// alike. When to rotate, what to publish and what a caller may see is services/revocation.ts's.
import { randomUUID } from 'node:crypto'

import type { Db, Param } from './db'

/**
 * ACA-Py's registry states, as far as Credence uses them; `active` is ACA-Py's active tag on a
 * `finished` registry. `generated` and `posted` are the steps of ACA-Py's legacy by-hand sequence
 * (create-registry, then `definition`) before the first status list is written (`entry`).
 */
export type RegistryState = 'generated' | 'posted' | 'finished' | 'active' | 'full' | 'decommissioned'
/** ACA-Py's IssuerCredRevRecord states. */
export type IssuedCredentialState = 'issued' | 'revoked'

export interface StoredRegistry {
  revRegId: string
  walletId: string
  credDefId: string
  issuerId: string
  tag: string
  state: RegistryState
  maxCredNum: number
  /** The next index to give out; the registry is full once it reaches maxCredNum (index 0 is anoncreds-rs's own). */
  nextIndex: number
  tailsHash: string
  tailsPublicUri: string
  createdAt: string
  updatedAt: string
}

/** A revocation notification to send when the revocation is published. */
export interface RevocationNotice {
  version: 'v1_0' | 'v2_0'
  connectionId: string
  threadId?: string
  comment?: string
}

export interface IssuedCredentialRevocation {
  recordId: string
  walletId: string
  revRegId: string
  credRevId: number
  credDefId: string
  credExId?: string
  state: IssuedCredentialState
  /** Revoked here, not yet published in a status list. */
  pending: boolean
  /** Whom to tell once the revocation is published. */
  notify?: RevocationNotice
  createdAt: string
  updatedAt: string
}

interface RegistryRow extends Record<string, unknown> {
  rev_reg_id: string
  wallet_id: string
  cred_def_id: string
  issuer_id: string
  tag: string
  state: RegistryState
  max_cred_num: number
  next_index: number
  tails_hash: string
  tails_public_uri: string
  created_at: string
  updated_at: string
}

interface IssuedRow extends Record<string, unknown> {
  record_id: string
  wallet_id: string
  rev_reg_id: string
  cred_rev_id: number
  cred_def_id: string
  cred_ex_id: string | null
  state: IssuedCredentialState
  pending: number
  notify: string | null
  created_at: string
  updated_at: string
}

const toRegistry = (row: RegistryRow): StoredRegistry => ({
  revRegId: row.rev_reg_id,
  walletId: row.wallet_id,
  credDefId: row.cred_def_id,
  issuerId: row.issuer_id,
  tag: row.tag,
  state: row.state,
  maxCredNum: Number(row.max_cred_num),
  nextIndex: Number(row.next_index),
  tailsHash: row.tails_hash,
  tailsPublicUri: row.tails_public_uri,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

const toIssued = (row: IssuedRow): IssuedCredentialRevocation => ({
  recordId: row.record_id,
  walletId: row.wallet_id,
  revRegId: row.rev_reg_id,
  credRevId: Number(row.cred_rev_id),
  credDefId: row.cred_def_id,
  ...(row.cred_ex_id ? { credExId: row.cred_ex_id } : {}),
  state: row.state,
  pending: Number(row.pending) === 1,
  ...(row.notify ? { notify: JSON.parse(row.notify) as RevocationNotice } : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

const now = () => new Date().toISOString()

export function revocationRegistries(db: Db) {
  return {
    async insert(registry: Omit<StoredRegistry, 'nextIndex' | 'createdAt' | 'updatedAt'>): Promise<void> {
      const at = now()
      await db.run(
        `INSERT INTO revocation_registries (rev_reg_id, wallet_id, cred_def_id, issuer_id, tag, state, max_cred_num, next_index, tails_hash, tails_public_uri, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
        [registry.revRegId, registry.walletId, registry.credDefId, registry.issuerId, registry.tag, registry.state, registry.maxCredNum, registry.tailsHash, registry.tailsPublicUri, at, at],
      )
    },

    async get(walletId: string, revRegId: string): Promise<StoredRegistry | undefined> {
      const row = await db.get<RegistryRow>('SELECT * FROM revocation_registries WHERE wallet_id = ? AND rev_reg_id = ?', [walletId, revRegId])
      return row && toRegistry(row)
    },

    async list(walletId: string, filter: { credDefId?: string; state?: RegistryState } = {}): Promise<StoredRegistry[]> {
      const params: Param[] = [walletId]
      let sql = 'SELECT * FROM revocation_registries WHERE wallet_id = ?'
      if (filter.credDefId) (sql += ' AND cred_def_id = ?'), params.push(filter.credDefId)
      if (filter.state) (sql += ' AND state = ?'), params.push(filter.state)
      return (await db.all<RegistryRow>(`${sql} ORDER BY created_at`, params)).map(toRegistry)
    },

    /** Whether the wallet has registries for the credential definition (it issues it revocable). */
    async any(walletId: string, credDefId: string): Promise<boolean> {
      return (await db.get('SELECT 1 AS found FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? LIMIT 1', [walletId, credDefId])) !== undefined
    },

    /** The wallet owning the tails file with this hash. */
    async ownerOfTails(tailsHash: string): Promise<string | undefined> {
      return (await db.get<{ wallet_id: string }>('SELECT wallet_id FROM revocation_registries WHERE tails_hash = ? LIMIT 1', [tailsHash]))?.wallet_id
    },

    /** Whether the credential definition has an active registry with room left. */
    async hasRoom(walletId: string, credDefId: string): Promise<boolean> {
      const row = await db.get(
        "SELECT 1 AS found FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? AND state = 'active' AND next_index < max_cred_num",
        [walletId, credDefId],
      )
      return row !== undefined
    },

    /**
     * Takes the next index of the active registry in one statement, so that no two callers (in one
     * process or several) get the same; undefined when the active registry is full or there is none.
     */
    async takeIndex(walletId: string, credDefId: string): Promise<{ revRegId: string; issuerId: string; index: number } | undefined> {
      const taken = await db.get<{ rev_reg_id: string; issuer_id: string; taken_index: number }>(
        `UPDATE revocation_registries SET next_index = next_index + 1, updated_at = ?
         WHERE rev_reg_id = (SELECT rev_reg_id FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? AND state = 'active' ORDER BY created_at LIMIT 1)
           AND next_index < max_cred_num
         RETURNING rev_reg_id, issuer_id, next_index - 1 AS taken_index`,
        [now(), walletId, credDefId],
      )
      return taken && { revRegId: taken.rev_reg_id, issuerId: taken.issuer_id, index: Number(taken.taken_index) }
    },

    /** The active registry of the credential definition is full. */
    markActiveFull: (walletId: string, credDefId: string) =>
      db.run("UPDATE revocation_registries SET state = 'full', updated_at = ? WHERE wallet_id = ? AND cred_def_id = ? AND state = 'active'", [now(), walletId, credDefId]),

    async oldestWaiting(walletId: string, credDefId: string): Promise<StoredRegistry | undefined> {
      const row = await db.get<RegistryRow>(
        "SELECT * FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? AND state = 'finished' ORDER BY created_at LIMIT 1",
        [walletId, credDefId],
      )
      return row && toRegistry(row)
    },

    /** Sets a registry's state outright (set-state, rotate). */
    setState: (walletId: string, revRegId: string, state: RegistryState) =>
      db.run('UPDATE revocation_registries SET state = ?, updated_at = ? WHERE wallet_id = ? AND rev_reg_id = ?', [state, now(), walletId, revRegId]),

    /** A waiting registry becomes active; false when another caller activated it first. */
    async activate(revRegId: string): Promise<boolean> {
      return (await db.run("UPDATE revocation_registries SET state = 'active', updated_at = ? WHERE rev_reg_id = ? AND state = 'finished'", [now(), revRegId])).changes === 1
    },

    async insertIssued(walletId: string, revRegId: string, index: number, credDefId: string): Promise<void> {
      const at = now()
      await db.run(
        `INSERT INTO issued_credential_revocations (record_id, wallet_id, rev_reg_id, cred_rev_id, cred_def_id, state, pending, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'issued', 0, ?, ?)`,
        [randomUUID(), walletId, revRegId, index, credDefId, at, at],
      )
    },

    bindExchange: (walletId: string, revRegId: string, index: number, credExId: string) =>
      db.run('UPDATE issued_credential_revocations SET cred_ex_id = ?, updated_at = ? WHERE wallet_id = ? AND rev_reg_id = ? AND cred_rev_id = ?', [
        credExId,
        now(),
        walletId,
        revRegId,
        index,
      ]),

    async issued(walletId: string, filter: { revRegId?: string; credExId?: string; credRevId?: number; pending?: boolean } = {}): Promise<IssuedCredentialRevocation[]> {
      const params: Param[] = [walletId]
      let sql = 'SELECT * FROM issued_credential_revocations WHERE wallet_id = ?'
      if (filter.revRegId !== undefined) (sql += ' AND rev_reg_id = ?'), params.push(filter.revRegId)
      if (filter.credExId !== undefined) (sql += ' AND cred_ex_id = ?'), params.push(filter.credExId)
      if (filter.credRevId !== undefined) (sql += ' AND cred_rev_id = ?'), params.push(filter.credRevId)
      if (filter.pending !== undefined) (sql += ' AND pending = ?'), params.push(filter.pending ? 1 : 0)
      return (await db.all<IssuedRow>(`${sql} ORDER BY rev_reg_id, cred_rev_id`, params)).map(toIssued)
    },

    async issuedById(recordId: string): Promise<IssuedCredentialRevocation | undefined> {
      const row = await db.get<IssuedRow>('SELECT * FROM issued_credential_revocations WHERE record_id = ?', [recordId])
      return row && toIssued(row)
    },

    /** Marks an issued credential pending revocation; nothing when it is revoked or pending already. */
    markPending: (recordId: string, notify?: RevocationNotice) =>
      db.run("UPDATE issued_credential_revocations SET pending = 1, notify = ?, updated_at = ? WHERE record_id = ? AND state = 'issued' AND pending = 0", [
        notify ? JSON.stringify(notify) : null,
        now(),
        recordId,
      ]),

    clearPending: (recordId: string) => db.run('UPDATE issued_credential_revocations SET pending = 0, updated_at = ? WHERE record_id = ?', [now(), recordId]),

    /** The indices of a registry, published as revoked, in one transaction. */
    markRevoked: (walletId: string, revRegId: string, indexes: number[]) =>
      db.transaction(async (tx) => {
        for (const index of indexes) {
          await tx.run(
            "UPDATE issued_credential_revocations SET state = 'revoked', pending = 0, updated_at = ? WHERE wallet_id = ? AND rev_reg_id = ? AND cred_rev_id = ?",
            [now(), walletId, revRegId, index],
          )
        }
      }),
  }
}

export type RevocationRegistryRepository = ReturnType<typeof revocationRegistries>
