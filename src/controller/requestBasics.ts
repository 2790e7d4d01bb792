// What every controller request body says besides its content (seed 003): whom it is for —
// `contact_id` first, `invitation_id` second — and, for request records, how long the POST waits
// and under which rule. Parsed here once; the services check that the address is the wallet's own.
// Below, what every request record answers, for the credentials and verifications rooms.
import { z } from 'zod'

import { MAX_TIMEOUT_SECONDS, REQUEST_RULES, type RequestBasics, type RequestRecord, type RequestRule } from '../services/controllerRequests'

export const addressFields = {
  invitation_id: z.number().int().positive().nullable().optional(),
  // The seed's samples send "" for "no contact".
  contact_id: z.string().trim().max(200).nullable().optional(),
}

/** The parsed address in the services' terms (absent rather than null or ""). */
export function addressOf(body: { contact_id?: string | null; invitation_id?: number | null }): { contactId?: string; invitationId?: number } {
  return { contactId: body.contact_id || undefined, invitationId: body.invitation_id ?? undefined }
}

/** The address, waiting and rule fields every request record body takes. */
export const requestFields = {
  ...addressFields,
  // The seed's samples send it as a string too ("15").
  timeout: z.coerce.number({ message: 'must be a number of seconds' }).int().min(0, 'must be 0 or more seconds').default(0),
  rule: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(REQUEST_RULES, { message: `must be one of: ${REQUEST_RULES.join(', ')}` }))
    .default('no rule'),
}

/** A parsed request record body's basics in the services' terms; `timeout` capped. */
export function requestBasicsOf(body: { contact_id?: string | null; invitation_id?: number | null; timeout: number; rule: RequestBasics['rule'] }): RequestBasics {
  return { ...addressOf(body), rule: body.rule, timeout: Math.min(body.timeout, MAX_TIMEOUT_SECONDS) }
}

// What every request record answers (issuance and verification alike), in the seed's order around
// its kind's own fields; the seed shows an unset contact_id and error as "", so they are "" here too.

/** Whom the record is for and the connection it reached. */
export const recordAddress = {
  connection_id: z.string().nullable(),
  contact_id: z.string(),
  invitation_id: z.number().int().nullable(),
}

/** How the record is carried out and how far it got. */
export const recordOutcome = {
  wallet_id: z.string(),
  timeout: z.number().int(),
  rule: z.enum(REQUEST_RULES),
  meta_data: z.record(z.string(), z.unknown()).nullable(),
  /** The exchange's state in the seed's words (`offer_sent`); null before one started. */
  state: z.string().nullable(),
  complete: z.boolean(),
  result: z.boolean(),
  result_string: z.string(),
}

export const recordTimes = { created_at: z.string(), updated_at: z.string() }

type Shape<T extends z.ZodRawShape> = { [K in keyof T]: z.input<T[K]> }

/** The fields of `recordAddress`, `recordOutcome` and `recordTimes` of a record. */
export function requestRecordFields(record: RequestRecord): {
  address: Shape<typeof recordAddress>
  outcome: Shape<typeof recordOutcome>
  times: Shape<typeof recordTimes>
} {
  return {
    address: { connection_id: record.connectionId, contact_id: record.contactId ?? '', invitation_id: record.invitationId },
    outcome: {
      wallet_id: record.walletId,
      timeout: record.timeout,
      // Stored from the body's REQUEST_RULES.
      rule: record.rule as RequestRule,
      meta_data: record.metaData,
      // `starting` is the engine's claim on a connection, not a state of the exchange.
      state: record.state === 'starting' ? null : record.state,
      complete: record.complete,
      result: record.result,
      result_string: record.resultString,
    },
    times: { created_at: record.createdAt, updated_at: record.updatedAt },
  }
}
