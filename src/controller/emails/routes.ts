// Proven face, email verification (seed 003 "Email - Verify Email Addresses"). Declared as data
// (http/route.ts).
import { z } from 'zod'

import { mountRoutes, route } from '../../http/route'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'

const verifyEmailsBody = z
  .object({ emails: z.array(z.object({ email: z.string().trim().max(320) }).strict()).min(1, 'at least one address is required').max(100) })
  .strict()

export const controllerEmailRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/api/v1/emails/verify',
    auth: 'requireWalletKey',
    summary: 'Mail each address a single-use invitation; an Email credential follows when it is used',
    body: verifyEmailsBody,
    response: z.object({ success: z.literal('All emails sent successfully!') }),
    async handle({ body, principal }) {
      await services.emailVerification.verify(principal().walletId, body.emails.map((entry) => entry.email))
      return { success: 'All emails sent successfully!' as const }
    },
  }),
]

export const controllerEmailRoutes = (deps: RoomDeps) => mountRoutes(deps, controllerEmailRouteDeclarations(deps), parse)
