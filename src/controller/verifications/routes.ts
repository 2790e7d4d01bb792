// Proven face, verification request records (seed 003 "Verifications"): said once, carried out on
// the contact's (or invitation's) active connection now or on the next one that completes.
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { requestBasicsOf } from '../requestBasics'
import { toAnonCredsVerificationRecord, toJsonLdVerificationRecord } from './mappers'
import {
  anonCredsVerificationBody,
  anonCredsVerificationRecord,
  anonCredsVerificationRecords,
  jsonLdVerificationBody,
  jsonLdVerificationRecord,
  jsonLdVerificationRecords,
  normaliseSchemas,
  verificationIdParams,
} from './schemas'

export const controllerVerificationRouteDeclarations = ({ services }: RoomDeps) => {
  const requests = services.controllerRequests
  return [
    route({
      method: 'POST',
      path: '/api/v1/verifications',
      auth: 'requireWalletKey',
      summary: 'Ask a contact or invitation for an AnonCreds presentation (now, or when its connection completes)',
      body: anonCredsVerificationBody,
      // The seed answers an array of records (one per request made).
      response: anonCredsVerificationRecords,
      async handle({ body, principal }) {
        const { schemaAttributes, schemaIds, predicates } = normaliseSchemas(body.schemas)
        const record = await requests.requestAnonCredsVerification(principal().walletId, {
          ...requestBasicsOf(body),
          schemaAttributes,
          schemaIds,
          predicates,
        })
        return [toAnonCredsVerificationRecord(record)]
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/verifications/json-ld',
      auth: 'requireWalletKey',
      summary: 'Ask a contact or invitation for a JSON-LD (DIF) presentation (now, or when its connection completes)',
      body: jsonLdVerificationBody,
      response: jsonLdVerificationRecords,
      async handle({ body, principal }) {
        const record = await requests.requestJsonLdVerification(principal().walletId, {
          ...requestBasicsOf(body),
          definitions: body.definitions,
        })
        return [toJsonLdVerificationRecord(record)]
      },
    }),
    // Credence's addition: every AnonCreds verification request record of the wallet, oldest first.
    route({
      method: 'GET',
      path: '/api/v1/verifications',
      auth: 'requireWalletKey',
      summary: "The wallet's AnonCreds verification request records, oldest first",
      response: anonCredsVerificationRecords,
      async handle({ principal }) {
        return (await requests.list(principal().walletId, 'anoncreds-verification')).map(toAnonCredsVerificationRecord)
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/verifications/json-ld/:verification_id',
      auth: 'requireWalletKey',
      summary: 'Fetch a JSON-LD verification request record',
      params: verificationIdParams,
      response: jsonLdVerificationRecord,
      async handle({ params, principal }) {
        return toJsonLdVerificationRecord(await requests.get(principal().walletId, params.verification_id, 'jsonld-verification'))
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/verifications/:verification_id',
      auth: 'requireWalletKey',
      summary: 'Fetch an AnonCreds verification request record',
      params: verificationIdParams,
      response: anonCredsVerificationRecord,
      async handle({ params, principal }) {
        return toAnonCredsVerificationRecord(await requests.get(principal().walletId, params.verification_id, 'anoncreds-verification'))
      },
    }),
  ]
}
