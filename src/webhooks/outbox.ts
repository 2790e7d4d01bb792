// Durable webhook delivery. Every tenant event is written to the outbox as one row per target
// before anyone is told of it; each target (a wallet's URL, or a base URL for one wallet) has its
// own worker that posts its rows strictly in order, moves a row to the delivery log once the target
// answers 2xx (deliveryLog.ts; pruned from this timer) and otherwise retries it with doubling
// delays until it is given up (kept, as failed, for the log and redelivery). A slow or dead target
// holds back only its own rows.
// Rows survive restarts (they are in the relational store); a row whose target is no longer
// configured for the wallet (URL removed, key changed, wallet deleted) is dropped, not posted.
// On a shared PostgreSQL store rows are claimed with a lease, so two processes do not post the same row.
import type { AppLogger } from '../logger'
import type { TenantEvent } from '../events/tenantEvents'
import type { Store } from '../store/db'
import { eventIdOf, webhookDeliveryLog, type WebhookDeliveries } from './deliveryLog'
import { formatDelivery } from './formats'
import { parseWebhookTarget, signDelivery, signingSecret, type TargetScope } from './targets'

const TICK_MS = 250
const LEASE_MS = 30_000
const REQUEST_TIMEOUT_MS = 10_000
const MAX_DELAY_MS = 5 * 60_000
/** Delivered rows past their retention go at most this often, not per delivery. */
const PRUNE_EVERY_MS = 60_000

interface OutboxRow extends Record<string, unknown> {
  id: number | string
  wallet_id: string
  scope: TargetScope
  target: string
  topic: string
  body: string
  attempts: number
  next_attempt_at: string
  event_id: string | null
}


export interface OutboxDeps {
  store: Store
  logger: AppLogger
  hmacSecret: string
  /** Label sent as `origin` in envelopes. */
  origin: string
  retryMs: number
  maxAttempts: number
  /** Hours delivered rows stay in the delivery log; 0 keeps none. */
  logHours: number
  /** The targets of a wallet's events, by scope, after its dispatch type. */
  targetsOf(walletId: string): Promise<{ scope: TargetScope; target: string }[]>
}

const targetKey = (row: Pick<OutboxRow, 'scope' | 'wallet_id' | 'target'>) => `${row.scope} ${row.wallet_id} ${row.target}`

