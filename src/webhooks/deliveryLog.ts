// The webhook delivery log, for operators: what the outbox still holds for a wallet (pending, or
// failed once given up) and what it delivered within CREDENCE_WEBHOOK_LOG_HOURS, and redelivery of
// either. A delivered row moves from webhook_outbox to webhook_deliveries under the same id, in the
// transaction that deletes it, so an id names one delivery in either table. Items show a target's
// URL and format, never the rest of its string: the `#…` part may hold the target's API key.
import { conflict, notFoundError } from '../errors'
import type { Param, Store } from '../store/db'
import { parseWebhookTarget, type TargetScope, type WebhookFormat } from './targets'

const HOUR_MS = 3_600_000

/** The id a row's event goes out under: rows queued before events had ids use their row id. */
export const eventIdOf = (row: { id: number | string; event_id?: string | null }) => row.event_id ?? `delivery-${row.id}`

export type DeliveryState = 'pending' | 'failed' | 'delivered'

export interface DeliveryItem {
  delivery_id: number
  wallet_id: string
  scope: TargetScope
  target_url: string
  format: WebhookFormat
  topic: string
  state: DeliveryState
  /** Posts made so far (for a delivered row, including the one that succeeded). */
  attempts: number
  last_error: string | null
  created_at: string
  delivered_at: string | null
  /** The event's id, the same on every delivery of it (header x-credence-event-id). */
  event_id: string
  /** When the outbox posts it next; null once delivered or given up. */
  next_attempt_at: string | null
  payload: unknown
}

export interface DeliveryQuery {
  walletId: string
  state?: DeliveryState
  topic?: string
  limit: number
}

/** A row of either table, as the union below reads it. */
interface LogRow extends Record<string, unknown> {
  id: number | string
  wallet_id: string
  scope: TargetScope
  target: string
  topic: string
  body: string
  attempts: number | string
  last_error: string | null
  created_at: string
  next_attempt_at: string | null
  delivered_at: string | null
  event_id: string | null
}

export interface DeliveryLogDeps {
  store: Store
  maxAttempts: number
  /** Hours a delivered row is kept; 0 keeps none. */
  retentionHours: number
  targetsOf(walletId: string): Promise<{ scope: TargetScope; target: string }[]>
  /** Tells the outbox that a row is due now. */
  kick(): void
}

const COLUMNS = 'id, wallet_id, scope, target, topic, body, attempts, last_error, created_at, event_id'
// Each table's part is limited on its own (so each uses its index), and both are read in one
// statement: a row moving between them meanwhile is seen once, not twice or never.
const QUEUED = `SELECT ${COLUMNS}, next_attempt_at, NULL AS delivered_at FROM webhook_outbox`
const DELIVERED = `SELECT ${COLUMNS}, NULL AS next_attempt_at, delivered_at FROM webhook_deliveries`

