// Whom a controller request (message, issuance, verification) is for, as every such body says it:
// `contact_id` first, `invitation_id` second (seed 003). Parsed here once; the services check that
// the address is the wallet's own.
import { z } from 'zod'

export const addressFields = {
  invitation_id: z.number().int().positive().nullable().optional(),
  // The seed's samples send "" for "no contact".
  contact_id: z.string().trim().max(200).nullable().optional(),
}

/** The parsed address in the services' terms (absent rather than null or ""). */
export function addressOf(body: { contact_id?: string | null; invitation_id?: number | null }): { contactId?: string; invitationId?: number } {
  return { contactId: body.contact_id || undefined, invitationId: body.invitation_id ?? undefined }
}
