import path from 'node:path'

import type { Config } from '../config'
import type { AppLogger } from '../logger'
import { postgresDatabaseName } from '../config'
import { openPostgresStore, openSqliteStore, type Store } from './db'
import { migrate } from './migrations'

/** The relational store for this configuration, migrated to the current schema. */
export async function openRelationalStore(config: Config, logger: AppLogger): Promise<Store> {
  const store = config.databaseUrl
    ? await openPostgresStore(postgresUrlWithDatabase(config.databaseUrl), config.dbMaxConnections, (error) =>
        logger.warn({ err: error }, 'relational store: idle PostgreSQL connection lost'),
      )
    : openSqliteStore(path.resolve(config.dataDir, 'credence.sqlite'))
  try {
    await migrate(store)
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}

/** The same database Askar uses, also when the URL names none (see postgresDatabaseName). */
function postgresUrlWithDatabase(databaseUrl: string): string {
  const url = new URL(databaseUrl)
  url.pathname = `/${encodeURIComponent(postgresDatabaseName(databaseUrl))}`
  return url.toString()
}
