// A throwaway PostgreSQL database per test run, on the loopback server scripts/ensure-postgres.sh
// provides. Askar creates the database on first start; the test drops it at the end.
import { randomBytes } from 'node:crypto'
import { Client } from 'pg'

export const POSTGRES_ADMIN_URL =
  process.env.CREDENCE_TEST_POSTGRES_URL ?? 'postgres://credence:credence@127.0.0.1:54329/postgres'

export function throwawayDatabaseUrl(): string {
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/credence_test_${randomBytes(6).toString('hex')}`
  return url.toString()
}

async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const databaseName = (databaseUrl: string) => decodeURIComponent(new URL(databaseUrl).pathname.slice(1))

export function databaseExists(databaseUrl: string): Promise<boolean> {
  return withAdminClient(async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName(databaseUrl)])
    return result.rowCount === 1
  })
}

export function dropDatabase(databaseUrl: string): Promise<void> {
  return withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${databaseName(databaseUrl).replace(/"/g, '')}" WITH (FORCE)`)
  })
}

export function createDatabase(databaseUrl: string): Promise<void> {
  return withAdminClient(async (client) => {
    await client.query(`CREATE DATABASE "${databaseName(databaseUrl).replace(/"/g, '')}"`)
  })
}
