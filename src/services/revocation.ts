// AnonCreds revocation, issuer side. A revocable credential definition gets two registries at once:
// one `active`, one `finished` waiting behind it; when the active one is full the waiting one takes
// over and a new one is prepared behind it, so issuance never waits for tails generation.
// Revocation indices are taken by one atomic UPDATE of the registry row (relational store), so
// concurrent issuances, in one process or several, never share one and none is lost. Revoking marks
// the issued credential; publishing writes a new status list to the registry (Credo's
// updateRevocationStatusList), revoking every pending index of that registry at once.
//
// Credo keeps the registry's definition and private key material in the wallet (its records stay
// `active`: Credo refuses to issue on any other state, and a registry whose last index went out
// must still issue the credentials offered on it); the rotation state is ours, in the store.
import { randomUUID } from 'node:crypto'

import type { CredenceTailsFileService } from '../agent/tailsFiles'
import type { Store } from '../store/db'
import { badRequest, notFoundError, peerUnavailable } from '../errors'
import type { AppLogger } from '../logger'
import { keyedQueue } from './keyedQueue'
import type { TenantAgent, TenantService } from './tenants'

/** ACA-Py's registry states, as far as Credence uses them. */
export type RegistryState = 'finished' | 'active' | 'full' | 'decommissioned'
/** ACA-Py's IssuerCredRevRecord states. */
export type IssuedCredentialState = 'issued' | 'revoked'

export interface RevocationRegistry {
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
  /** Indices revoked but not yet published. */
  pending: number[]
  createdAt: string
  updatedAt: string
}

export interface IssuedCredentialRevocation {
  recordId: string
  walletId: string
  revRegId: string
  credRevId: number
  credDefId: string
  credExId?: string
  state: IssuedCredentialState
  pending: boolean
  createdAt: string
  updatedAt: string
}

/** ACA-Py's default and its bounds (anoncreds-rs handles up to 2^15 per registry comfortably). */
export const DEFAULT_REGISTRY_SIZE = 1000
export const MIN_REGISTRY_SIZE = 4
export const MAX_REGISTRY_SIZE = 32768

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
  created_at: string
  updated_at: string
}

