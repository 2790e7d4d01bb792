// ACA-Py face, the holder's credentials (reference §9): AnonCreds credentials as IndyCredInfo,
// JSON-LD credentials as VCRecord. Declared as data (http/route.ts).
import { badRequest } from '../../errors'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toIndyCredInfo, toVcRecord } from './mappers'
import { credentialParams, indyCredInfo, indyCredInfoList, listQuery, nothing, revokedAnswer, revokedQuery, vcRecord, vcRecordList, w3cListBody } from './schemas'

export const credentialRouteDeclarations = ({ services: { holderCredentials } }: RoomDeps) => [
  // Default 10 when neither limit nor offset is given, as ACA-Py's `count`.
  route({
    method: 'GET',
    path: '/credentials',
    auth: 'requireTenant',
    summary: "The wallet's AnonCreds credentials, optionally filtered by WQL",
    query: listQuery,
    response: indyCredInfoList,
    async handle({ query, principal }) {
      let wql: unknown
      if (query.wql !== undefined) {
        try {
          wql = JSON.parse(query.wql)
        } catch {
          throw badRequest('wql', 'wql is not JSON')
        }
      }
      const credentials = await holderCredentials.list(principal().walletId, wql)
      const offset = query.offset ?? query.start ?? 0
      const limit = query.limit ?? query.count ?? 10
      return { results: credentials.slice(offset, offset + limit).map(toIndyCredInfo) }
    },
  }),
  // A list done with POST, as in ACA-Py; at most max_results (default 10).
  route({
    method: 'POST',
    path: '/credentials/w3c',
    auth: 'requireTenant',
    summary: 'List W3C credentials matching the body',
    body: w3cListBody,
    response: vcRecordList,
    async handle({ body, principal }) {
      if (body.tag_query && Object.keys(body.tag_query).length) throw badRequest('tag_query', 'tag_query is not supported; use the named filters')
      const held = await holderCredentials.listW3c(principal().walletId, {
        contexts: body.contexts,
        types: body.types,
        schemaIds: body.schema_ids,
        issuerId: body.issuer_id,
        subjectIds: body.subject_ids,
        proofTypes: body.proof_types,
        givenId: body.given_id,
        maxResults: body.max_results ?? 10,
      })
      return { results: held.map(toVcRecord) }
    },
  }),
  route({
    method: 'GET',
    path: '/credential/w3c/:credential_id',
    auth: 'requireTenant',
    summary: 'Fetch a W3C credential',
    params: credentialParams,
    response: vcRecord,
    async handle({ params, principal }) {
      return toVcRecord(await holderCredentials.getW3c(principal().walletId, params.credential_id))
    },
  }),
  route({
    method: 'DELETE',
    path: '/credential/w3c/:credential_id',
    auth: 'requireTenant',
    summary: 'Delete a W3C credential',
    params: credentialParams,
    response: nothing,
    async handle({ params, principal }) {
      await holderCredentials.deleteW3c(principal().walletId, params.credential_id)
      return {}
    },
  }),
  route({
    method: 'GET',
    path: '/credential/:credential_id',
    auth: 'requireTenant',
    summary: 'Fetch an AnonCreds credential',
    params: credentialParams,
    response: indyCredInfo,
    async handle({ params, principal }) {
      return toIndyCredInfo(await holderCredentials.get(principal().walletId, params.credential_id))
    },
  }),
  route({
    method: 'GET',
    path: '/credential/revoked/:credential_id',
    auth: 'requireTenant',
    summary: "Whether an AnonCreds credential is revoked (by its issuer's status list at `to`, default now)",
    params: credentialParams,
    query: revokedQuery,
    response: revokedAnswer,
    async handle({ params, query, principal }) {
      return { revoked: await holderCredentials.isRevoked(principal().walletId, params.credential_id, query.to) }
    },
  }),
  route({
    method: 'DELETE',
    path: '/credential/:credential_id',
    auth: 'requireTenant',
    summary: 'Delete an AnonCreds credential',
    params: credentialParams,
    response: nothing,
    async handle({ params, principal }) {
      await holderCredentials.delete(principal().walletId, params.credential_id)
      return {}
    },
  }),
]
