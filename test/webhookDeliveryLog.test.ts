// The webhook delivery log's SQL on both dialects, without a server: a delivered row moves from
// the outbox into the log under its id, the log lists both tables newest first with their states,
// redelivery resets a queued row or queues a copy of a delivered one, and pruning keeps the
// retention. (test/e2e/webhooks.e2e.test.ts drives the same through the admin API.)
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

import { openPostgresStore, openSqliteStore, type Store } from '../src/store/db'
import { migrate } from '../src/store/migrations'
import { webhookDeliveryLog } from '../src/webhooks/deliveryLog'
import { tempDataDir } from './helpers/backends'
import { createDatabase, dropDatabase, throwawayDatabaseUrl } from './helpers/postgres'

const pgUrl = throwawayDatabaseUrl()
afterAll(() => dropDatabase(pgUrl))

const dialects: { name: string; open: () => Promise<Store> }[] = [
  { name: 'SQLite', open: async () => openSqliteStore(path.join(tempDataDir(), 'store.sqlite')) },
  {
    name: 'PostgreSQL',
    open: async () => {
      await createDatabase(pgUrl)
      return openPostgresStore(pgUrl, 5)
    },
  },
]

const WALLET = '00000000-0000-4000-8000-00000000000a'
const OTHER_WALLET = '00000000-0000-4000-8000-00000000000b'
const TARGET = 'https://hooks.example/in#the-api-key'
const MAX_ATTEMPTS = 3

describe.each(dialects)('webhook delivery log on $name', ({ open }) => {
  let store: Store
  let kicks = 0
  let targets = [{ scope: 'wallet' as const, target: TARGET }]
  const logOf = (retentionHours: number) =>
    webhookDeliveryLog({ store, maxAttempts: MAX_ATTEMPTS, retentionHours, targetsOf: async () => targets, kick: () => kicks++ })

  async function queue(walletId: string, topic: string, payload: unknown, attempts = 0): Promise<number> {
    const now = new Date().toISOString()
    await store.run(
      'INSERT INTO webhook_outbox (wallet_id, scope, target, topic, body, attempts, next_attempt_at, last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [walletId, 'wallet', TARGET, topic, JSON.stringify(payload), attempts, now, attempts ? 'answered 500' : null, now],
    )
    const row = await store.get<{ id: number | string }>('SELECT MAX(id) AS id FROM webhook_outbox')
    return Number(row!.id)
  }

  it('moves a delivered row into the log and lists both tables newest first, never with the API key', async () => {
    store = await open()
    await migrate(store)
    const log = logOf(24)
    const delivered = await queue(WALLET, 'connections', { n: 1 }, 1)
    const failed = await queue(WALLET, 'out_of_band', { n: 2 }, MAX_ATTEMPTS)
    const pending = await queue(WALLET, 'connections', { n: 3 })
    await queue(OTHER_WALLET, 'connections', { n: 4 })
    await log.delivered(delivered)
    await log.delivered(delivered) // a second post of the same row logs it once
    expect(await store.get('SELECT id FROM webhook_outbox WHERE id = ?', [delivered])).toBeUndefined()

    const all = await log.list({ walletId: WALLET, limit: 50 })
    expect(all.map((item) => [item.delivery_id, item.state])).toEqual([
      [pending, 'pending'],
      [failed, 'failed'],
      [delivered, 'delivered'],
    ])
    expect(all[2]).toMatchObject({
      wallet_id: WALLET,
      scope: 'wallet',
      target_url: 'https://hooks.example/in',
      format: 'acapy',
      topic: 'connections',
      attempts: 2,
      last_error: 'answered 500',
      next_attempt_at: null,
      delivered_at: expect.any(String),
      payload: { n: 1 },
    })
    expect(all[1]).toMatchObject({ attempts: MAX_ATTEMPTS, next_attempt_at: null, delivered_at: null })
    expect(all[0]).toMatchObject({ attempts: 0, next_attempt_at: expect.any(String), last_error: null })
    expect(JSON.stringify(all)).not.toContain('the-api-key')

    expect((await log.list({ walletId: WALLET, state: 'failed', limit: 50 })).map((item) => item.delivery_id)).toEqual([failed])
    expect((await log.list({ walletId: WALLET, state: 'pending', limit: 50 })).map((item) => item.delivery_id)).toEqual([pending])
    expect((await log.list({ walletId: WALLET, state: 'delivered', limit: 50 })).map((item) => item.delivery_id)).toEqual([delivered])
    expect((await log.list({ walletId: WALLET, topic: 'connections', limit: 50 })).map((item) => item.delivery_id)).toEqual([pending, delivered])
    expect((await log.list({ walletId: WALLET, limit: 2 })).map((item) => item.delivery_id)).toEqual([pending, failed])
  })

  it('redelivers a given-up row in place and a delivered one as a new row; refuses unknown ids and removed targets', async () => {
    const log = logOf(24)
    const [failed] = await log.list({ walletId: WALLET, state: 'failed', limit: 1 })
    const [delivered] = await log.list({ walletId: WALLET, state: 'delivered', limit: 1 })
    const before = kicks

    const reset = await log.redeliver(failed.delivery_id)
    expect(reset).toMatchObject({ delivery_id: failed.delivery_id, state: 'pending', attempts: 0, last_error: 'answered 500', payload: failed.payload })
    const copy = await log.redeliver(delivered.delivery_id)
    expect(copy).toMatchObject({ state: 'pending', attempts: 0, last_error: null, delivered_at: null, payload: delivered.payload })
    expect(copy.delivery_id).toBeGreaterThan(delivered.delivery_id)
    expect(kicks).toBe(before + 2)
    const now = await log.list({ walletId: WALLET, limit: 50 })
    expect(now.find((item) => item.delivery_id === copy.delivery_id)?.state).toBe('pending')
    expect(now.find((item) => item.delivery_id === delivered.delivery_id)?.state).toBe('delivered')

    await expect(log.redeliver(9_999_999)).rejects.toMatchObject({ kind: 'not_found' })
    targets = []
    await expect(log.redeliver(failed.delivery_id)).rejects.toMatchObject({ kind: 'conflict', field: 'delivery_id' })
    targets = [{ scope: 'wallet', target: TARGET }]
  })

  it('prunes delivered rows past the retention, and keeps none with a retention of 0', async () => {
    const log = logOf(1)
    const old = await queue(WALLET, 'ping', { old: true })
    await log.delivered(old)
    await store.run('UPDATE webhook_deliveries SET delivered_at = ? WHERE id = ?', [new Date(Date.now() - 2 * 3_600_000).toISOString(), old])
    await log.prune()
    const delivered = await log.list({ walletId: WALLET, state: 'delivered', limit: 50 })
    expect(delivered.length).toBeGreaterThan(0)
    expect(delivered.map((item) => item.delivery_id)).not.toContain(old)

    const none = logOf(0)
    const gone = await queue(WALLET, 'ping', { gone: true })
    await none.delivered(gone)
    expect(await store.get('SELECT id FROM webhook_outbox WHERE id = ?', [gone])).toBeUndefined()
    await none.prune()
    expect(await none.list({ walletId: WALLET, state: 'delivered', limit: 50 })).toEqual([])
    await store.close()
  })
})