const toIssued = (row: IssuedRow): IssuedCredentialRevocation => ({
  recordId: row.record_id,
  walletId: row.wallet_id,
  revRegId: row.rev_reg_id,
  credRevId: Number(row.cred_rev_id),
  credDefId: row.cred_def_id,
  ...(row.cred_ex_id ? { credExId: row.cred_ex_id } : {}),
  state: row.state,
  pending: Number(row.pending) === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export function revocationService(deps: { tenants: TenantService; store: Store; tailsFiles: CredenceTailsFileService; logger: AppLogger }) {
  const { tenants, store, tailsFiles, logger } = deps
  const oneAtATime = keyedQueue()
  const now = () => new Date().toISOString()

  async function toRegistry(row: RegistryRow): Promise<RevocationRegistry> {
    const pending = await store.all<{ cred_rev_id: number }>(
      'SELECT cred_rev_id FROM issued_credential_revocations WHERE rev_reg_id = ? AND pending = 1 ORDER BY cred_rev_id',
      [row.rev_reg_id],
    )
    return {
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
      pending: pending.map((p) => Number(p.cred_rev_id)),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
  }

  const registryRow = (walletId: string, revRegId: string) =>
    store.get<RegistryRow>('SELECT * FROM revocation_registries WHERE wallet_id = ? AND rev_reg_id = ?', [walletId, revRegId])

  /**
   * Registers a revocation registry of `size` for the credential definition, with its first status
   * list (every index issued: anoncreds-rs's issuance by default), and records it in `state`.
   */
  async function createRegistry(tenantAgent: TenantAgent, walletId: string, credDef: { id: string; issuerId: string }, size: number, state: RegistryState) {
    const count = await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ?', [walletId, credDef.id])
    const tag = String(Number(count?.n ?? 0) + 1)
    const anoncreds = tenantAgent.modules.anoncreds
    const registered = await anoncreds.registerRevocationRegistryDefinition({
      revocationRegistryDefinition: { credentialDefinitionId: credDef.id, issuerId: credDef.issuerId, tag, maximumCredentialNumber: size },
      options: {},
    })
    const definitionState = registered.revocationRegistryDefinitionState
    if (definitionState.state !== 'finished') {
      throw peerUnavailable(`The revocation registry could not be registered: ${'reason' in definitionState ? definitionState.reason : definitionState.state}`)
    }
    const revRegId = definitionState.revocationRegistryDefinitionId
    const listed = await anoncreds.registerRevocationStatusList({ revocationStatusList: { revocationRegistryDefinitionId: revRegId, issuerId: credDef.issuerId }, options: {} })
    const listState = listed.revocationStatusListState
    if (listState.state !== 'finished') {
      throw peerUnavailable(`The revocation status list could not be registered: ${'reason' in listState ? listState.reason : listState.state}`)
    }
    const { tailsHash, tailsLocation } = definitionState.revocationRegistryDefinition.value
    const at = now()
    await store.run(
      `INSERT INTO revocation_registries (rev_reg_id, wallet_id, cred_def_id, issuer_id, tag, state, max_cred_num, next_index, tails_hash, tails_public_uri, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
      [revRegId, walletId, credDef.id, credDef.issuerId, tag, state, size, tailsHash, tailsLocation, at, at],
    )
    logger.info({ walletId, revRegId, credDefId: credDef.id, size, state }, 'revocation registry created')
    return revRegId
  }

  /** The waiting registry becomes active and a new one is prepared behind it; false when there was none waiting. */
  async function rotate(tenantAgent: TenantAgent, walletId: string, credDefId: string): Promise<boolean> {
    return oneAtATime(`rotate|${walletId}|${credDefId}`, async () => {
      // Another call may have rotated already while this one waited.
      const active = await store.get<RegistryRow>(
        "SELECT * FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? AND state = 'active' AND next_index < max_cred_num",
        [walletId, credDefId],
      )
      if (active) return true
      await store.run(
        "UPDATE revocation_registries SET state = 'full', updated_at = ? WHERE wallet_id = ? AND cred_def_id = ? AND state = 'active'",
        [now(), walletId, credDefId],
      )
      const waiting = await store.get<RegistryRow>(
        "SELECT * FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? AND state = 'finished' ORDER BY created_at LIMIT 1",
        [walletId, credDefId],
      )
      if (!waiting) return false
      const took = await store.run("UPDATE revocation_registries SET state = 'active', updated_at = ? WHERE rev_reg_id = ? AND state = 'finished'", [now(), waiting.rev_reg_id])
      if (took.changes === 1) {
        logger.info({ walletId, revRegId: waiting.rev_reg_id, credDefId }, 'revocation registry full; the next one is active')
        await createRegistry(tenantAgent, walletId, { id: credDefId, issuerId: waiting.issuer_id }, Number(waiting.max_cred_num), 'finished')
      }
      return true
    })
  }

  async function issued(walletId: string, filter: { revRegId?: string; credExId?: string; credRevId?: number } = {}): Promise<IssuedCredentialRevocation[]> {
    const clauses = ['wallet_id = ?']
    const params: (string | number)[] = [walletId]
    const where = (clause: string, value: string | number | undefined) => {
      if (value === undefined) return
      clauses.push(clause)
      params.push(value)
    }
    where('rev_reg_id = ?', filter.revRegId)
    where('cred_ex_id = ?', filter.credExId)
    where('cred_rev_id = ?', filter.credRevId)
    const rows = await store.all<IssuedRow>(`SELECT * FROM issued_credential_revocations WHERE ${clauses.join(' AND ')} ORDER BY rev_reg_id, cred_rev_id`, params)
    return rows.map(toIssued)
  }

  /**
   * Publishes pending revocations: of the registries and indices named (ACA-Py's rrid2crid), or
   * all. One new status list per registry. Returns what was published, per registry.
   */
  async function publish(walletId: string, only?: Record<string, number[]>): Promise<Record<string, number[]>> {
    const pending = await store.all<{ rev_reg_id: string; cred_rev_id: number }>(
      'SELECT rev_reg_id, cred_rev_id FROM issued_credential_revocations WHERE wallet_id = ? AND pending = 1 ORDER BY rev_reg_id, cred_rev_id',
      [walletId],
    )
    const byRegistry: Record<string, number[]> = {}
    for (const { rev_reg_id, cred_rev_id } of pending) {
      const index = Number(cred_rev_id)
      if (only && !(only[rev_reg_id] && (only[rev_reg_id].length === 0 || only[rev_reg_id].includes(index)))) continue
      ;(byRegistry[rev_reg_id] ??= []).push(index)
    }
    const published: Record<string, number[]> = {}
    for (const [revRegId, indexes] of Object.entries(byRegistry)) {
      await oneAtATime(`publish|${revRegId}`, () =>
        tenants.withTenant(walletId, async (tenantAgent) => {
          const result = await tenantAgent.modules.anoncreds.updateRevocationStatusList({
            revocationStatusList: { revocationRegistryDefinitionId: revRegId, revokedCredentialIndexes: indexes },
            options: {},
          })
          const state = result.revocationStatusListState
          if (state.state !== 'finished') {
            throw peerUnavailable(`The revocations of ${revRegId} could not be published: ${'reason' in state ? state.reason : state.state}`)
          }
          await store.transaction(async (tx) => {
            for (const index of indexes) {
              await tx.run(
                "UPDATE issued_credential_revocations SET state = 'revoked', pending = 0, updated_at = ? WHERE wallet_id = ? AND rev_reg_id = ? AND cred_rev_id = ?",
                [now(), walletId, revRegId, index],
              )
            }
          })
        }),
      )
      published[revRegId] = indexes
    }
    return published
  }

  return {
    /** Sets up revocation for a credential definition just registered with support for it. */
    async setUp(tenantAgent: TenantAgent, walletId: string, credDef: { id: string; issuerId: string }, size: number): Promise<void> {
      await createRegistry(tenantAgent, walletId, credDef, size, 'active')
      await createRegistry(tenantAgent, walletId, credDef, size, 'finished')
    },

    /**
     * The registry and index the next credential of `credDefId` is issued with, taken for good (an
     * offer never answered leaves a gap, as in ACA-Py when an issuance fails).
     */
    async takeIndex(tenantAgent: TenantAgent, walletId: string, credDefId: string): Promise<{ revRegId: string; index: number }> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const taken = await store.get<{ rev_reg_id: string; taken_index: number }>(
          `UPDATE revocation_registries SET next_index = next_index + 1, updated_at = ?
           WHERE rev_reg_id = (SELECT rev_reg_id FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? AND state = 'active' ORDER BY created_at LIMIT 1)
             AND next_index < max_cred_num
           RETURNING rev_reg_id, next_index - 1 AS taken_index`,
          [now(), walletId, credDefId],
        )
        if (taken) {
          const index = Number(taken.taken_index)
          const at = now()
          await store.run(
            `INSERT INTO issued_credential_revocations (record_id, wallet_id, rev_reg_id, cred_rev_id, cred_def_id, state, pending, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 'issued', 0, ?, ?)`,
            [randomUUID(), walletId, taken.rev_reg_id, index, credDefId, at, at],
          )
          return { revRegId: taken.rev_reg_id, index }
        }
        if (!(await rotate(tenantAgent, walletId, credDefId))) break
      }
      throw badRequest('cred_def_id', `Credential definition ${credDefId} has no revocation registry with room left`)
    },

    /** Ties a taken index to the exchange that carries it. */
    async bindExchange(walletId: string, revRegId: string, index: number, credExId: string): Promise<void> {
      await store.run('UPDATE issued_credential_revocations SET cred_ex_id = ?, updated_at = ? WHERE wallet_id = ? AND rev_reg_id = ? AND cred_rev_id = ?', [
        credExId,
        now(),
        walletId,
        revRegId,
        index,
      ])
    },

    /** Whether the wallet issues `credDefId` with revocation (it has registries for it). */
    async isRevocable(walletId: string, credDefId: string): Promise<boolean> {
      const row = await store.get('SELECT 1 AS found FROM revocation_registries WHERE wallet_id = ? AND cred_def_id = ? LIMIT 1', [walletId, credDefId])
      return row !== undefined
    },

    async registries(walletId: string, filter: { credDefId?: string; state?: RegistryState } = {}): Promise<RevocationRegistry[]> {
      const rows = await store.all<RegistryRow>(
        `SELECT * FROM revocation_registries WHERE wallet_id = ?${filter.credDefId ? ' AND cred_def_id = ?' : ''}${filter.state ? ' AND state = ?' : ''} ORDER BY created_at`,
        [walletId, ...(filter.credDefId ? [filter.credDefId] : []), ...(filter.state ? [filter.state] : [])],
      )
      return Promise.all(rows.map(toRegistry))
    },

    async registry(walletId: string, revRegId: string): Promise<RevocationRegistry> {
      const row = await registryRow(walletId, revRegId)
      if (!row) throw notFoundError(`Revocation registry ${revRegId} not found`)
      return toRegistry(row)
    },

    issued,

    /** The credentials issued on one of the wallet's registries (404 for another's or none). */
    async issuedOn(walletId: string, revRegId: string): Promise<IssuedCredentialRevocation[]> {
      if (!(await registryRow(walletId, revRegId))) throw notFoundError(`Revocation registry ${revRegId} not found`)
      return issued(walletId, { revRegId })
    },

    /**
     * Marks a credential revoked: pending until published. Revoking one already revoked (or already
     * pending) changes nothing. `publish` publishes its registry's pending revocations at once.
     */
    async revoke(walletId: string, which: { credExId?: string; revRegId?: string; credRevId?: number }, publishNow: boolean): Promise<IssuedCredentialRevocation> {
      const found = which.credExId
        ? await store.get<IssuedRow>('SELECT * FROM issued_credential_revocations WHERE wallet_id = ? AND cred_ex_id = ?', [walletId, which.credExId])
        : await store.get<IssuedRow>('SELECT * FROM issued_credential_revocations WHERE wallet_id = ? AND rev_reg_id = ? AND cred_rev_id = ?', [
            walletId,
            which.revRegId ?? '',
            which.credRevId ?? -1,
          ])
      if (!found) {
        // ACA-Py answers 400 here, naming what was not found.
        throw which.credExId
          ? badRequest('cred_ex_id', `No revocable credential of this wallet was issued in exchange ${which.credExId}`)
          : badRequest('cred_rev_id', `No credential ${which.credRevId} of this wallet was issued on revocation registry ${which.revRegId}`)
      }
      if (found.state === 'issued' && Number(found.pending) === 0) {
        await store.run("UPDATE issued_credential_revocations SET pending = 1, updated_at = ? WHERE record_id = ? AND state = 'issued'", [now(), found.record_id])
      }
      if (publishNow) await publish(walletId, { [found.rev_reg_id]: [Number(found.cred_rev_id)] })
      return toIssued((await store.get<IssuedRow>('SELECT * FROM issued_credential_revocations WHERE record_id = ?', [found.record_id]))!)
    },

    publish,

    /** Drops pending revocations (all, or the registries and indices named) without publishing them. */
    async clearPending(walletId: string, only?: Record<string, number[]>): Promise<void> {
      const pending = await issued(walletId)
      for (const record of pending.filter((r) => r.pending)) {
        if (only && !(only[record.revRegId] && (only[record.revRegId].length === 0 || only[record.revRegId].includes(record.credRevId)))) continue
        await store.run('UPDATE issued_credential_revocations SET pending = 0, updated_at = ? WHERE record_id = ?', [now(), record.recordId])
      }
    },

    /** The path of an issuer's tails file with this hash, checked against it, for the public endpoint. */
    async publicTailsFile(tailsHash: string): Promise<string | undefined> {
      const row = await store.get<{ wallet_id: string }>('SELECT wallet_id FROM revocation_registries WHERE tails_hash = ? LIMIT 1', [tailsHash])
      return row ? tailsFiles.verifiedPath(row.wallet_id, tailsHash) : undefined
    },

    /** The tails file of one of the wallet's registries. */
    async tailsFileOf(walletId: string, revRegId: string): Promise<string> {
      const row = await registryRow(walletId, revRegId)
      if (!row) throw notFoundError(`Revocation registry ${revRegId} not found`)
      const file = tailsFiles.verifiedPath(walletId, row.tails_hash)
      if (!file) throw notFoundError(`The tails file of ${revRegId} is not here`)
      return file
    },
  }
}

export type RevocationService = ReturnType<typeof revocationService>
