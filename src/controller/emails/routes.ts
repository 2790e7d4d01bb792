// Proven face, email verification (seed 003 "Email - Verify Email Addresses").
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'

const verifyEmailsBody = z
  .object({ emails: z.array(z.object({ email: z.string().trim().max(320) }).strict()).min(1, 'at least one address is required').max(100) })
  .strict()

describeRequest('POST /api/v1/emails/verify', { body: verifyEmailsBody })

export function controllerEmailRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()

  router.post('/api/v1/emails/verify', requireWalletKey, handler(async (req, res) => {
    const body = parse(verifyEmailsBody, req.body, 'body')
    await services.emailVerification.verify(principalOf(res).walletId, body.emails.map((entry) => entry.email))
    res.json({ success: 'All emails sent successfully!' })
  }))

  return router
}
