// Proven face, verification request records (seed 003 "Verifications"): said once, carried out on
// the contact's (or invitation's) active connection now or on the next one that completes.
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { MAX_TIMEOUT_SECONDS } from '../../services/controllerRequests'
import { toAnonCredsVerificationRecord } from '../credentials/mappers'
import { requestFields } from '../credentials/routes'
import { addressOf } from '../requestAddress'
import { normaliseSchemas } from './schemas'

const anonCredsVerificationBody = z.object({ ...requestFields, schemas: z.array(z.unknown()) }).strict()
const verificationIdParams = z.object({ verification_id: z.coerce.number({ message: 'must be an integer verification id' }).int().positive() })

describeRequest('POST /api/v1/verifications', { body: anonCredsVerificationBody })

export function controllerVerificationRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()
  const requests = services.controllerRequests

  router.post('/api/v1/verifications', requireWalletKey, handler(async (req, res) => {
    const body = parse(anonCredsVerificationBody, req.body, 'body')
    const { schemaAttributes, schemaIds } = normaliseSchemas(body.schemas)
    const record = await requests.requestAnonCredsVerification(principalOf(res).walletId, {
      ...addressOf(body),
      rule: body.rule,
      timeout: Math.min(body.timeout, MAX_TIMEOUT_SECONDS),
      schemaAttributes,
      schemaIds,
    })
    res.json([toAnonCredsVerificationRecord(record)])
  }))

  router.get('/api/v1/verifications/:verification_id', requireWalletKey, handler(async (req, res) => {
    const { verification_id } = parse(verificationIdParams, req.params, 'params')
    res.json(toAnonCredsVerificationRecord(await requests.get(principalOf(res).walletId, verification_id, 'anoncreds-verification')))
  }))

  return router
}
