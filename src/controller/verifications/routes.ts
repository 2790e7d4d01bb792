// Proven face, verification request records (seed 003 "Verifications"): said once, carried out on
// the contact's (or invitation's) active connection now or on the next one that completes.
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { toAnonCredsVerificationRecord, toJsonLdVerificationRecord } from '../credentials/mappers'
import { requestBasicsOf, requestFields } from '../requestBasics'
import { normaliseSchemas } from './schemas'

const anonCredsVerificationBody = z.object({ ...requestFields, schemas: z.array(z.unknown()) }).strict()
const jsonLdVerificationBody = z
  .object({
    ...requestFields,
    definitions: z
      .array(
        z
          .object({
            context: z.array(z.string().url('must be a URI').max(2000)).min(1, 'at least one context or type URI is required').max(20),
            attributes: z.array(z.string().min(1).max(200).regex(/^[A-Za-z_][\w-]*$/, 'must be a credentialSubject property name')).min(1, 'at least one attribute is required').max(100),
            label: z.string().max(500).optional(),
          })
          .strict(),
      )
      .min(1, 'at least one definition is required')
      .max(20),
  })
  .strict()
const verificationIdParams = z.object({ verification_id: z.coerce.number({ message: 'must be an integer verification id' }).int().positive() })

describeRequest('POST /api/v1/verifications', { body: anonCredsVerificationBody })
describeRequest('POST /api/v1/verifications/json-ld', { body: jsonLdVerificationBody })

export function controllerVerificationRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()
  const requests = services.controllerRequests

  router.post('/api/v1/verifications', requireWalletKey, handler(async (req, res) => {
    const body = parse(anonCredsVerificationBody, req.body, 'body')
    const { schemaAttributes, schemaIds, predicates } = normaliseSchemas(body.schemas)
    const record = await requests.requestAnonCredsVerification(principalOf(res).walletId, {
      ...requestBasicsOf(body),
      schemaAttributes,
      schemaIds,
      predicates,
    })
    res.json([toAnonCredsVerificationRecord(record)])
  }))

  router.post('/api/v1/verifications/json-ld', requireWalletKey, handler(async (req, res) => {
    const body = parse(jsonLdVerificationBody, req.body, 'body')
    const record = await requests.requestJsonLdVerification(principalOf(res).walletId, {
      ...requestBasicsOf(body),
      definitions: body.definitions,
    })
    res.json([toJsonLdVerificationRecord(record)])
  }))

  // Credence's addition: every AnonCreds verification request record of the wallet, oldest first.
  router.get('/api/v1/verifications', requireWalletKey, handler(async (_req, res) => {
    res.json((await requests.list(principalOf(res).walletId, 'anoncreds-verification')).map(toAnonCredsVerificationRecord))
  }))

  router.get('/api/v1/verifications/json-ld/:verification_id', requireWalletKey, handler(async (req, res) => {
    const { verification_id } = parse(verificationIdParams, req.params, 'params')
    res.json(toJsonLdVerificationRecord(await requests.get(principalOf(res).walletId, verification_id, 'jsonld-verification')))
  }))

  router.get('/api/v1/verifications/:verification_id', requireWalletKey, handler(async (req, res) => {
    const { verification_id } = parse(verificationIdParams, req.params, 'params')
    res.json(toAnonCredsVerificationRecord(await requests.get(principalOf(res).walletId, verification_id, 'anoncreds-verification')))
  }))

  return router
}
