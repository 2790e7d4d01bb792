// The controller API's request records as rows of `controller_requests` (seed 003): the one place
// that knows their columns and SQL, for SQLite and PostgreSQL alike. What a record means and when
// it moves is the request-record service's (services/controllerRequests.ts).
import type { Db } from './db'

export type RequestKind = 'anoncreds-issuance' | 'jsonld-issuance' | 'anoncreds-verification' | 'jsonld-verification'

export interface RequestRecord {
  requestId: number
  walletId: string
  kind: RequestKind
  contactId: string | null
  invitationId: number | null
  rule: string
  timeout: number
  input: Record<string, unknown>
  metaData: Record<string, unknown> | null
  connectionId: string | null
  exchangeIds: string[]
  currentExchangeId: string | null
  /** The exchange's state in the seed's words (`offer_sent`); null before one started. */
  state: string | null
  complete: boolean
  result: boolean
  resultString: string
  resultData: unknown
  error: string
  createdAt: string
  updatedAt: string
}

/** A row as either database returns it: PostgreSQL's bigints and booleans-as-integers may come as strings. */
interface RequestRow extends Record<string, unknown> {
  request_id: number | string
  wallet_id: string
  kind: RequestKind
  contact_id: string | null
  invitation_id: number | string | null
  rule: string
  timeout: number | string
  input: string
  meta_data: string | null
  connection_id: string | null
  exchange_ids: string
  current_exchange_id: string | null
  state: string | null
  complete: number | string
  result: number | string
  result_string: string
  result_data: string | null
  error: string
  created_at: string
  updated_at: string
}

const fromRow = (row: RequestRow): RequestRecord => ({
  requestId: Number(row.request_id),
  walletId: row.wallet_id,
  kind: row.kind,
  contactId: row.contact_id,
  invitationId: row.invitation_id === null ? null : Number(row.invitation_id),
  rule: row.rule,
  timeout: Number(row.timeout),
  input: JSON.parse(row.input),
  metaData: row.meta_data === null ? null : JSON.parse(row.meta_data),
  connectionId: row.connection_id,
  exchangeIds: JSON.parse(row.exchange_ids),
  currentExchangeId: row.current_exchange_id,
  state: row.state,
  complete: Number(row.complete) === 1,
  result: Number(row.result) === 1,
  resultString: row.result_string,
  resultData: row.result_data === null ? null : JSON.parse(row.result_data),
  error: row.error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

const now = () => new Date().toISOString()

/** What a new record is kept with; it starts incomplete, with no exchange. */
export interface NewRequestRecord {
  walletId: string
  kind: RequestKind
  contactId: string | null
  invitationId: number | null
  rule: string
  timeout: number
  input: Record<string, unknown>
  metaData?: Record<string, unknown>
  resultString: string
}

/** How a record ends (or, standing, ends one exchange). */
export interface RequestEnding {
  complete: boolean
  result: boolean
  resultString: string
  error: string
  /** Null keeps the state it has. */
  state: string | null
  resultData?: unknown
}

export function requestRecords(db: Db) {
  const one = async (sql: string, params: Array<string | number | null>) => {
    const row = await db.get<RequestRow>(sql, params)
    return row && fromRow(row)
  }
  const many = async (sql: string, params: Array<string | number | null>) => (await db.all<RequestRow>(sql, params)).map(fromRow)

  return {
    get: (walletId: string, requestId: number) => one('SELECT * FROM controller_requests WHERE wallet_id = ? AND request_id = ?', [walletId, requestId]),

    /** The record whose current exchange this is (only an incomplete one with `openOnly`). */
    byCurrentExchange: (walletId: string, exchangeId: string, options: { openOnly?: boolean } = {}) =>
      one(`SELECT * FROM controller_requests WHERE wallet_id = ? AND current_exchange_id = ?${options.openOnly ? ' AND complete = 0' : ''}`, [walletId, exchangeId]),

    list: (walletId: string, kind: RequestKind) => many('SELECT * FROM controller_requests WHERE wallet_id = ? AND kind = ? ORDER BY request_id', [walletId, kind]),

    /** Incomplete records, of every wallet. */
    open: () => many('SELECT * FROM controller_requests WHERE complete = 0 ORDER BY request_id', []),

    /** Incomplete records of a contact (or, without one, an invitation) with no exchange yet, and the standing ones (`standingRule`). */
    waitingFor: (walletId: string, reached: { contactId: string; invitationId: number }, standingRule: string) =>
      many(
        `SELECT * FROM controller_requests WHERE wallet_id = ? AND complete = 0 AND (state IS NULL OR rule = ?)
          AND (contact_id = ? OR (contact_id IS NULL AND invitation_id = ?)) ORDER BY request_id`,
        [walletId, standingRule, reached.contactId, reached.invitationId],
      ),

    async insert(record: NewRequestRecord): Promise<number> {
      const at = now()
      const inserted = await db.get<{ request_id: number }>(
        `INSERT INTO controller_requests (wallet_id, kind, contact_id, invitation_id, rule, timeout, input, meta_data, exchange_ids, complete, result,
          result_string, error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', 0, 0, ?, '', ?, ?) RETURNING request_id`,
        [
          record.walletId,
          record.kind,
          record.contactId,
          record.invitationId,
          record.rule,
          record.timeout,
          JSON.stringify(record.input),
          record.metaData ? JSON.stringify(record.metaData) : null,
          record.resultString,
          at,
          at,
        ],
      )
      return Number(inserted!.request_id)
    },

    /**
     * Claims the record for an exchange on `connectionId` (state `starting`), once: a record while
     * it has no state, a standing one once per connection. False when it was not claimable.
     */
    async claim(requestId: number, connectionId: string, standing: boolean): Promise<boolean> {
      const claimed = await db.run(
        `UPDATE controller_requests SET state = 'starting', connection_id = ?, updated_at = ?
         WHERE request_id = ? AND complete = 0 AND (state IS NULL OR (? = 1 AND (connection_id IS NULL OR connection_id <> ?)))`,
        [connectionId, now(), requestId, standing ? 1 : 0, connectionId],
      )
      return claimed.changes > 0
    },

    /** A standing record interrupted while `starting` waits again. */
    release: (requestId: number) => db.run('UPDATE controller_requests SET state = NULL WHERE request_id = ? AND state = ?', [requestId, 'starting']),

    setExchanges: (requestId: number, exchangeIds: string[], currentExchangeId: string) =>
      db.run('UPDATE controller_requests SET exchange_ids = ?, current_exchange_id = ?, updated_at = ? WHERE request_id = ?', [
        JSON.stringify(exchangeIds),
        currentExchangeId,
        now(),
        requestId,
      ]),

    /** The state of an incomplete record. */
    setState: (requestId: number, state: string) =>
      db.run('UPDATE controller_requests SET state = ?, updated_at = ? WHERE request_id = ? AND complete = 0', [state, now(), requestId]),

    /** Ends an incomplete record (or, standing, one of its exchanges). */
    end: (requestId: number, ending: RequestEnding) =>
      db.run(
        `UPDATE controller_requests SET complete = ?, result = ?, result_string = ?, error = ?, state = COALESCE(?, state), result_data = ?, updated_at = ?
         WHERE request_id = ? AND complete = 0`,
        [
          ending.complete ? 1 : 0,
          ending.result ? 1 : 0,
          ending.resultString,
          ending.error,
          ending.state,
          ending.resultData === undefined ? null : JSON.stringify(ending.resultData),
          now(),
          requestId,
        ],
      ),
  }
}

export type RequestRecordRepository = ReturnType<typeof requestRecords>
