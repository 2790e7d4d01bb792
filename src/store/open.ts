import path from 'node:path'

import pg from 'pg'

import type { Config } from '../config'
import type { AppLogger } from '../logger'
import { postgresDatabaseName } from '../config'
import { openPostgresStore, openSqliteStore, type Store } from './db'
import { migrate } from './migrations'

/**
 * The relational store for this configuration, migrated to the current schema. Opened first, before
 * the agent: on PostgreSQL the database (which Askar shares) is made here when it does not exist.
 */
export async function openRelationalStore(config: Config, logger: AppLogger): Promise<Store> {
  const store = config.databaseUrl
    ? await openPostgresStore(await ensurePostgresDatabase(config.databaseUrl), config.dbMaxConnections, (error) =>
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

/** PostgreSQL's error codes: no such database; CREATE DATABASE of a name that exists. */
const NO_SUCH_DATABASE = '3D000'
const DUPLICATE_DATABASE = '42P04'

/**
 * Makes the database when it is missing, as Askar would: from the `postgres` maintenance database,
 * with the same account, and only then (an account may be allowed its own database only). Returns
 * the database's URL.
 */
async function ensurePostgresDatabase(databaseUrl: string): Promise<string> {
  const url = postgresUrlWithDatabase(databaseUrl)
  const probe = new pg.Client({ connectionString: url })
  try {
    await probe.connect()
    await probe.end()
    return url
  } catch (error) {
    await probe.end().catch(() => undefined)
    if ((error as { code?: string }).code !== NO_SUCH_DATABASE) throw error
  }
  const maintenance = new URL(url)
  maintenance.pathname = '/postgres'
  const client = new pg.Client({ connectionString: maintenance.toString() })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE "${postgresDatabaseName(databaseUrl).replace(/"/g, '""')}"`)
  } catch (error) {
    if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error
  } finally {
    await client.end()
  }
  return url
}
