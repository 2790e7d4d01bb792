// A throwaway PostgreSQL database per test run, on the loopback server scripts/ensure-postgres.sh
// provides. Askar creates the database on first start; the test drops it at the end.
import { randomBytes } from 'node:crypto'
import { Client } from 'pg'

export const POSTGRES_ADMIN_URL =
  process.env.CREDENCE_TEST_POSTGRES_URL ?? 'postgres://credence:credence@127.0.0.1:5432/postgres'

export function throwawayDatabaseUrl(): string {
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/credence_test_${randomBytes(6).toString('hex')}`
  return url.toString()
}

export async function databaseExists(databaseUrl: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL })
  await client.connect()
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    return result.rowCount === 1
  } finally {
    await client.end()
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`)
  } finally {
    await client.end()
  }
}
