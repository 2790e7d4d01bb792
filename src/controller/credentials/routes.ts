// Proven face, issuance request records (seed 003 "Credentials"): said once, carried out on the
// contact's (or invitation's) active connection now or on the next one that completes; and the
// wallet's credential exchanges. Declared as data (http/route.ts).
import { badRequest, notFoundError } from '../../errors'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { requestBasicsOf } from '../requestBasics'
import { toAnonCredsIssuanceRecord, toCredentialExchangeRow, toJsonLdIssuanceRecord } from './mappers'
import {
  anonCredsIssuanceBody,
  anonCredsIssuanceRecord,
  anonCredsIssuanceRecords,
  credentialExchangeRow,
  credentialExchangeIdParams,
  credentialExchangeRows,
  credentialIdParams,
  jsonLdIssuanceBody,
  jsonLdIssuanceRecord,
  jsonLdIssuanceRecords,
  requestIdParams,
  revokeBody,
} from './schemas'

export const controllerCredentialRouteDeclarations = ({ services }: RoomDeps) => {
  const requests = services.controllerRequests
  /** The wallet's exchanges as rows, with what the issuer knows of their revocation. */
  const rowsOf = async (walletId: string) => {
    const revoked = new Map((await services.revocation.issued(walletId)).map((record) => [record.credExId, record.state === 'revoked']))
    return (await services.credentials.list(walletId, {})).map((view) => toCredentialExchangeRow(walletId, view, revoked.get(view.record.id) ?? null))
  }
  return [
    route({
      method: 'POST',
      path: '/api/v1/credentials',
      auth: 'requireWalletKey',
      summary: 'Issue an AnonCreds credential to a contact or invitation (now, or when its connection completes)',
      body: anonCredsIssuanceBody,
      // The seed answers an array of records (one per request made).
      response: anonCredsIssuanceRecords,
      async handle({ body, principal }) {
        const record = await requests.requestAnonCredsIssuance(principal().walletId, {
          ...requestBasicsOf(body),
          schemaId: body.schema_id,
          attributes: body.attributes,
        })
        return [toAnonCredsIssuanceRecord(record)]
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/credentials/json-ld',
      auth: 'requireWalletKey',
      summary: 'Issue a JSON-LD credential to a contact or invitation (now, or when its connection completes)',
      body: jsonLdIssuanceBody,
      response: jsonLdIssuanceRecords,
      // The offer this body makes: its issuer is `did`, its contexts `context`, its subject `attributes`.
      errorFields: {
        'offer.credential.issuer': 'did',
        'offer.credential.@context': 'context',
        'offer.credential': 'attributes',
        'offer.options.proofType': 'proofType',
        'offer.options': 'attributes',
      },
      async handle({ body, principal }) {
        const record = await requests.requestJsonLdIssuance(principal().walletId, {
          ...requestBasicsOf(body),
          context: body.context,
          type: body.type,
          attributes: body.attributes,
          did: body.did,
          proofType: body.proofType,
          label: body.label ?? null,
          issuerName: body.issuer_name ?? null,
        })
        return [toJsonLdIssuanceRecord(record)]
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/credentials/json-ld/:request_id',
      auth: 'requireWalletKey',
      summary: 'Fetch a JSON-LD issuance request record',
      params: requestIdParams,
      response: jsonLdIssuanceRecord,
      async handle({ params, principal }) {
        return toJsonLdIssuanceRecord(await requests.get(principal().walletId, params.request_id, 'jsonld-issuance'))
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/credentials',
      auth: 'requireWalletKey',
      summary: "The wallet's credential exchanges, either side",
      response: credentialExchangeRows,
      async handle({ principal }) {
        return rowsOf(principal().walletId)
      },
    }),
    // The seed names the parameter credential_definition_id but answers one exchange: an exchange id
    // is taken first, else the wallet's newest exchange under that credential definition.
    route({
      method: 'GET',
      path: '/api/v1/credentials/:credential_definition_id',
      auth: 'requireWalletKey',
      summary: 'Fetch a credential exchange by its id, or the newest under a credential definition',
      params: credentialIdParams,
      response: credentialExchangeRow,
      async handle({ params: { credential_definition_id: id }, principal }) {
        const rows = (await rowsOf(principal().walletId)).sort((a, b) => a.created_at.localeCompare(b.created_at))
        const row = rows.find((candidate) => candidate.credential_exchange_id === id) ?? rows.filter((candidate) => candidate.credential_definition_id === id).at(-1)
        if (!row) throw notFoundError(`No credential exchange ${id} and none under a credential definition ${id}`)
        return row
      },
    }),
    // Credence's addition (Proven documents no revoke): revokes the credential an exchange issued.
    route({
      method: 'POST',
      path: '/api/v1/credentials/:credential_exchange_id/revoke',
      auth: 'requireWalletKey',
      summary: 'Revoke the credential an exchange issued: published at once and the holder told unless asked otherwise',
      params: credentialExchangeIdParams,
      body: revokeBody,
      response: credentialExchangeRow,
      async handle({ params: { credential_exchange_id: id }, body, principal }) {
        const { walletId } = principal()
        const view = await services.credentials.get(walletId, id)
        const [issued] = await services.revocation.issued(walletId, { credExId: id })
        if (!issued) throw badRequest('credential_exchange_id', `Exchange ${id} issued no revocable credential`)
        const connectionId = view.record.connectionId
        const notice = body.notify && connectionId ? { version: 'v2_0' as const, connectionId, comment: body.comment } : undefined
        const record = await services.revocation.revoke(walletId, { credExId: id }, body.publish, notice)
        return toCredentialExchangeRow(walletId, view, record.state === 'revoked')
      },
    }),
    // Credence's addition: every AnonCreds issuance request record of the wallet, oldest first.
    route({
      method: 'GET',
      path: '/api/v1/credential-records',
      auth: 'requireWalletKey',
      summary: "The wallet's AnonCreds issuance request records, oldest first",
      response: anonCredsIssuanceRecords,
      async handle({ principal }) {
        return (await requests.list(principal().walletId, 'anoncreds-issuance')).map(toAnonCredsIssuanceRecord)
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/credential-records/:request_id',
      auth: 'requireWalletKey',
      summary: 'Fetch an AnonCreds issuance request record',
      params: requestIdParams,
      response: anonCredsIssuanceRecord,
      async handle({ params, principal }) {
        return toAnonCredsIssuanceRecord(await requests.get(principal().walletId, params.request_id, 'anoncreds-issuance'))
      },
    }),
  ]
}
