// The credentials a wallet holds (ACA-Py's holder routes): AnonCreds credentials, which Credo keeps
// as W3C records, listed by the fields ACA-Py's WQL names and deleted with a `credential` event;
// and JSON-LD credentials (the other W3C records), listed by their tags and deleted with a
// `w3c_credential` event.
import {
  AnonCredsHolderServiceSymbol,
  AnonCredsModuleConfig,
  getAnonCredsTagsFromRecord,
  ClaimFormat,
  RecordNotFoundError,
  type AnonCredsCredentialInfo,
  type AnonCredsHolderService,
  type W3cCredentialRecord,
} from '../agent/credo'

import type { TenantEventBus } from '../events/tenantEvents'
import { badRequest, notFoundError, peerUnavailable } from '../errors'
import type { TenantAgent, TenantService } from './tenants'

/** ACA-Py's WQL keys that name a credential's identifiers, and Credo's query names for them. */
const WQL_FIELDS = {
  schema_id: 'schemaId',
  cred_def_id: 'credentialDefinitionId',
  issuer_did: 'issuerId',
  issuer_id: 'issuerId',
  schema_issuer_did: 'schemaIssuerId',
  schema_issuer_id: 'schemaIssuerId',
  schema_name: 'schemaName',
  schema_version: 'schemaVersion',
} as const

/** `attr::<name>::value` and `attr::<name>::marker`: the attribute's value, or that it exists. */
const ATTRIBUTE_CLAUSE = /^attr::(.+)::(value|marker)$/

/**
 * A WQL map of equalities, as ACA-Py controllers send it (`{"cred_def_id": "…", "attr::name::value": "Alice"}`).
 * Operators (`$or`, `$in`, …) are refused with a 400 rather than ignored.
 */
export function parseWql(wql: unknown): { query: Record<string, string>; attributes: Array<{ name: string; value?: string }> } {
  if (typeof wql !== 'object' || wql === null || Array.isArray(wql)) throw badRequest('wql', 'wql is a JSON object')
  const query: Record<string, string> = {}
  const attributes: Array<{ name: string; value?: string }> = []
  for (const [key, value] of Object.entries(wql)) {
    if (typeof value !== 'string') throw badRequest('wql', `wql ${key}: only equality with a string is supported`)
    const attribute = ATTRIBUTE_CLAUSE.exec(key)
    if (attribute) attributes.push({ name: attribute[1], ...(attribute[2] === 'value' ? { value } : {}) })
    else if (Object.hasOwn(WQL_FIELDS, key)) query[WQL_FIELDS[key as keyof typeof WQL_FIELDS]] = value
    else throw badRequest('wql', `wql ${key} is not supported; use ${Object.keys(WQL_FIELDS).join(', ')} or attr::<name>::value`)
  }
  return { query, attributes }
}

/** ACA-Py's W3C list filters (all given ones must hold). */
export interface W3cCredentialFilter {
  contexts?: string[]
  types?: string[]
  schemaIds?: string[]
  issuerId?: string
  subjectIds?: string[]
  proofTypes?: string[]
  givenId?: string
  maxResults: number
}

/** What an AnonCreds credential in the wallet is, as Credo's credential info and proof matches give it. */
export interface HeldAnonCredsCredential {
  credentialId: string
  /** As Credo gives them: numeric-looking values may come back as numbers. */
  attributes: Record<string, string | number>
  schemaId: string
  credentialDefinitionId: string
  revocationRegistryId?: string | null
  credentialRevocationId?: string | null
}

/** A JSON-LD credential with what ACA-Py's VCRecord shows beside it. */
export interface HeldW3cCredential {
  record: W3cCredentialRecord
  expandedTypes: string[]
  proofTypes: string[]
}

/** AnonCreds credentials are W3C records too in Credo 0.5; they carry AnonCreds tags. */
export const isJsonLdRecord = (record: W3cCredentialRecord) =>
  record.credential.claimFormat === ClaimFormat.LdpVc && (record.getTags() as Record<string, unknown>).anonCredsCredentialDefinitionId === undefined

const proofTypesOf = (record: W3cCredentialRecord) => record.getTags().proofTypes ?? []

const includesAll = (have: readonly string[], wanted: readonly string[] | undefined) => !wanted || wanted.every((item) => have.includes(item))

const holderOf = (tenantAgent: TenantAgent) => tenantAgent.dependencyManager.resolve<AnonCredsHolderService>(AnonCredsHolderServiceSymbol)

/**
 * Credo lists a credential issued under unqualified Indy ids by their did:indy forms; ACA-Py shows
 * the ids the issuer used, and so does this: each credential read again by its id.
 */
export function asIssuerNamedThem(tenantAgent: TenantAgent, credentialIds: string[]): Promise<AnonCredsCredentialInfo[]> {
  const holder = holderOf(tenantAgent)
  return Promise.all(credentialIds.map((id) => holder.getCredential(tenantAgent.context, { id, useUnqualifiedIdentifiersIfPresent: true })))
}

