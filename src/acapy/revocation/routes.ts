// ACA-Py face, AnonCreds revocation, in both of ACA-Py's route families: `/anoncreds/revocation/*`
// (its askar-anoncreds wallets) and the legacy `/revocation/*` (its askar wallets). Unlike ACA-Py,
// both work on every wallet, over the same registries: they differ only in paths, in how they name
// registry states and in whether revocation ids come back as numbers or strings. Declared as data
// (http/route.ts); services/revocation.ts does the work.
import { badRequest, notFoundError } from '../../errors'
import { noJsonAnswer, Reply, route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { familyState, toIssuerCredRevRecord, toIssuerRevRegRecord, toRevListResult, toRevRegDefResult, toRevRegDelta } from './mappers'
import {
  clearPendingBody,
  createRegistryBody,
  credDefIdParams,
  credentialRecordQuery,
  credentialRecordResult,
  deleteTailsQuery,
  empty,
  fixEntryStateQuery,
  fixedEntryState,
  indyRecs,
  issuedCount,
  issuedDetails,
  publishBody,
  published,
  registriesQuery,
  registryIds,
  registryResult,
  revListBody,
  revListResult,
  revokeBody,
  revRegDefBody,
  revRegDefResult,
  revRegIdParams,
  sentDefinition,
  setStateQuery,
  tailsDeleted,
  tailsUriBody,
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
    route({
      method: 'GET',
      path: `${prefix}/registry/:rev_reg_id/issued/indy_recs`,
      auth: 'requireTenant',
      summary: `The revocations a registry's latest status list holds, as an Indy delta${tag}`,
      params: revRegIdParams,
      response: indyRecs,
      async handle({ params, principal }) {
        return { rev_reg_delta: toRevRegDelta(await revocation.publishedState(principal().walletId, params.rev_reg_id)) }
      },
    }),
    route({
      method: 'PUT',
      path: `${prefix}/registry/:rev_reg_id/fix-revocation-entry-state`,
      auth: 'requireTenant',
      summary: `Compare the credentials revoked here with the registry's status list, and with apply_ledger_update publish the missing ones${tag}`,
      params: revRegIdParams,
      query: fixEntryStateQuery,
      response: fixedEntryState,
      async handle({ params, query, principal }) {
        const fixed = await revocation.fixEntryState(principal().walletId, params.rev_reg_id, query.apply_ledger_update)
        return {
          rev_reg_delta: toRevRegDelta(fixed.before),
          // What a fix would publish: the accumulator it leads to exists only once it is published.
          accum_calculated: fixed.missing.length > 0 ? toRevRegDelta({ revoked: fixed.missing }, fixed.before.accumulator) : {},
          accum_fixed: fixed.after ? toRevRegDelta({ ...fixed.after, revoked: fixed.missing }, fixed.before.accumulator) : {},
        }
      },
    }),
    ...tailsUploadRoutes(family === 'anoncreds' ? [prefix, '/anoncreds'] : [prefix], tag, revocation),
  ]
}

/** ACA-Py's upload of a registry's tails file to the tails server (the anoncreds family also has it at a deprecated path). */
function tailsUploadRoutes(prefixes: string[], tag: string, revocation: RoomDeps['services']['revocation']) {
  return prefixes.map((prefix, index) =>
    route({
      method: 'PUT',
      path: `${prefix}/registry/:rev_reg_id/tails-file`,
      auth: 'requireTenant',
      summary: `Upload a registry's tails file to the configured tails server${tag}${index > 0 ? ' (deprecated path)' : ''}`,
      params: revRegIdParams,
      response: empty,
      async handle({ params, principal }) {
        if (!(await revocation.uploadTails(principal().walletId, params.rev_reg_id))) {
          throw badRequest('rev_reg_id', 'No tails server is configured (CREDENCE_TAILS_SERVER_BASE_URL); Credence serves the tails file itself at the URL in the registry definition')
        }
        return {}
      },
    }),
  )
}

