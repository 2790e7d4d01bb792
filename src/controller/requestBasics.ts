// What every controller request body says besides its content (seed 003): whom it is for —
// `contact_id` first, `invitation_id` second — and, for request records, how long the POST waits
// and under which rule. Parsed here once; the services check that the address is the wallet's own.
import { z } from 'zod'

import { MAX_TIMEOUT_SECONDS, REQUEST_RULES, type RequestBasics } from '../services/controllerRequests'

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