export function webhookOutbox(deps: OutboxDeps) {
  const { store, logger, hmacSecret } = deps
  const log = logger.child({ component: 'webhooks' })
  const workers = new Map<string, Promise<void>>()
  // Only a shared PostgreSQL store can have another process draining the same rows. A SQLite
  // store belongs to this process, whose one worker per target already keeps rows apart, so it
  // skips the lease: one commit (and its fsync, on the event loop) less per delivery.
  const leased = store.dialect === 'postgres'
  let aborter = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let scanning: Promise<void> | undefined
  // A row enqueued while a scan runs may be too late for that scan's query: scan again at once
  // rather than a tick later (a tick is most of a webhook's latency otherwise).
  let rescan = false
  let stopped = true
  let prunedAt = 0
  const deliveries = webhookDeliveryLog({
    store,
    maxAttempts: deps.maxAttempts,
    retentionHours: deps.logHours,
    targetsOf: deps.targetsOf,
    kick,
  })

  async function enqueue(event: TenantEvent): Promise<void> {
    const targets = await deps.targetsOf(event.walletId)
    if (targets.length === 0) return
    const now = new Date().toISOString()
    const body = JSON.stringify(event.payload)
    await store.transaction(async (tx) => {
      for (const { scope, target } of targets) {
        await tx.run(
          'INSERT INTO webhook_outbox (wallet_id, scope, target, topic, body, attempts, next_attempt_at, created_at, event_id) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)',
          [event.walletId, scope, target, event.topic, body, now, now, event.id],
        )
      }
      // In the same commit as the rows: a state is either queued and marked, or neither.
      const { mark } = event
      if (mark) {
        await tx.run(
          `INSERT INTO event_marks (wallet_id, record_kind, record_id, state) VALUES (?, ?, ?, ?)
           ON CONFLICT (wallet_id, record_kind, record_id) DO UPDATE SET state = excluded.state`,
          [event.walletId, mark.kind, mark.recordId, mark.state],
        )
      }
    })
    kick()
  }

  async function post(row: OutboxRow): Promise<void> {
    const target = parseWebhookTarget(row.target)
    const eventId = eventIdOf(row)
    const { url, body } = formatDelivery(target, { walletId: row.wallet_id, topic: row.topic, eventId, payload: JSON.parse(row.body) }, deps.origin)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-wallet-id': row.wallet_id,
      'x-credence-event-id': eventId,
      'x-credence-delivery': String(row.id),
      'x-credence-timestamp': timestamp,
      'x-credence-signature': signDelivery(signingSecret(hmacSecret, row.scope, row.wallet_id, target.url), timestamp, body),
    }
    if (target.apiKey) headers['x-api-key'] = target.apiKey
    const signal = AbortSignal.any([aborter.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
    const response = await fetch(url, { method: 'POST', headers, body, signal })
    await response.arrayBuffer().catch(() => undefined)
    if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  }

  /** Posts one target's rows in order until none is due; a failure leaves the rest waiting behind it. */
  async function drainTarget(head: OutboxRow): Promise<void> {
    // Looked up once per pass: a target removed meanwhile has its rows dropped, not posted.
    const configured = (await deps.targetsOf(head.wallet_id)).some(({ scope, target }) => scope === head.scope && target === head.target)
    for (let row: OutboxRow | undefined = head; row && !stopped; ) {
      const now = new Date().toISOString()
      if (row.next_attempt_at > now) return
      if (leased) {
        const claimed = await store.run('UPDATE webhook_outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ?', [
          new Date(Date.now() + LEASE_MS).toISOString(),
          row.id,
          row.next_attempt_at,
        ])
        if (claimed.changes === 0) return
      }
      if (!configured) {
        await store.run('DELETE FROM webhook_outbox WHERE id = ?', [row.id])
      } else {
        try {
          await post(row)
          await deliveries.delivered(row.id)
        } catch (error) {
          // Stopped mid-post: not the target's fault; the row is due again at the next start.
          if (aborter.signal.aborted) {
            await store.run('UPDATE webhook_outbox SET next_attempt_at = ? WHERE id = ?', [row.next_attempt_at, row.id])
            return
          }
          await recordFailure(row, error as Error)
          return
        }
      }
      row = await store.get<OutboxRow>(
        'SELECT * FROM webhook_outbox WHERE scope = ? AND wallet_id = ? AND target = ? AND attempts < ? ORDER BY id LIMIT 1',
        [head.scope, head.wallet_id, head.target, deps.maxAttempts],
      )
    }
  }

  async function recordFailure(row: OutboxRow, error: Error) {
    const attempts = Number(row.attempts) + 1
    const delay = Math.min(deps.retryMs * 2 ** (attempts - 1), MAX_DELAY_MS)
    await store.run('UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?', [
      attempts,
      new Date(Date.now() + delay).toISOString(),
      error.message.slice(0, 500),
      row.id,
    ])
    const givenUp = attempts >= deps.maxAttempts
    log[givenUp ? 'error' : 'warn'](
      { delivery: row.id, walletId: row.wallet_id, topic: row.topic, attempts, error: error.message },
      givenUp ? 'webhook given up' : 'webhook delivery failed; will retry',
    )
  }

  /** Starts a worker for every target whose oldest pending row is due and that has none running. */
  async function scan(): Promise<void> {
    if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = Date.now()
      await deliveries.prune().catch((error) => log.error({ err: error }, 'webhook delivery log prune failed'))
    }
    const heads = await store.all<OutboxRow>(
      `SELECT * FROM webhook_outbox WHERE id IN (
         SELECT MIN(id) FROM webhook_outbox WHERE attempts < ? GROUP BY scope, wallet_id, target)`,
      [deps.maxAttempts],
    )
    const now = new Date().toISOString()
    for (const head of heads) {
      const key = targetKey(head)
      if (workers.has(key) || head.next_attempt_at > now) continue
      const worker = drainTarget(head)
        .catch((error) => log.error({ err: error }, 'webhook worker failed'))
        .finally(() => {
          workers.delete(key)
          kick()
        })
      workers.set(key, worker)
    }
  }

  function schedule(delay: number) {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(run, delay)
  }

  function run() {
    if (scanning || stopped) return
    rescan = false
    scanning = scan()
      .catch((error) => log.error({ err: error }, 'webhook outbox scan failed'))
      .finally(() => {
        scanning = undefined
        schedule(rescan ? 0 : TICK_MS)
      })
  }

  function kick() {
    if (scanning) rescan = true
    else schedule(0)
  }

  return {
    enqueue,
    /** The delivery log and redelivery, for operators. */
    deliveries: { list: deliveries.list, redeliver: deliveries.redeliver } satisfies WebhookDeliveries,
    start() {
      stopped = false
      aborter = new AbortController()
      schedule(0)
    },
    /** Stops scanning and aborts posts in flight; their rows stay in the outbox for the next start. */
    async stop() {
      stopped = true
      clearTimeout(timer)
      aborter.abort()
      await scanning
      await Promise.all(workers.values())
    },
  }
}

export type WebhookOutbox = ReturnType<typeof webhookOutbox>
