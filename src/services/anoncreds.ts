// AnonCreds schemas and credential definitions of one wallet. The registry is chosen by the issuer
// id's DID method (Credo's AnonCreds module does that); today that is the embedded did:web registry.
// A refused registration leaves nothing behind: the registry refuses before Credo stores a record.
import { badRequest, notFoundError } from '../errors'
import type { TenantService } from './tenants'

export interface SchemaInput {
  /** Defaults to the wallet's public DID (ACA-Py's legacy routes publish under it). */
  issuerId?: string
  name: string
  version: string
  attrNames: string[]
}

export interface RegistrationState<T> {
  state: string
  id?: string
  object?: T
  reason?: string
}

export function anonCredsService(deps: {
  tenants: TenantService
  publicDidOf: (walletId: string) => Promise<string | undefined>
  /** The wallet hosting a did:web, when this server hosts it. */
  hostOf: (did: string) => Promise<string | undefined>
}) {
  const { tenants } = deps

  /**
   * Only the embedded did:web registry exists so far, and a wallet publishes only under its own
   * hosted did:web. Checked before Credo does any work (a credential definition's keys take seconds).
   */
  async function assertPublisher(walletId: string, issuerId: string, field: string): Promise<void> {
    if (!issuerId.startsWith('did:web:')) {
      throw badRequest(field, `No AnonCreds registry for ${issuerId.split(':')[1] ?? issuerId} DIDs here yet; use a did:web this server hosts`)
    }
    if ((await deps.hostOf(issuerId)) !== walletId) {
      throw badRequest(field, `${issuerId} is not a did:web this server hosts for the wallet; create one with POST /wallet/did/create {"method":"web"}`)
    }
  }

  async function issuerOf(walletId: string, given: string | undefined, field: string): Promise<string> {
    if (given) return given
    const publicDid = await deps.publicDidOf(walletId)
    if (!publicDid) throw badRequest(field, 'No issuer given and the wallet has no public DID (POST /wallet/did/public)')
    return publicDid
  }

  return {
    async registerSchema(walletId: string, input: SchemaInput) {
      const schema = { ...input, issuerId: await issuerOf(walletId, input.issuerId, 'schema.issuerId') }
      await assertPublisher(walletId, schema.issuerId, 'schema.issuerId')
      const seen = new Set<string>()
      for (const name of schema.attrNames) {
        if (seen.has(name)) throw badRequest('schema.attrNames', `Attribute name ${name} appears twice`)
        seen.add(name)
      }
      const result = await tenants.withTenant(walletId, async (tenantAgent) => {
        const existing = await tenantAgent.modules.anoncreds.getCreatedSchemas({
          issuerId: schema.issuerId,
          schemaName: schema.name,
          schemaVersion: schema.version,
        })
        if (existing.length > 0) {
          throw badRequest('schema.version', `Schema ${schema.name} ${schema.version} of ${schema.issuerId} already exists: ${existing[0].schemaId}`)
        }
        return tenantAgent.modules.anoncreds.registerSchema({ schema, options: {} })
      })
      const state = result.schemaState
      // Refusals were checked above; a failure here is the registry's or the store's fault.
      if (state.state !== 'finished') throw new Error(`schema registration ended in state ${state.state}: ${'reason' in state ? state.reason : ''}`)
      return { state: state.state, id: state.schemaId, object: state.schema, registrationMetadata: result.registrationMetadata, metadata: result.schemaMetadata }
    },

    async getSchema(walletId: string, schemaId: string) {
      const result = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.modules.anoncreds.getSchema(schemaId))
      if (!result.schema) throw notFoundError(`Schema ${schemaId} not found${result.resolutionMetadata.message ? `: ${result.resolutionMetadata.message}` : ''}`)
      return result
    },

    async listSchemaIds(walletId: string, query: { issuerId?: string; name?: string; version?: string; schemaId?: string }): Promise<string[]> {
      const records = await tenants.withTenant(walletId, (tenantAgent) =>
        tenantAgent.modules.anoncreds.getCreatedSchemas({
          ...(query.schemaId ? { schemaId: query.schemaId } : {}),
          ...(query.issuerId ? { issuerId: query.issuerId } : {}),
          ...(query.name ? { schemaName: query.name } : {}),
          ...(query.version ? { schemaVersion: query.version } : {}),
        }),
      )
      return records.map((record) => record.schemaId)
    },

    /**
     * `reuseExisting`: the same issuer, schema and tag again gives back the existing definition (as
     * ACA-Py's legacy route does) instead of a 400.
     */
    async registerCredentialDefinition(
      walletId: string,
      given: { issuerId?: string; schemaId: string; tag: string; supportRevocation: boolean; reuseExisting?: boolean },
    ) {
      const input = { ...given, issuerId: await issuerOf(walletId, given.issuerId, 'credential_definition.issuerId') }
      if (input.supportRevocation) throw badRequest('options.support_revocation', 'Revocable credential definitions are not supported yet')
      await assertPublisher(walletId, input.issuerId, 'credential_definition.issuerId')
      const result = await tenants.withTenant(walletId, async (tenantAgent) => {
        const [existing] = await tenantAgent.modules.anoncreds.getCreatedCredentialDefinitions({
          issuerId: input.issuerId,
          schemaId: input.schemaId,
          tag: input.tag,
        })
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
          throw badRequest('credential_definition.tag', `A credential definition with tag ${input.tag} for this schema exists: ${existing.credentialDefinitionId}`)
        }
        const schema = await tenantAgent.modules.anoncreds.getSchema(input.schemaId)
        if (!schema.schema) throw badRequest('credential_definition.schemaId', `Schema ${input.schemaId} not found`)
        return tenantAgent.modules.anoncreds.registerCredentialDefinition({
          credentialDefinition: { issuerId: input.issuerId, schemaId: input.schemaId, tag: input.tag },
          options: { supportRevocation: false },
        })
      })
      const state = result.credentialDefinitionState
      if (state.state !== 'finished') {
        throw new Error(`credential definition registration ended in state ${state.state}: ${'reason' in state ? state.reason : ''}`)
      }
      return {
        state: state.state,
        id: state.credentialDefinitionId,
        object: state.credentialDefinition,
        registrationMetadata: result.registrationMetadata,
        metadata: result.credentialDefinitionMetadata,
      }
    },

    async getCredentialDefinition(walletId: string, credentialDefinitionId: string) {
      const result = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.modules.anoncreds.getCredentialDefinition(credentialDefinitionId))
      if (!result.credentialDefinition) throw notFoundError(`Credential definition ${credentialDefinitionId} not found`)
      return result
    },

    async listCredentialDefinitionIds(
      walletId: string,
      query: { issuerId?: string; schemaId?: string; schemaName?: string; schemaVersion?: string; schemaIssuerId?: string; credentialDefinitionId?: string },
    ): Promise<string[]> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const records = await tenantAgent.modules.anoncreds.getCreatedCredentialDefinitions({
          ...(query.issuerId ? { issuerId: query.issuerId } : {}),
          ...(query.schemaId ? { schemaId: query.schemaId } : {}),
          ...(query.credentialDefinitionId ? { credentialDefinitionId: query.credentialDefinitionId } : {}),
        })
        if (!query.schemaName && !query.schemaVersion && !query.schemaIssuerId) return records.map((record) => record.credentialDefinitionId)
        // The schema's name, version and issuer are not tags of a credential definition, and the
        // schema may be another issuer's: each definition's schema is looked up.
        const matching: string[] = []
        for (const record of records) {
          const { schema } = await tenantAgent.modules.anoncreds.getSchema(record.credentialDefinition.schemaId)
          if (!schema) continue
          if (query.schemaName && schema.name !== query.schemaName) continue
          if (query.schemaVersion && schema.version !== query.schemaVersion) continue
          if (query.schemaIssuerId && schema.issuerId !== query.schemaIssuerId) continue
          matching.push(record.credentialDefinitionId)
        }
        return matching
      })
    },
  }
}

export type AnonCredsService = ReturnType<typeof anonCredsService>
