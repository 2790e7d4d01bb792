// The relational store: rows Credo's Askar store does not hold well (wallet settings, API keys,
// later invitations, request records, the webhook outbox). SQLite (WASM build, no native compile)
// in the data dir by default; PostgreSQL, in a `credence` schema of the Askar database, when
// CREDENCE_DATABASE_URL is set. SQL is written once with `?` placeholders.
import { Database as SqliteDatabase } from 'node-sqlite3-wasm'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'

export type Row = Record<string, unknown>
export type Param = string | number | boolean | null

export interface Db {
  readonly dialect: 'sqlite' | 'postgres'
  all<T extends Row = Row>(sql: string, params?: Param[]): Promise<T[]>
  get<T extends Row = Row>(sql: string, params?: Param[]): Promise<T | undefined>
  run(sql: string, params?: Param[]): Promise<{ changes: number }>
  /** Runs `fn` in one transaction: everything or nothing. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>
}

export interface Store extends Db {
  close(): Promise<void>
}

/** A unique constraint refused a write; `column` names the conflicting field. */
export class UniqueViolation extends Error {
  constructor(public readonly column: string) {
    super(`unique constraint on ${column}`)
    this.name = 'UniqueViolation'
  }
}

// ---- SQLite ------------------------------------------------------------------------------------

/** Serializes access: one connection, and a transaction spans awaits. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

function sqliteError(error: unknown): unknown {
  // "UNIQUE constraint failed: api_keys.wallet_id, api_keys.name": the last column is the one named.
  const match = error instanceof Error && /UNIQUE constraint failed: (.+)$/.exec(error.message)
  return match ? new UniqueViolation(match[1].split(',').pop()!.trim().split('.').pop()!) : error
}

function sqliteOps(db: SqliteDatabase): Omit<Db, 'transaction'> {
  const wrap = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn())
    } catch (error) {
      return Promise.reject(sqliteError(error))
    }
  }
  return {
    dialect: 'sqlite',
    all: <T extends Row>(sql: string, params: Param[] = []) => wrap(() => db.all(sql, params) as T[]),
    get: <T extends Row>(sql: string, params: Param[] = []) => wrap(() => (db.get(sql, params) ?? undefined) as T | undefined),
    run: (sql: string, params: Param[] = []) => wrap(() => ({ changes: db.run(sql, params).changes })),
  }
}

export function openSqliteStore(file: string): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const db = new SqliteDatabase(file)
  // One process owns the data directory (dataDirLock.ts), so the file is locked once for the
  // process's life rather than with a lock folder made and removed at every transaction, and
  // commits go to a write-ahead log (one sync each) rather than a rollback journal (several, plus
  // creating and deleting the journal). The binding has no shared memory for the WAL index, which
  // SQLite allows in exclusive locking mode only; a file in WAL mode opens that way too.
  db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;')
  const mutex = new Mutex()
  const ops = sqliteOps(db)
  const store: Store = {
    dialect: 'sqlite',
    all: (sql, params) => mutex.run(() => ops.all(sql, params)),
    get: (sql, params) => mutex.run(() => ops.get(sql, params)),
    run: (sql, params) => mutex.run(() => ops.run(sql, params)),
    transaction: (fn) =>
      mutex.run(async () => {
        db.exec('BEGIN IMMEDIATE')
        const tx: Db = { ...ops, transaction: (inner) => inner(tx) }
        try {
          const result = await fn(tx)
          db.exec('COMMIT')
          return result
        } catch (error) {
          db.exec('ROLLBACK')
          throw error
        }
      }),
    close: async () => mutex.run(async () => db.close()),
  }
  return store
}

// ---- PostgreSQL --------------------------------------------------------------------------------

const toPositional = (sql: string) => {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

function postgresError(error: unknown): unknown {
  const pgError = error as { code?: string; constraint?: string; detail?: string }
  if (pgError.code === '23505') {
    const column = /Key \(([^)]+)\)/.exec(pgError.detail ?? '')?.[1]?.split(',').pop()?.trim()
    return new UniqueViolation(column ?? pgError.constraint ?? 'unknown')
  }
  return error
}

function postgresOps(client: pg.Pool | pg.PoolClient): Omit<Db, 'transaction'> {
  const query = async <T extends Row>(sql: string, params: Param[] = []) => {
    try {
      return await client.query<T>(toPositional(sql), params)
    } catch (error) {
      throw postgresError(error)
    }
  }
  return {
    dialect: 'postgres',
    all: async (sql, params) => (await query(sql, params)).rows as never,
    get: async (sql, params) => (await query(sql, params)).rows[0] as never,
    run: async (sql, params) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  }
}

export async function openPostgresStore(databaseUrl: string, maxConnections: number, onPoolError?: (error: Error) => void): Promise<Store> {
  // Our tables live in their own schema beside Askar's, in the database they share.
  const setup = new pg.Client({ connectionString: databaseUrl })
  await setup.connect()
  try {
    await setup.query('CREATE SCHEMA IF NOT EXISTS credence')
  } catch (error) {
    // Two processes booting at once race inside CREATE SCHEMA IF NOT EXISTS; the loser sees the
    // winner's schema as a unique violation, which means the schema is there.
    if ((error as { code?: string }).code !== '23505') throw error
  } finally {
    await setup.end()
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, options: '-c search_path=credence' })
  // An idle client that loses its connection (server restart, failover) is reported here; without a
  // listener pg-pool's 'error' event would crash the process. The pool replaces the client.
  pool.on('error', (error) => onPoolError?.(error))
  const ops = postgresOps(pool)
  return {
    ...ops,
    transaction: async (fn) => {
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        const txOps = postgresOps(client)
        const tx: Db = { ...txOps, transaction: (inner) => inner(tx) }
        const result = await fn(tx)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError
        })
        throw error
      } finally {
        // A client whose rollback failed is in an unknown state: destroy it rather than reuse it.
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
}