/** ACA-Py's legacy by-hand sequence: create-registry, definition, (tails upload), entry; and the tails URI and tails deletion. */
function legacyByHandRoutes({ services: { revocation } }: RoomDeps) {
  const registryResultOf = async (registry: Promise<Parameters<typeof toIssuerRevRegRecord>[0]>) => ({ result: toIssuerRevRegRecord(await registry, 'legacy') })
  return [
    route({
      method: 'POST',
      path: '/revocation/create-registry',
      auth: 'requireTenant',
      summary: 'Create a revocation registry for a credential definition by hand (legacy family); its first status list follows with `entry`',
      body: createRegistryBody,
      response: registryResult,
      async handle({ body, principal }) {
        const made = await revocation.createByHand(
          principal().walletId,
          { credDefId: body.credential_definition_id, size: body.max_cred_num, firstStatusList: false },
          { credDefId: 'credential_definition_id', size: 'max_cred_num' },
        )
        return { result: toIssuerRevRegRecord(made.registry, 'legacy') }
      },
    }),
    route({
      method: 'POST',
      path: '/revocation/registry/:rev_reg_id/definition',
      auth: 'requireTenant',
      summary: "Send a registry's definition to the ledger (legacy family; Credence registered it when it made the registry)",
      params: revRegIdParams,
      response: sentDefinition,
      async handle({ params, principal }) {
        return { sent: await registryResultOf(revocation.sendDefinition(principal().walletId, params.rev_reg_id)) }
      },
    }),
    route({
      method: 'POST',
      path: '/revocation/registry/:rev_reg_id/entry',
      auth: 'requireTenant',
      summary: "Send a registry's first status list to the ledger; it then waits in line to issue (legacy family)",
      params: revRegIdParams,
      response: registryResult,
      async handle({ params, principal }) {
        return registryResultOf(revocation.sendFirstEntry(principal().walletId, params.rev_reg_id))
      },
    }),
    route({
      method: 'PATCH',
      path: '/revocation/registry/:rev_reg_id',
      auth: 'requireTenant',
      summary: "Set a registry's public tails URI (legacy family): only to the one its definition names, which is on the ledger already",
      params: revRegIdParams,
      body: tailsUriBody,
      response: registryResult,
      async handle({ params, body, principal }) {
        const registry = await revocation.registry(principal().walletId, params.rev_reg_id)
        if (body.tails_public_uri !== registry.tailsPublicUri) {
          throw badRequest('tails_public_uri', `The definition of ${params.rev_reg_id} is registered with its tails file at ${registry.tailsPublicUri}, which cannot change`)
        }
        return { result: toIssuerRevRegRecord(registry, 'legacy') }
      },
    }),
    route({
      method: 'DELETE',
      path: '/revocation/registry/delete-tails-file',
      auth: 'requireTenant',
      summary: 'Delete the tails files of a decommissioned registry no credential was issued on, or of all such registries of a credential definition (legacy family)',
      query: deleteTailsQuery,
      response: tailsDeleted,
      async handle({ query, principal }) {
        const deleted = await revocation.deleteTails(principal().walletId, { revRegId: query.rev_reg_id, credDefId: query.cred_def_id })
        return { message: deleted > 0 ? 'All files deleted successfully' : 'No tail files found for deletion' }
      },
    }),
  ]
}

/** ACA-Py's anoncreds by-hand routes: a registry definition, its status list, which registry is active. */
function anonCredsByHandRoutes({ services: { revocation } }: RoomDeps) {
  const setActive = (path: string, deprecated: boolean) =>
    route({
      method: 'PUT',
      path,
      auth: 'requireTenant',
      summary: `Make a registry the one the next credentials are issued on; the one before waits in line again${deprecated ? ' (deprecated path)' : ''}`,
      params: revRegIdParams,
      response: empty,
      async handle({ params, principal }) {
        await revocation.activate(principal().walletId, params.rev_reg_id)
        return {}
      },
    })
  return [
    route({
      method: 'POST',
      path: '/anoncreds/revocation-registry-definition',
      auth: 'requireTenant',
      summary: 'Create and register a revocation registry, with its first status list; it waits in line to issue',
      body: revRegDefBody,
      response: revRegDefResult,
      async handle({ body, principal }) {
        const given = body.revocation_registry_definition
        const made = await revocation.createByHand(
          principal().walletId,
          { credDefId: given.credDefId, size: given.maxCredNum, tag: given.tag, issuerId: given.issuerId, firstStatusList: true },
          {
            credDefId: 'revocation_registry_definition.credDefId',
            size: 'revocation_registry_definition.maxCredNum',
            tag: 'revocation_registry_definition.tag',
            issuerId: 'revocation_registry_definition.issuerId',
          },
        )
        return toRevRegDefResult(made.registry, made.definition)
      },
    }),
    route({
      method: 'POST',
      path: '/anoncreds/revocation-list',
      auth: 'requireTenant',
      summary: "Register a registry's status list: its first, or else answers the one in force",
      body: revListBody,
      response: revListResult,
      async handle({ body, principal }) {
        const walletId = principal().walletId
        const registry = await revocation.sendFirstEntry(walletId, body.rev_reg_def_id)
        return toRevListResult(registry, await revocation.publishedState(walletId, body.rev_reg_def_id))
      },
    }),
    setActive('/anoncreds/revocation/registry/:rev_reg_id/active', false),
    setActive('/anoncreds/registry/:rev_reg_id/active', true),
  ]
}

export const revocationRouteDeclarations = (deps: RoomDeps) => [...revocationRoutes('anoncreds', deps), ...anonCredsByHandRoutes(deps)]
export const legacyRevocationRouteDeclarations = (deps: RoomDeps) => [...revocationRoutes('legacy', deps), ...legacyByHandRoutes(deps)]
