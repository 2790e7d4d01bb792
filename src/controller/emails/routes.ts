// Proven face, email verification (seed 003 "Email - Verify Email Addresses"). Declared as data
// (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { emailsSent, verifyEmailsBody } from './schemas'

export const controllerEmailRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/api/v1/emails/verify',
    auth: 'requireWalletKey',
    summary: 'Mail each address a single-use invitation; an Email credential follows when it is used',
    body: verifyEmailsBody,
    response: emailsSent,
    async handle({ body, principal }) {
      await services.emailVerification.verify(principal().walletId, body.emails.map((entry) => entry.email))
      return { success: 'All emails sent successfully!' as const }
    },
  }),
]
