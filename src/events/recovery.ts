// Events a crash kept from the outbox. Credo saves a record before it tells us of the change, and
// the event reaches the outbox a moment later (its payload needs reads): a kill -9 in between lost
// the event. Each run is written down at boot and crossed out at a clean stop; after a run that was
// not, the records of every wallet with webhook targets that changed since that run started are
// compared with the last state the outbox took for them (event_marks, written in the outbox's own
// transaction), and each one whose state the outbox missed is published again as Credo would have.
// Credence's own records with webhooks (issued credentials' revocation records, revocation
// registries) are saved before their event is queued too, and are swept the same way.
// An intermediate state a crash cut is not recovered: the record's current one is. The marks also
// mean a second sweep, or one that overlaps a live process on a shared PostgreSQL, sends nothing
// twice for a state already queued.
import { randomUUID } from 'node:crypto'

import { BasicMessageRole, OutOfBandRole, OutOfBandState } from '../agent/credo'
import type { AppLogger } from '../logger'
import type { RevocationService } from '../services/revocation'
import type { TenantService } from '../services/tenants'
import type { WalletService } from '../services/wallets'
import type { Store } from '../store/db'
import type { CredoBridge, ReplayableRecord } from './credoBridge'
import { revocationMarkState, type TenantEventBus } from './tenantEvents'

/** A little before the crashed run started: a record saved as it booted is still looked at. */
const SINCE_MARGIN_MS = 5_000

export interface ServerRun {
  /** When the oldest earlier run that never stopped cleanly started; undefined after clean stops. */
  crashedSince?: Date
  /** Crosses this run out: called at a clean stop, after the outbox has everything. */
  end(): Promise<void>
}

/** Writes this run down and finds the earlier ones that did not stop cleanly. */
export async function beginServerRun(store: Store): Promise<ServerRun> {
  const runId = randomUUID()
  const unfinished = await store.get<{ started_at: string | null }>('SELECT MIN(started_at) AS started_at FROM server_runs WHERE stopped_at IS NULL')
  await store.run('INSERT INTO server_runs (run_id, started_at) VALUES (?, ?)', [runId, new Date().toISOString()])
  return {
    crashedSince: unfinished?.started_at ? new Date(new Date(unfinished.started_at).getTime() - SINCE_MARGIN_MS) : undefined,
    end: async () => {
      // Only the last few runs are worth keeping; a crashed one is settled once swept.
      await store.run('UPDATE server_runs SET stopped_at = ? WHERE run_id = ?', [new Date().toISOString(), runId])
      await store.run('DELETE FROM server_runs WHERE stopped_at IS NOT NULL AND run_id <> ?', [runId])
    },
  }
}

const changedSince = (record: { createdAt: Date; updatedAt?: Date }, since: Date) => (record.updatedAt ?? record.createdAt) >= since

/** Replays what the outbox missed in every wallet with webhook targets; the number of events. */
export async function recoverMissedEvents(deps: {
  store: Store
  wallets: WalletService
  tenants: TenantService
  bridge: CredoBridge
  events: TenantEventBus
  revocation: RevocationService
  hasTargets(walletId: string): Promise<boolean>
  since: Date
  logger: AppLogger
}): Promise<number> {
  const { store, tenants, bridge, since } = deps
  let replayed = 0
  for (const { walletId } of await deps.wallets.list({})) {
    if (!(await deps.hasTargets(walletId))) continue
    const marks = new Map(
      (await store.all<{ record_kind: string; record_id: string; state: string }>('SELECT record_kind, record_id, state FROM event_marks WHERE wallet_id = ?', [walletId])).map(
        (row) => [`${row.record_kind} ${row.record_id}`, row.state],
      ),
    )
    const records = await tenants.withTenant(walletId, async (tenantAgent): Promise<ReplayableRecord[]> => [
      ...(await tenantAgent.oob.getAll())
        // A new invitation of ours was reported to the caller that made it; its first state is no news.
        .filter((record) => !(record.role === OutOfBandRole.Sender && record.state === OutOfBandState.AwaitResponse))
        .map((record) => ({ kind: 'oob' as const, record })),
      ...(await tenantAgent.connections.getAll()).map((record) => ({ kind: 'connection' as const, record })),
      ...(await tenantAgent.credentials.getAll()).map((record) => ({ kind: 'credential' as const, record })),
      ...(await tenantAgent.proofs.getAll()).map((record) => ({ kind: 'proof' as const, record })),
      ...(await tenantAgent.basicMessages.findAllByQuery({ role: BasicMessageRole.Receiver })).map((record) => ({ kind: 'basicmessage' as const, record })),
    ])
    const missed = records
      .filter(({ kind, record }) => {
        const state = kind === 'basicmessage' ? 'received' : (record as { state: string }).state
        return changedSince(record, since) && marks.get(`${kind} ${record.id}`) !== state
      })
      // In the order they changed, as Credo would have reported them.
      .sort((a, b) => +(a.record.updatedAt ?? a.record.createdAt) - +(b.record.updatedAt ?? b.record.createdAt))
    for (const record of missed) bridge.replay(walletId, record)
    replayed += missed.length
    replayed += await replayRevocationRecords(deps, walletId, marks)
  }
  deps.logger.info({ since: since.toISOString(), replayed }, 'events the last run did not get to the outbox were recovered')
  return replayed
}

/** The wallet's revocation records and registries whose last state the outbox missed, published again. */
async function replayRevocationRecords(deps: { events: TenantEventBus; revocation: RevocationService; since: Date }, walletId: string, marks: Map<string, string>): Promise<number> {
  const recent = (at: string) => new Date(at) >= deps.since
  let replayed = 0
  for (const registry of await deps.revocation.registries(walletId)) {
    if (!recent(registry.updatedAt) || marks.get(`rev-reg ${registry.revRegId}`) === registry.state) continue
    deps.events.recordChanged(walletId, { kind: 'revocation-registry', registry })
    replayed++
  }
  for (const record of await deps.revocation.issued(walletId)) {
    const state = revocationMarkState(record)
    if (state === 'taken' || !recent(record.updatedAt) || marks.get(`issuer-cred-rev ${record.recordId}`) === state) continue
    deps.events.recordChanged(walletId, { kind: 'issued-credential-revocation', record })
    replayed++
  }
  return replayed
}
