// The relational store on both dialects: migrations are idempotent and safe when two processes
// boot at once, unique violations name the column, and a failed transaction leaves nothing.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

import { openPostgresStore, openSqliteStore, UniqueViolation, type Store } from '../src/store/db'
import { migrate } from '../src/store/migrations'
import { tempDataDir } from './helpers/backends'
import { createDatabase, dropDatabase, throwawayDatabaseUrl } from './helpers/postgres'

const pgUrl = throwawayDatabaseUrl()

let pgDatabase: Promise<void> | undefined
/** In the server Askar creates the database; here the test does, once. */
const createPgDatabase = () => (pgDatabase ??= createDatabase(pgUrl))

const sqliteFile = path.join(tempDataDir(), 'store.sqlite')

// SQLite serves one process (as Askar's SQLite store does), so only PostgreSQL boots two at once.
const dialects: { name: string; open: () => Promise<Store>; concurrentBoots: boolean }[] = [
  { name: 'SQLite', open: async () => openSqliteStore(sqliteFile), concurrentBoots: false },
  {
    name: 'PostgreSQL',
    open: async () => {
      await createPgDatabase()
      return openPostgresStore(pgUrl, 5)
    },
    concurrentBoots: true,
  },
]

afterAll(() => dropDatabase(pgUrl))

describe.each(dialects)('relational store on $name', ({ open, concurrentBoots }) => {
  it('migrates once, also when two stores boot at the same time where that is supported', async () => {
    if (concurrentBoots) {
      const [first, second] = await Promise.all([open(), open()])
      const [ranA, ranB] = await Promise.all([migrate(first), migrate(second)])
      expect([...ranA, ...ranB].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
      expect(await migrate(first)).toEqual([])
      await Promise.all([first.close(), second.close()])
    } else {
      const store = await open()
      expect(await migrate(store)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
      expect(await migrate(store)).toEqual([])
      await store.close()
    }
  })

  it('names the column of a unique violation and rolls back a failed transaction', async () => {
    const store = await open()
    await migrate(store)
    const insert = (tx: Pick<Store, 'run'>, id: string, name: string) =>
      tx.run(
        `INSERT INTO wallets (wallet_id, wallet_name, key_management_mode, wallet_type, webhook_urls, dispatch_type,
           extra_settings, created_at, updated_at) VALUES (?, ?, 'managed', 'askar', '[]', 'base', '{}', 'now', 'now')`,
        [id, name],
      )
    const suffix = Math.random().toString(36).slice(2)
    await insert(store, `w1-${suffix}`, `name-${suffix}`)
    const duplicate = await insert(store, `w2-${suffix}`, `name-${suffix}`).catch((error) => error)
    expect(duplicate).toBeInstanceOf(UniqueViolation)
    expect(duplicate.column).toBe('wallet_name')

    const failed = await store
      .transaction(async (tx) => {
        await insert(tx, `w3-${suffix}`, `other-${suffix}`)
        throw new Error('boom')
      })
      .catch((error) => error)
    expect(failed.message).toBe('boom')
    expect(await store.get('SELECT wallet_id FROM wallets WHERE wallet_id = ?', [`w3-${suffix}`])).toBeUndefined()
    await store.close()
  })
})
