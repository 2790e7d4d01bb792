// The credentials a wallet holds (ACA-Py's holder routes): AnonCreds credentials, which Credo keeps
// as W3C records, listed by the fields ACA-Py's WQL names and deleted with a `credential` event.
import type { AnonCredsCredentialInfo, AnonCredsHolderService } from '@credo-ts/anoncreds'
import { AnonCredsHolderServiceSymbol } from '@credo-ts/anoncreds'
import { RecordNotFoundError } from '@credo-ts/core'

import type { TenantEventBus } from '../events/tenantEvents'
import { badRequest, notFoundError } from '../errors'
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

export function holderCredentialService(deps: { tenants: TenantService; events: TenantEventBus }) {
  const { tenants, events } = deps
  const holderOf = (tenantAgent: TenantAgent) => tenantAgent.dependencyManager.resolve<AnonCredsHolderService>(AnonCredsHolderServiceSymbol)

  async function find(tenantAgent: TenantAgent, credentialId: string): Promise<AnonCredsCredentialInfo> {
    try {
      return await holderOf(tenantAgent).getCredential(tenantAgent.context, { id: credentialId, useUnqualifiedIdentifiersIfPresent: true })
    } catch (error) {
      if (error instanceof RecordNotFoundError) throw notFoundError(`Credential ${credentialId} not found`)
      throw error
    }
  }

  return {
    list(walletId: string, wql?: unknown): Promise<AnonCredsCredentialInfo[]> {
      const { query, attributes } = wql === undefined ? { query: {}, attributes: [] } : parseWql(wql)
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const found = await tenantAgent.modules.anoncreds.getCredentials(query)
        return found.filter((credential) =>
          attributes.every(({ name, value }) => name in credential.attributes && (value === undefined || String(credential.attributes[name]) === value)),
        )
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
      events.publish(walletId, 'credential', { id: credentialId, state: 'deleted' })
    },
  }
}

export type HolderCredentialService = ReturnType<typeof holderCredentialService>
