// AnonCreds schemas and credential definitions of one wallet. The registry is chosen by the issuer
// id's DID method (Credo's AnonCreds module does that): a did:web Credence hosts goes to the
// embedded registry, an Indy DID to the configured Indy ledger, a did:cheqd to its cheqd network
// as DID-linked resources.
//
// Indy objects have two names: Credo registers and stores them under did:indy ids, and ACA-Py
// controllers know them by the unqualified ids (`<did>:2:<name>:<version>`, `<did>:3:CL:<seqNo>:<tag>`).
// Whoever names the issuer unqualified or as did:sov gets the unqualified ids back; whoever names
// it as did:indy gets did:indy ids. Either name reads the object.
//
// A refused registration leaves nothing behind: refusals are checked before Credo stores a record.
import {
  getUnqualifiedCredentialDefinitionId,
  isUnqualifiedCredentialDefinitionId,
  isUnqualifiedSchemaId,
  parseIndyDid,
  type AnonCredsCredentialDefinition,
  type AnonCredsSchema,
} from '../agent/credo'

import { badRequest, notFoundError, peerUnavailable } from '../errors'
import { legacyCredentialDefinitionId, legacySchemaId } from '../agent/indyIdentifiers'
import { UNQUALIFIED_INDY_DID } from './ledger'
import type { IndyIssuer } from './ledger'
import { keyedQueue } from './keyedQueue'
import { DEFAULT_REGISTRY_SIZE, MAX_REGISTRY_SIZE, MIN_REGISTRY_SIZE, type RevocationService } from './revocation'
import type { TenantAgent, TenantService } from './tenants'

export interface SchemaInput {
  /** Defaults to the wallet's public DID (ACA-Py's legacy routes publish under it). */
  issuerId?: string
  name: string
  version: string
  attrNames: string[]
}

/** Where a wallet publishes, and whether the caller wants ACA-Py's unqualified Indy ids. */
interface Publisher {
  issuerId: string
  registry: 'hosted' | 'indy' | 'cheqd'
  legacy: boolean
  /** Last preparation in the wallet, once every check has passed (see LedgerService.anonCredsIssuer). */
  prepare?: (tenantAgent: TenantAgent) => Promise<() => Promise<void>>
}

const isIndyName = (did: string) => UNQUALIFIED_INDY_DID.test(did) || did.startsWith('did:sov:') || did.startsWith('did:indy:')

/** The NYM part of an Indy DID in any of its three spellings. */
function nymOf(did: string): string | undefined {
  if (UNQUALIFIED_INDY_DID.test(did)) return did
  if (did.startsWith('did:sov:')) return did.slice('did:sov:'.length)
  if (did.startsWith('did:indy:')) {
    try {
      return parseIndyDid(did).namespaceIdentifier
    } catch {
      return undefined
    }
  }
  return undefined
}

/** Two names of the same issuer: equal, or the same Indy NYM. */
function sameIssuer(a: string, b: string): boolean {
  if (a === b) return true
  const nymA = nymOf(a)
  return nymA !== undefined && nymA === nymOf(b)
}

const legacyIssuer = (did: string) => nymOf(did) ?? did

function presentSchema(schema: AnonCredsSchema, legacy: boolean): AnonCredsSchema {
  return legacy ? { ...schema, issuerId: legacyIssuer(schema.issuerId) } : schema
}

function presentCredentialDefinition(definition: AnonCredsCredentialDefinition, legacy: boolean): AnonCredsCredentialDefinition {
  return legacy ? { ...definition, issuerId: legacyIssuer(definition.issuerId), schemaId: legacySchemaId(definition.schemaId) } : definition
}

/**
 * A registration the registry did not finish. An Indy ledger's refusal is the caller's (400, with
 * the ledger's reason); a ledger that did not answer is a 502, as is any cheqd failure (its
 * reasons, such as the payer's funds, are the operator's, not the caller's). A failure of the
 * embedded registry is ours (500).
 */
function registrationFailure(publisher: Publisher, what: string, reason: string): Error {
  if (publisher.registry === 'hosted') return new Error(`${what} registration failed: ${reason}`)
  if (publisher.registry === 'cheqd') return peerUnavailable(`The cheqd network did not take the ${what}: ${reason}`)
  if (/timeout|consensus|unavailable/i.test(reason)) {
    // Indy objects are registered under the did:indy name, which names the ledger.
    const ledger = publisher.issuerId.startsWith('did:indy:') ? publisher.issuerId.slice('did:indy:'.length, publisher.issuerId.lastIndexOf(':')) : `of ${publisher.issuerId}`
    return peerUnavailable(`The Indy ledger ${ledger} could not be reached: ${reason}`)
  }
  return badRequest('ledger', `The ledger refused the ${what}: ${reason.replace(/^unknownError: /, '')}`)
}

