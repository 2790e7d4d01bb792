// Proven face, email verification: request and response schemas.
import { z } from 'zod'

export const verifyEmailsBody = z
  .object({ emails: z.array(z.object({ email: z.string().trim().max(320) }).strict()).min(1, 'at least one address is required').max(100) })
  .strict()

export const emailsSent = z.object({ success: z.literal('All emails sent successfully!') })