export function holderCredentialService(deps: { tenants: TenantService; events: TenantEventBus }) {
  const { tenants, events } = deps

  async function find(tenantAgent: TenantAgent, credentialId: string): Promise<AnonCredsCredentialInfo> {
    // A JSON-LD credential is a W3C record too, but not one of these.
    const w3c = await tenantAgent.w3cCredentials.getCredentialRecordById(credentialId).catch(() => undefined)
    if (w3c && !getAnonCredsTagsFromRecord(w3c)) throw notFoundError(`Credential ${credentialId} not found`)
    try {
      return await holderOf(tenantAgent).getCredential(tenantAgent.context, { id: credentialId, useUnqualifiedIdentifiersIfPresent: true })
    } catch (error) {
      if (error instanceof RecordNotFoundError) throw notFoundError(`Credential ${credentialId} not found`)
      throw error
    }
  }

  /** The credential's types as IRIs, as ACA-Py lists them (`expanded_types`): Credo expands them when it stores one. */
  const expandedTypes = (record: W3cCredentialRecord): string[] => ((record.getTags() as { expandedTypes?: string[] }).expandedTypes ?? [])

  async function findW3c(tenantAgent: TenantAgent, credentialId: string): Promise<W3cCredentialRecord> {
    const record = await tenantAgent.w3cCredentials.getCredentialRecordById(credentialId).catch((error) => {
      if (error instanceof RecordNotFoundError) return undefined
      throw error
    })
    if (!record || !isJsonLdRecord(record)) throw notFoundError(`W3C credential ${credentialId} not found`)
    return record
  }

  return {
    listW3c(walletId: string, filter: W3cCredentialFilter): Promise<HeldW3cCredential[]> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const records = (await tenantAgent.w3cCredentials.getAllCredentialRecords()).filter(isJsonLdRecord)
        const held: HeldW3cCredential[] = []
        for (const record of records.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
          const { credential } = record
          const contexts = credential.contexts.filter((c): c is string => typeof c === 'string')
          if (!includesAll(contexts, filter.contexts) || !includesAll(credential.credentialSchemaIds, filter.schemaIds)) continue
          if (!includesAll(credential.credentialSubjectIds, filter.subjectIds) || !includesAll(proofTypesOf(record), filter.proofTypes)) continue
          if ((filter.issuerId && credential.issuerId !== filter.issuerId) || (filter.givenId && credential.id !== filter.givenId)) continue
          const types = expandedTypes(record)
          // ACA-Py matches expanded types; the compact names a credential shows are taken too.
          if (filter.types && !filter.types.every((type) => types.includes(type) || credential.type.includes(type))) continue
          held.push({ record, expandedTypes: types, proofTypes: proofTypesOf(record) })
          if (held.length >= filter.maxResults) break
        }
        return held
      })
    },

    getW3c(walletId: string, credentialId: string): Promise<HeldW3cCredential> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await findW3c(tenantAgent, credentialId)
        return { record, expandedTypes: expandedTypes(record), proofTypes: proofTypesOf(record) }
      })
    },

    async deleteW3c(walletId: string, credentialId: string): Promise<void> {
      await tenants.withTenant(walletId, async (tenantAgent) => {
        await findW3c(tenantAgent, credentialId)
        await tenantAgent.w3cCredentials.removeCredentialRecord(credentialId)
      })
      events.publish(walletId, { kind: 'holder-credential-deleted', format: 'w3c', credentialId })
    },

    list(walletId: string, wql?: unknown): Promise<AnonCredsCredentialInfo[]> {
      const { query, attributes } = wql === undefined ? { query: {}, attributes: [] } : parseWql(wql)
      return tenants.withTenant(walletId, async (tenantAgent) => {
        // Asked per AnonCreds method: only AnonCreds credentials carry a method name (an unfiltered
        // query would also return the JSON-LD credentials, which Credo cannot read as AnonCreds).
        const methods = new Set(tenantAgent.dependencyManager.resolve(AnonCredsModuleConfig).registries.map((registry) => registry.methodName))
        const found = (await Promise.all([...methods].map((methodName) => tenantAgent.modules.anoncreds.getCredentials({ ...query, methodName })))).flat()
        const matching = found.filter((credential) =>
          attributes.every(({ name, value }) => name in credential.attributes && (value === undefined || String(credential.attributes[name]) === value)),
        )
        return asIssuerNamedThem(
          tenantAgent,
          matching.map(({ credentialId }) => credentialId),
        )
      })
    },

    /**
     * Whether the issuer's status list in force at `at` (default now) has the credential revoked;
     * false for a credential that cannot be revoked, as ACA-Py answers.
     */
    isRevoked(walletId: string, credentialId: string, at?: number): Promise<boolean> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const credential = await find(tenantAgent, credentialId)
        const { revocationRegistryId, credentialRevocationId } = credential
        if (!revocationRegistryId || credentialRevocationId === null || credentialRevocationId === undefined) return false
        const found = await tenantAgent.modules.anoncreds.getRevocationStatusList(revocationRegistryId, at ?? Math.floor(Date.now() / 1000))
        if (!found.revocationStatusList) {
          throw peerUnavailable(`The status list of ${revocationRegistryId} could not be read: ${found.resolutionMetadata.message ?? found.resolutionMetadata.error}`)
        }
        return found.revocationStatusList.revocationList[Number(credentialRevocationId)] === 1
      })
    },

    get(walletId: string, credentialId: string): Promise<AnonCredsCredentialInfo> {
      return tenants.withTenant(walletId, (tenantAgent) => find(tenantAgent, credentialId))
    },

    async delete(walletId: string, credentialId: string): Promise<void> {
      await tenants.withTenant(walletId, async (tenantAgent) => {
        await find(tenantAgent, credentialId)
        await holderOf(tenantAgent).deleteCredential(tenantAgent.context, credentialId)
      })
      events.publish(walletId, { kind: 'holder-credential-deleted', format: 'anoncreds', credentialId })
    },
  }
}

export type HolderCredentialService = ReturnType<typeof holderCredentialService>
