import path from 'node:path'

import type { Config } from '../config'
import { openPostgresStore, openSqliteStore, type Store } from './db'
import { migrate } from './migrations'

/** The relational store for this configuration, migrated to the current schema. */
export async function openRelationalStore(config: Config): Promise<Store> {
  const store = config.databaseUrl
    ? await openPostgresStore(config.databaseUrl, config.dbMaxConnections)
    : openSqliteStore(path.resolve(config.dataDir, 'credence.sqlite'))
  try {
    await migrate(store)
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}
