// ACA-Py face, AnonCreds revocation, in both of ACA-Py's route families: `/anoncreds/revocation/*`
// (its askar-anoncreds wallets) and the legacy `/revocation/*` (its askar wallets). Unlike ACA-Py,
// both work on every wallet, over the same registries: they differ only in paths, in how they name
// registry states and in whether revocation ids come back as numbers or strings. Declared as data
// (http/route.ts); services/revocation.ts does the work.
import { badRequest, notFoundError } from '../../errors'
import { noJsonAnswer, Reply, route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { familyState, toIssuerCredRevRecord, toIssuerRevRegRecord } from './mappers'
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
  setStateQuery,
  type Family,
} from './schemas'

/**
 * A state the family names, as Credence keeps it: being in line is `finished` in the anoncreds
 * family and `active` in the legacy one. The others (failed, action, wait; init, generated, posted)
 * are steps of ACA-Py's own making that a Credence registry is never in.
 */
const SETTABLE: Record<Family, Record<string, 'finished' | 'full' | 'decommissioned'>> = {
  anoncreds: { finished: 'finished', full: 'full', decommissioned: 'decommissioned' },
  legacy: { active: 'finished', full: 'full', decommissioned: 'decommissioned' },
}

const FAMILIES: Record<Family, { prefix: string; registries: string; tag: string }> = {
  anoncreds: { prefix: '/anoncreds/revocation', registries: '/registries', tag: '' },
  legacy: { prefix: '/revocation', registries: '/registries/created', tag: ' (legacy family)' },
}

function revocationRoutes(family: Family, { services: { revocation } }: RoomDeps) {
  const { prefix, registries, tag } = FAMILIES[family]
  /** Revocation ids as the family answers them. */
  const ids = (selection: Record<string, number[]>) =>
    family === 'anoncreds' ? selection : Object.fromEntries(Object.entries(selection).map(([revRegId, indexes]) => [revRegId, indexes.map(String)]))
  const nonEmpty = (selection: Record<string, number[]> | undefined) => (selection && Object.keys(selection).length > 0 ? selection : undefined)
  return [
    route({
      method: 'POST',
      path: `${prefix}/revoke`,
      auth: 'requireTenant',
      summary: `Revoke an issued credential, now (publish) or pending${tag}`,
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
      path: `${prefix}/publish-revocations`,
      auth: 'requireTenant',
      summary: `Publish pending revocations (all, or those named in rrid2crid)${tag}`,
      body: publishBody,
      response: published,
      async handle({ body, principal }) {
        return { rrid2crid: ids(await revocation.publish(principal().walletId, nonEmpty(body.rrid2crid))) }
      },
    }),
    route({
      method: 'POST',
      path: `${prefix}/clear-pending-revocations`,
      auth: 'requireTenant',
      summary: `Drop pending revocations without publishing them (all, or those named in purge); answers what stays pending${tag}`,
      body: clearPendingBody,
      response: published,
      async handle({ body, principal }) {
        const walletId = principal().walletId
        await revocation.clearPending(walletId, nonEmpty(body.purge))
        const left: Record<string, number[]> = {}
        for (const record of await revocation.issued(walletId)) if (record.pending) (left[record.revRegId] ??= []).push(record.credRevId)
        return { rrid2crid: ids(left) }
      },
    }),
    route({
      method: 'GET',
      path: `${prefix}${registries}`,
      auth: 'requireTenant',
      summary: `The revocation registries of this wallet${tag}`,
      query: registriesQuery(family),
      response: registryIds,
      async handle({ query, principal }) {
        const all = await revocation.registries(principal().walletId, { credDefId: query.cred_def_id })
        return { rev_reg_ids: all.filter((registry) => !query.state || familyState(family, registry.state) === query.state).map((registry) => registry.revRegId) }
      },
    }),
    route({
      method: 'GET',
      path: `${prefix}/registry/:rev_reg_id`,
      auth: 'requireTenant',
      summary: `A revocation registry${tag}`,
      params: revRegIdParams,
      response: registryResult,
      async handle({ params, principal }) {
        return { result: toIssuerRevRegRecord(await revocation.registry(principal().walletId, params.rev_reg_id), family) }
      },
    }),
    route({
      method: 'GET',
      path: `${prefix}/active-registry/:cred_def_id`,
      auth: 'requireTenant',
      summary: `The registry the next credential of a credential definition is issued on${tag}`,
      params: credDefIdParams,
      response: registryResult,
      async handle({ params, principal }) {
        const [active] = await revocation.registries(principal().walletId, { credDefId: params.cred_def_id, state: 'active' })
        if (!active) throw notFoundError(`No active revocation registry for ${params.cred_def_id}`)
        return { result: toIssuerRevRegRecord(active, family) }
      },
    }),
    route({
      method: 'POST',
      path: `${prefix}/active-registry/:cred_def_id/rotate`,
      auth: 'requireTenant',
      summary: `Rotate: the registry waiting in line takes over, a new one waits behind it, the others are decommissioned${tag}`,
      params: credDefIdParams,
      response: registryIds,
      async handle({ params, principal }) {
        return { rev_reg_ids: await revocation.rotate(principal().walletId, params.cred_def_id) }
      },
    }),
    route({
      method: 'PATCH',
      path: `${prefix}/registry/:rev_reg_id/set-state`,
      auth: 'requireTenant',
      summary: `Set a revocation registry's state by hand${tag}`,
      params: revRegIdParams,
      query: setStateQuery(family),
      response: registryResult,
      async handle({ params, query, principal }) {
        const state = SETTABLE[family][query.state]
        if (!state) throw badRequest('state', `A Credence revocation registry is never ${query.state}; set one of ${Object.keys(SETTABLE[family]).join(', ')}`)
        return { result: toIssuerRevRegRecord(await revocation.setState(principal().walletId, params.rev_reg_id, state), family) }
      },
    }),
    route({
      method: 'GET',
      path: `${prefix}/registry/:rev_reg_id/issued`,
      auth: 'requireTenant',
      summary: `How many credentials were issued on a registry${tag}`,
      params: revRegIdParams,
      response: issuedCount,
      async handle({ params, principal }) {
        return { result: (await revocation.issuedOn(principal().walletId, params.rev_reg_id)).length }
      },
    }),
    route({
      method: 'GET',
      path: `${prefix}/registry/:rev_reg_id/issued/details`,
      auth: 'requireTenant',
      summary: `The credentials issued on a registry${tag}`,
      params: revRegIdParams,
      response: issuedDetails,
      async handle({ params, principal }) {
        return (await revocation.issuedOn(principal().walletId, params.rev_reg_id)).map(toIssuerCredRevRecord)
      },
    }),
    route({
      method: 'GET',
      path: `${prefix}/credential-record`,
      auth: 'requireTenant',
      summary: `The revocation record of an issued credential${tag}`,
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
      path: `${prefix}/registry/:rev_reg_id/tails-file`,
      auth: 'requireTenant',
      summary: `The tails file of a registry${tag}`,
      params: revRegIdParams,
      response: noJsonAnswer,
      produces: ['application/octet-stream'],
      async handle({ params, principal }) {
        return Reply.file(await revocation.tailsFileOf(principal().walletId, params.rev_reg_id), { 'content-type': 'application/octet-stream' })
      },
    }),
  ]
}

export const revocationRouteDeclarations = (deps: RoomDeps) => revocationRoutes('anoncreds', deps)
export const legacyRevocationRouteDeclarations = (deps: RoomDeps) => revocationRoutes('legacy', deps)