export function webhookDeliveryLog(deps: DeliveryLogDeps) {
  const { store, maxAttempts } = deps

  function toItem(row: LogRow): DeliveryItem {
    const { url, format } = parseWebhookTarget(row.target)
    const attempts = Number(row.attempts)
    const state: DeliveryState = row.delivered_at ? 'delivered' : attempts >= maxAttempts ? 'failed' : 'pending'
    return {
      delivery_id: Number(row.id),
      wallet_id: row.wallet_id,
      scope: row.scope,
      target_url: url,
      format,
      topic: row.topic,
      state,
      attempts,
      last_error: row.last_error ?? null,
      created_at: row.created_at,
      delivered_at: row.delivered_at ?? null,
      event_id: eventIdOf(row),
      next_attempt_at: state === 'pending' ? row.next_attempt_at : null,
      payload: JSON.parse(row.body),
    }
  }

  const find = (id: number) =>
    store.get<LogRow>(`SELECT * FROM (${QUEUED} WHERE id = ?) q UNION ALL SELECT * FROM (${DELIVERED} WHERE id = ?) d`, [id, id])

  /** The outbox would drop a row whose target the wallet no longer has; redelivering it would too. */
  async function ensureConfigured(row: LogRow): Promise<void> {
    const targets = await deps.targetsOf(row.wallet_id)
    if (!targets.some(({ scope, target }) => scope === row.scope && target === row.target)) {
      throw conflict('delivery_id', `The target of delivery ${row.id} is no longer one of wallet ${row.wallet_id}'s webhook targets`)
    }
  }

  return {
    /**
     * A posted row leaves the outbox, into the log when one is kept: one transaction, one commit.
     * ON CONFLICT: two processes that both posted a row (a lease ran out mid-post) log it once.
     */
    async delivered(id: number | string): Promise<void> {
      if (deps.retentionHours === 0) {
        await store.run('DELETE FROM webhook_outbox WHERE id = ?', [id])
        return
      }
      await store.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO webhook_deliveries (${COLUMNS}, delivered_at)
           SELECT id, wallet_id, scope, target, topic, body, attempts + 1, last_error, created_at, event_id, ? FROM webhook_outbox WHERE id = ?
           ON CONFLICT (id) DO NOTHING`,
          [new Date().toISOString(), id],
        )
        await tx.run('DELETE FROM webhook_outbox WHERE id = ?', [id])
      })
    },

    /** Drops delivered rows older than the retention (all of them when it is 0). */
    async prune(): Promise<void> {
      const cutoff = new Date(Date.now() - deps.retentionHours * HOUR_MS).toISOString()
      await store.run('DELETE FROM webhook_deliveries WHERE delivered_at < ?', [cutoff])
    },

    /** A wallet's deliveries, newest first (ids grow in the order rows were queued). */
    async list({ walletId, state, topic, limit }: DeliveryQuery): Promise<DeliveryItem[]> {
      const where = (extra: string) => ` WHERE wallet_id = ?${extra}${topic === undefined ? '' : ' AND topic = ?'} ORDER BY id DESC LIMIT ?`
      const params = (...more: Param[]): Param[] => [walletId, ...more, ...(topic === undefined ? [] : [topic]), limit]
      const parts: { sql: string; params: Param[] }[] = []
      if (state !== 'delivered') {
        const attempts = state === 'pending' ? ' AND attempts < ?' : state === 'failed' ? ' AND attempts >= ?' : ''
        parts.push({ sql: QUEUED + where(attempts), params: params(...(attempts ? [maxAttempts] : [])) })
      }
      if (state === undefined || state === 'delivered') parts.push({ sql: DELIVERED + where(''), params: params() })
      const rows = await store.all<LogRow>(
        `${parts.map((part, i) => `SELECT * FROM (${part.sql}) p${i}`).join(' UNION ALL ')} ORDER BY id DESC LIMIT ?`,
        [...parts.flatMap((part) => part.params), limit],
      )
      return rows.map(toItem)
    },

    /**
     * Posts a delivery again, as soon as the outbox gets to it: a queued row (pending or given up)
     * starts over with its attempts at 0, due now, its last error kept until the next attempt; a
     * delivered one is queued again as a new row (a new id) at the end of its target's queue.
     */
    async redeliver(id: number): Promise<DeliveryItem> {
      // A queued row may be delivered (and move to the log) between reading it and resetting it;
      // it is then found again in the log and queued anew.
      for (let tries = 0; tries < 2; tries++) {
        const row = await find(id)
        if (!row) break
        await ensureConfigured(row)
        const now = new Date().toISOString()
        // The item is made from what was written, not read back: the outbox may post the row (and,
        // with no log kept, delete it) before a read.
        let queued: LogRow | undefined
        if (!row.delivered_at) {
          const reset = await store.run('UPDATE webhook_outbox SET attempts = 0, next_attempt_at = ? WHERE id = ?', [now, id])
          if (reset.changes > 0) queued = { ...row, attempts: 0, next_attempt_at: now }
        } else {
          const copy = await store.get<{ id: number | string }>(
            `INSERT INTO webhook_outbox (wallet_id, scope, target, topic, body, attempts, next_attempt_at, created_at, event_id)
             SELECT wallet_id, scope, target, topic, body, 0, ?, ?, COALESCE(event_id, ?) FROM webhook_deliveries WHERE id = ? RETURNING id`,
            [now, now, eventIdOf(row), id],
          )
          if (copy) queued = { ...row, id: copy.id, attempts: 0, last_error: null, created_at: now, next_attempt_at: now, delivered_at: null }
        }
        if (!queued) continue
        deps.kick()
        return toItem(queued)
      }
      throw notFoundError(`No webhook delivery ${id}`)
    },
  }
}

export type WebhookDeliveryLog = ReturnType<typeof webhookDeliveryLog>
/** What operators reach through the admin API; the outbox alone moves and prunes rows. */
export type WebhookDeliveries = Pick<WebhookDeliveryLog, 'list' | 'redeliver'>
