// The two storage backends every server-level test runs against.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { sqliteStorePath } from '../../src/agent/createAgent'
import { loadConfig } from '../../src/config'
import { databaseExists, dropDatabase, throwawayDatabaseUrl } from './postgres'

export interface Backend {
  name: string
  env(dataDir: string): Record<string, string>
  baseWalletExists(env: Record<string, string>): Promise<boolean>
  cleanup(env: Record<string, string>): Promise<void>
}

export const sqlite: Backend = {
  name: 'SQLite',
  env: (dataDir) => ({ CREDENCE_DATA_DIR: dataDir }),
  baseWalletExists: async (env) => fs.existsSync(sqliteStorePath(loadConfig(env))),
  cleanup: async () => {},
}

export const postgres: Backend = {
  name: 'PostgreSQL',
  // A small pool: PostgreSQL's default limit of 100 clients is shared by everything on the machine.
  env: (dataDir) => ({ CREDENCE_DATA_DIR: dataDir, CREDENCE_DATABASE_URL: throwawayDatabaseUrl(), CREDENCE_DB_MAX_CONNECTIONS: '5' }),
  baseWalletExists: (env) => databaseExists(env.CREDENCE_DATABASE_URL),
  cleanup: (env) => dropDatabase(env.CREDENCE_DATABASE_URL),
}

export const BACKENDS = [sqlite, postgres]

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'credence-test-'))
}

export function adminKeyOf(env: Record<string, string>): string {
  return fs.readFileSync(path.join(env.CREDENCE_DATA_DIR, 'secrets', 'admin-api-key'), 'utf8').trim()
}
