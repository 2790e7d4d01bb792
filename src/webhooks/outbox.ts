// Durable webhook delivery. Every tenant event is written to the outbox as one row per target
// before anyone is told of it; a worker posts due rows, deletes them once a target answers 2xx and
// otherwise retries with doubling delays. Rows survive restarts (they are in the relational
// store), and a target gets its rows strictly in order: a failing row holds back the later rows
// of that target only. Rows are claimed with a short lease, so two processes sharing a database
// do not post the same row at once.
import type { AppLogger } from '../logger'
import type { TenantEvent } from '../events/tenantEvents'
import type { Store } from '../store/db'
import { formatDelivery } from './formats'
import { parseWebhookTarget, signDelivery, signingSecret, type TargetScope } from './targets'

const TICK_MS = 250
const LEASE_MS = 30_000
const REQUEST_TIMEOUT_MS = 10_000
const MAX_DELAY_MS = 5 * 60_000
const BATCH = 500

interface OutboxRow extends Record<string, unknown> {
  id: number | string
  wallet_id: string
  scope: TargetScope
  target: string
  topic: string
  body: string
  attempts: number
  next_attempt_at: string
}

export interface OutboxDeps {
  store: Store
  logger: AppLogger
  hmacSecret: string
  /** Label sent as `origin` in envelopes. */
  origin: string
  retryMs: number
  maxAttempts: number
  /** The targets of a wallet's events, by scope, after its dispatch type. */
  targetsOf(walletId: string): Promise<{ scope: TargetScope; target: string }[]>
}

export function webhookOutbox(deps: OutboxDeps) {
  const { store, logger, hmacSecret } = deps
  const log = logger.child({ component: 'webhooks' })
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = true

  async function enqueue(event: TenantEvent): Promise<void> {
    const targets = await deps.targetsOf(event.walletId)
    if (targets.length === 0) return
    const now = new Date().toISOString()
    const body = JSON.stringify(event.payload)
    await store.transaction(async (tx) => {
      for (const { scope, target } of targets) {
        await tx.run(
          'INSERT INTO webhook_outbox (wallet_id, scope, target, topic, body, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)',
          [event.walletId, scope, target, event.topic, body, now, now],
        )
      }
    })
    kick()
  }

  async function post(row: OutboxRow): Promise<void> {
    const target = parseWebhookTarget(row.target)
    const { url, body } = formatDelivery(target, row.wallet_id, row.topic, JSON.parse(row.body), deps.origin)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-wallet-id': row.wallet_id,
      'x-credence-delivery': String(row.id),
      'x-credence-timestamp': timestamp,
      'x-credence-signature': signDelivery(signingSecret(hmacSecret, row.scope, row.wallet_id, target.url), timestamp, body),
    }
    if (target.apiKey) headers['x-api-key'] = target.apiKey
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    await response.arrayBuffer().catch(() => undefined)
    if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  }

  /** Posts the due rows of one target in order; stops at the first row that is not due or fails. */
  async function deliverTarget(rows: OutboxRow[]): Promise<void> {
    for (const row of rows) {
      const now = Date.now()
      if (row.next_attempt_at > new Date(now).toISOString()) return
      const lease = new Date(now + LEASE_MS).toISOString()
      const claimed = await store.run('UPDATE webhook_outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ?', [
        lease,
        row.id,
        row.next_attempt_at,
      ])
      if (claimed.changes === 0) return
      try {
        await post(row)
        await store.run('DELETE FROM webhook_outbox WHERE id = ?', [row.id])
      } catch (error) {
        const attempts = Number(row.attempts) + 1
        const delay = Math.min(deps.retryMs * 2 ** (attempts - 1), MAX_DELAY_MS)
        const message = (error as Error).message
        await store.run('UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?', [
          attempts,
          new Date(Date.now() + delay).toISOString(),
          message.slice(0, 500),
          row.id,
        ])
        const level = attempts >= deps.maxAttempts ? 'error' : 'warn'
        log[level]({ delivery: row.id, topic: row.topic, attempts, error: message }, attempts >= deps.maxAttempts ? 'webhook given up' : 'webhook delivery failed; will retry')
        return
      }
    }
  }

  async function tick(): Promise<void> {
    const rows = await store.all<OutboxRow>('SELECT * FROM webhook_outbox WHERE attempts < ? ORDER BY id LIMIT ?', [
      deps.maxAttempts,
      BATCH,
    ])
    const byTarget = new Map<string, OutboxRow[]>()
    for (const row of rows) {
      const key = `${row.scope} ${row.wallet_id} ${row.target}`
      byTarget.set(key, [...(byTarget.get(key) ?? []), row])
    }
    await Promise.all([...byTarget.values()].map((targetRows) => deliverTarget(targetRows)))
  }

  function schedule(delay: number) {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(run, delay)
  }

  function run() {
    if (running || stopped) return
    running = tick()
      .catch((error) => log.error({ err: error }, 'webhook outbox pass failed'))
      .finally(() => {
        running = undefined
        schedule(TICK_MS)
      })
  }

  function kick() {
    if (!running) schedule(0)
  }

  return {
    enqueue,
    start() {
      stopped = false
      schedule(0)
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

export type WebhookOutbox = ReturnType<typeof webhookOutbox>