/** Registers; when the registry did not finish (or threw), undoes the publisher's preparation. */
async function registerOrUndo<R>(undo: (() => Promise<void>) | undefined, register: () => Promise<R>, finished: (result: R) => boolean): Promise<R> {
  let result: R
  try {
    result = await register()
  } catch (error) {
    await undo?.()
    throw error
  }
  if (!finished(result)) await undo?.()
  return result
}

export function anonCredsService(deps: {
  tenants: TenantService
  publicDidOf: (walletId: string) => Promise<string | undefined>
  /** The wallet hosting a did:web, when this server hosts it. */
  hostOf: (did: string) => Promise<string | undefined>
  /** The did:indy name an Indy DID of the wallet publishes under (see LedgerService.anonCredsIssuer). */
  indyIssuer: (walletId: string, given: string, field: string) => Promise<IndyIssuer>
  /** The cheqd networks configured (CREDENCE_CHEQD_NETWORKS). */
  cheqdNetworks: string[]
  revocation: RevocationService
}) {
  const { tenants } = deps
  const oneAtATime = keyedQueue()

  /**
   * Which registry takes the wallet's objects under `given`, checked before Credo does any work (a
   * credential definition's keys take seconds): a did:web this server hosts for the wallet, or an
   * Indy DID of the wallet on the configured write ledger.
   */
  async function publisherFor(walletId: string, given: string | undefined, field: string): Promise<Publisher> {
    const named = given ?? (await deps.publicDidOf(walletId))
    if (!named) throw badRequest(field, 'No issuer given and the wallet has no public DID (POST /wallet/did/public)')
    if (named.startsWith('did:web:')) {
      if ((await deps.hostOf(named)) !== walletId) {
        throw badRequest(field, `${named} is not a did:web this server hosts for the wallet; create one with POST /wallet/did/create {"method":"web"}`)
      }
      return { issuerId: named, registry: 'hosted', legacy: false }
    }
    if (isIndyName(named)) return { ...(await deps.indyIssuer(walletId, named, field)), registry: 'indy' }
    if (named.startsWith('did:cheqd:')) {
      const network = named.split(':')[2]
      if (!deps.cheqdNetworks.includes(network)) throw badRequest(field, `${named} is on cheqd ${network}, which is not configured here (CREDENCE_CHEQD_NETWORKS)`)
      const owned = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.dids.getCreatedDids({ did: named }))
      if (owned.length === 0) throw badRequest(field, `${named} is not a DID of this wallet; create one with POST /did/cheqd/create`)
      return { issuerId: named, registry: 'cheqd', legacy: false }
    }
    throw badRequest(field, `No AnonCreds registry for ${named.split(':')[1] ?? named} DIDs here; use a did:web this server hosts, an Indy DID on the configured ledger or a did:cheqd`)
  }

  /**
   * An Indy credential definition's id is fixed by its issuer, schema and tag, so one made before
   * by another wallet or agent with the same DID would be written over; as ACA-Py does, that is
   * refused.
   */
  async function refuseIfOnLedger(tenantAgent: TenantAgent, publisher: Publisher, schemaMetadata: Record<string, unknown>, tag: string) {
    const seqNo = schemaMetadata.indyLedgerSeqNo
    if (publisher.registry !== 'indy' || typeof seqNo !== 'number') return
    const id = getUnqualifiedCredentialDefinitionId(nymOf(publisher.issuerId)!, seqNo, tag)
    const onLedger = await tenantAgent.modules.anoncreds.getCredentialDefinition(id)
    if (onLedger.credentialDefinition) {
      throw badRequest('credential_definition.tag', `Credential definition ${id} is on the ledger but not in this wallet; choose another tag`)
    }
  }

  return {
    async registerSchema(walletId: string, input: SchemaInput) {
      const publisher = await publisherFor(walletId, input.issuerId, 'schema.issuerId')
      const schema = { ...input, issuerId: publisher.issuerId }
      const seen = new Set<string>()
      for (const name of schema.attrNames) {
        if (seen.has(name)) throw badRequest('schema.attrNames', `Attribute name ${name} appears twice`)
        seen.add(name)
      }
      const result = await oneAtATime(`${walletId}|${schema.issuerId}|schema|${schema.name}|${schema.version}`, () =>
        tenants.withTenant(walletId, async (tenantAgent) => {
          const existing = await tenantAgent.modules.anoncreds.getCreatedSchemas({
            issuerId: schema.issuerId,
            schemaName: schema.name,
            schemaVersion: schema.version,
          })
          if (existing.length > 0) {
            const id = publisher.legacy ? legacySchemaId(existing[0].schemaId) : existing[0].schemaId
            throw badRequest('schema.version', `Schema ${schema.name} ${schema.version} of ${input.issuerId ?? schema.issuerId} already exists: ${id}`)
          }
          return registerOrUndo(
            await publisher.prepare?.(tenantAgent),
            () => tenantAgent.modules.anoncreds.registerSchema({ schema, options: {} }),
            (registered) => registered.schemaState.state === 'finished',
          )
        }),
      )
      const state = result.schemaState
      if (state.state !== 'finished') throw registrationFailure(publisher, 'schema', 'reason' in state ? String(state.reason) : state.state)
      return {
        state: state.state,
        id: publisher.legacy ? legacySchemaId(state.schemaId) : state.schemaId,
        object: presentSchema(state.schema, publisher.legacy),
        registrationMetadata: result.registrationMetadata,
        metadata: result.schemaMetadata,
      }
    },

    async getSchema(walletId: string, schemaId: string) {
      const result = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.modules.anoncreds.getSchema(schemaId))
      if (!result.schema) throw notFoundError(`Schema ${schemaId} not found${result.resolutionMetadata.message ? `: ${result.resolutionMetadata.message}` : ''}`)
      return { ...result, schema: presentSchema(result.schema, isUnqualifiedSchemaId(schemaId)) }
    },

    async listSchemaIds(walletId: string, query: { issuerId?: string; name?: string; version?: string; schemaId?: string }): Promise<string[]> {
      const records = await tenants.withTenant(walletId, (tenantAgent) =>
        tenantAgent.modules.anoncreds.getCreatedSchemas({
          ...(query.schemaId ? (isUnqualifiedSchemaId(query.schemaId) ? { unqualifiedSchemaId: query.schemaId } : { schemaId: query.schemaId }) : {}),
          ...(query.name ? { schemaName: query.name } : {}),
          ...(query.version ? { schemaVersion: query.version } : {}),
        }),
      )
      const legacy = !query.issuerId?.startsWith('did:indy:')
      return records
        .filter((record) => !query.issuerId || sameIssuer(record.schema.issuerId, query.issuerId))
        .map((record) => (legacy ? legacySchemaId(record.schemaId) : record.schemaId))
    },

    /** The schemas the wallet created, whole (the console lists them with their attributes). */
    async listSchemas(walletId: string): Promise<{ schemaId: string; schema: AnonCredsSchema }[]> {
      const records = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.modules.anoncreds.getCreatedSchemas({}))
      return records.map((record) => ({ schemaId: record.schemaId, schema: record.schema }))
    },

    /** The credential definitions the wallet created, each with its schema's id and its tag. */
    async listCredentialDefinitions(walletId: string): Promise<{ credentialDefinitionId: string; schemaId: string; tag: string; issuerId: string }[]> {
      const records = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.modules.anoncreds.getCreatedCredentialDefinitions({}))
      return records.map(({ credentialDefinitionId, credentialDefinition }) => ({
        credentialDefinitionId,
        schemaId: credentialDefinition.schemaId,
        tag: credentialDefinition.tag,
        issuerId: credentialDefinition.issuerId,
      }))
    },

    /**
     * `reuseExisting`: the same issuer, schema and tag again gives back the existing definition (as
     * ACA-Py's legacy route does) instead of a 400.
     */
    async registerCredentialDefinition(
      walletId: string,
      given: { issuerId?: string; schemaId: string; tag: string; supportRevocation: boolean; revocationRegistrySize?: number; reuseExisting?: boolean },
    ) {
      const publisher = await publisherFor(walletId, given.issuerId, 'credential_definition.issuerId')
      const registrySize = given.revocationRegistrySize ?? DEFAULT_REGISTRY_SIZE
      if (given.supportRevocation && (registrySize < MIN_REGISTRY_SIZE || registrySize > MAX_REGISTRY_SIZE)) {
        throw badRequest('options.revocation_registry_size', `A revocation registry holds ${MIN_REGISTRY_SIZE} to ${MAX_REGISTRY_SIZE} credentials`)
      }
      const input = { ...given, issuerId: publisher.issuerId }
      const present = (id: string) => (publisher.legacy ? legacyCredentialDefinitionId(id) : id)
      const queueKey = `${walletId}|${input.issuerId}|credDef|${legacySchemaId(input.schemaId)}|${input.tag}`
      const result = await oneAtATime(queueKey, () =>
        tenants.withTenant(walletId, async (tenantAgent) => {
          // The schema may be named by its did:indy or its unqualified id: the same schema either way.
          const existing = (await tenantAgent.modules.anoncreds.getCreatedCredentialDefinitions({ issuerId: input.issuerId, tag: input.tag })).find(
            (record) => legacySchemaId(record.credentialDefinition.schemaId) === legacySchemaId(input.schemaId),
          )
          if (existing && given.reuseExisting) {
            return {
              credentialDefinitionState: {
                state: 'finished' as const,
                credentialDefinitionId: existing.credentialDefinitionId,
                credentialDefinition: existing.credentialDefinition,
              },
              registrationMetadata: {},
              credentialDefinitionMetadata: {},
            }
          }
          if (existing) {
            throw badRequest('credential_definition.tag', `A credential definition with tag ${input.tag} for this schema exists: ${present(existing.credentialDefinitionId)}`)
          }
          const schema = await tenantAgent.modules.anoncreds.getSchema(input.schemaId)
          if (!schema.schema) throw badRequest('credential_definition.schemaId', `Schema ${input.schemaId} not found`)
          await refuseIfOnLedger(tenantAgent, publisher, schema.schemaMetadata, input.tag)
          const registered = await registerOrUndo(
            await publisher.prepare?.(tenantAgent),
            () =>
              tenantAgent.modules.anoncreds.registerCredentialDefinition({
                credentialDefinition: { issuerId: input.issuerId, schemaId: input.schemaId, tag: input.tag },
                options: { supportRevocation: given.supportRevocation },
              }),
            (done) => done.credentialDefinitionState.state === 'finished',
          )
          const state = registered.credentialDefinitionState
          if (given.supportRevocation && state.state === 'finished') {
            await deps.revocation.setUp(tenantAgent, walletId, { id: state.credentialDefinitionId, issuerId: input.issuerId }, registrySize)
          }
          return registered
        }),
      )
      const state = result.credentialDefinitionState
      if (state.state !== 'finished') {
        throw registrationFailure(publisher, 'credential definition', 'reason' in state ? String(state.reason) : state.state)
      }
      return {
        state: state.state,
        id: present(state.credentialDefinitionId),
        object: presentCredentialDefinition(state.credentialDefinition, publisher.legacy),
        registrationMetadata: result.registrationMetadata,
        metadata: result.credentialDefinitionMetadata,
      }
    },

    async getCredentialDefinition(walletId: string, credentialDefinitionId: string) {
      const result = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.modules.anoncreds.getCredentialDefinition(credentialDefinitionId))
      if (!result.credentialDefinition) throw notFoundError(`Credential definition ${credentialDefinitionId} not found`)
      return { ...result, credentialDefinition: presentCredentialDefinition(result.credentialDefinition, isUnqualifiedCredentialDefinitionId(credentialDefinitionId)) }
    },

    async listCredentialDefinitionIds(
      walletId: string,
      query: { issuerId?: string; schemaId?: string; schemaName?: string; schemaVersion?: string; schemaIssuerId?: string; credentialDefinitionId?: string },
    ): Promise<string[]> {
      const legacy = !query.issuerId?.startsWith('did:indy:')
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const records = (
          await tenantAgent.modules.anoncreds.getCreatedCredentialDefinitions(
            query.credentialDefinitionId
              ? isUnqualifiedCredentialDefinitionId(query.credentialDefinitionId)
                ? { unqualifiedCredentialDefinitionId: query.credentialDefinitionId }
                : { credentialDefinitionId: query.credentialDefinitionId }
              : {},
          )
        )
          .filter((record) => !query.issuerId || sameIssuer(record.credentialDefinition.issuerId, query.issuerId))
          .filter((record) => !query.schemaId || legacySchemaId(record.credentialDefinition.schemaId) === legacySchemaId(query.schemaId))
        const present = (id: string) => (legacy ? legacyCredentialDefinitionId(id) : id)
        if (!query.schemaName && !query.schemaVersion && !query.schemaIssuerId) return records.map((record) => present(record.credentialDefinitionId))
        // The schema's name, version and issuer are not tags of a credential definition, and the
        // schema may be another issuer's: each definition's schema is looked up.
        const matching: string[] = []
        for (const record of records) {
          const { schema } = await tenantAgent.modules.anoncreds.getSchema(record.credentialDefinition.schemaId)
          if (!schema) continue
          if (query.schemaName && schema.name !== query.schemaName) continue
          if (query.schemaVersion && schema.version !== query.schemaVersion) continue
          if (query.schemaIssuerId && !sameIssuer(schema.issuerId, query.schemaIssuerId)) continue
          matching.push(present(record.credentialDefinitionId))
        }
        return matching
      })
    },
  }
}

export type AnonCredsService = ReturnType<typeof anonCredsService>
