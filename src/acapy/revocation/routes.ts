// ACA-Py face, AnonCreds revocation (ACA-Py's `/anoncreds/revocation/*`): revoke, publish, the
// registries of a credential definition and the credentials issued on them. Declared as data
// (http/route.ts); services/revocation.ts does the work.
import { noJsonAnswer, Reply, route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { notFoundError } from '../../errors'
import { toIssuerCredRevRecord, toIssuerRevRegRecord } from './mappers'
import {
  clearPendingBody,
  credDefIdParams,
  credentialRecordQuery,
  credentialRecordResult,
  empty,
  issuedCount,
  issuedDetails,
  publishBody,
  published,
  registriesQuery,
  registryIds,
  registryResult,
  revokeBody,
  revRegIdParams,
} from './schemas'

export const revocationRouteDeclarations = ({ services: { revocation } }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/anoncreds/revocation/revoke',
    auth: 'requireTenant',
    summary: 'Revoke an issued credential, now (publish) or pending',
    body: revokeBody,
    response: empty,
    async handle({ body, principal }) {
      const notice = body.notify
        ? { version: body.notify_version ?? ('v1_0' as const), connectionId: body.connection_id!, threadId: body.thread_id, comment: body.comment }
        : undefined
      await revocation.revoke(principal().walletId, { credExId: body.cred_ex_id, revRegId: body.rev_reg_id, credRevId: body.cred_rev_id }, body.publish, notice)
      return {}
    },
  }),
  route({
    method: 'POST',
    path: '/anoncreds/revocation/publish-revocations',
    auth: 'requireTenant',
    summary: 'Publish pending revocations (all, or those named in rrid2crid)',
    body: publishBody,
    response: published,
    async handle({ body, principal }) {
      const only = body.rrid2crid && Object.keys(body.rrid2crid).length > 0 ? body.rrid2crid : undefined
      return { rrid2crid: await revocation.publish(principal().walletId, only) }
    },
  }),
  route({
    method: 'POST',
    path: '/anoncreds/revocation/clear-pending-revocations',
    auth: 'requireTenant',
    summary: 'Drop pending revocations without publishing them (all, or those named in purge); answers what stays pending',
    body: clearPendingBody,
    response: published,
    async handle({ body, principal }) {
      const walletId = principal().walletId
      await revocation.clearPending(walletId, body.purge && Object.keys(body.purge).length > 0 ? body.purge : undefined)
      const left: Record<string, number[]> = {}
      for (const record of await revocation.issued(walletId)) if (record.pending) (left[record.revRegId] ??= []).push(record.credRevId)
      return { rrid2crid: left }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/revocation/registries',
    auth: 'requireTenant',
    summary: 'The revocation registries of this wallet',
    query: registriesQuery,
    response: registryIds,
    async handle({ query, principal }) {
      const registries = await revocation.registries(principal().walletId, { credDefId: query.cred_def_id })
      // ACA-Py's active registry is `finished`, as is the one waiting behind it.
      const matching = registries.filter((registry) => !query.state || (registry.state === 'active' ? 'finished' : registry.state) === query.state)
      return { rev_reg_ids: matching.map((registry) => registry.revRegId) }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/revocation/registry/:rev_reg_id',
    auth: 'requireTenant',
    summary: 'A revocation registry',
    params: revRegIdParams,
    response: registryResult,
    async handle({ params, principal }) {
      return { result: toIssuerRevRegRecord(await revocation.registry(principal().walletId, params.rev_reg_id)) }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/revocation/active-registry/:cred_def_id',
    auth: 'requireTenant',
    summary: 'The registry the next credential of a credential definition is issued on',
    params: credDefIdParams,
    response: registryResult,
    async handle({ params, principal }) {
      const [active] = await revocation.registries(principal().walletId, { credDefId: params.cred_def_id, state: 'active' })
      if (!active) throw notFoundError(`No active revocation registry for ${params.cred_def_id}`)
      return { result: toIssuerRevRegRecord(active) }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/revocation/registry/:rev_reg_id/issued',
    auth: 'requireTenant',
    summary: 'How many credentials were issued on a registry',
    params: revRegIdParams,
    response: issuedCount,
    async handle({ params, principal }) {
      return { result: (await revocation.issuedOn(principal().walletId, params.rev_reg_id)).length }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/revocation/registry/:rev_reg_id/issued/details',
    auth: 'requireTenant',
    summary: 'The credentials issued on a registry',
    params: revRegIdParams,
    response: issuedDetails,
    async handle({ params, principal }) {
      return (await revocation.issuedOn(principal().walletId, params.rev_reg_id)).map(toIssuerCredRevRecord)
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/revocation/credential-record',
    auth: 'requireTenant',
    summary: 'The revocation record of an issued credential',
    query: credentialRecordQuery,
    response: credentialRecordResult,
    async handle({ query, principal }) {
      const [record] = await revocation.issued(principal().walletId, { credExId: query.cred_ex_id, revRegId: query.rev_reg_id, credRevId: query.cred_rev_id })
      if (!record) throw notFoundError('No such issued credential revocation record')
      return { result: toIssuerCredRevRecord(record) }
    },
  }),
  route({
    method: 'GET',
    path: '/anoncreds/revocation/registry/:rev_reg_id/tails-file',
    auth: 'requireTenant',
    summary: 'The tails file of a registry',
    params: revRegIdParams,
    response: noJsonAnswer,
    produces: ['application/octet-stream'],
    async handle({ params, principal }) {
      return Reply.file(await revocation.tailsFileOf(principal().walletId, params.rev_reg_id), { 'content-type': 'application/octet-stream' })
    },
  }),
]
