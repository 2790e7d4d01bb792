// The embedded AnonCreds registry: the did:web AnonCreds method (credo-ts-didweb-anoncreds), with
// the publishing half it leaves to the host. An object registered under a did:web that Credence
// hosts for the registering tenant is kept and served on the public port at the DID's
// `#anoncreds` service; objects of hosted DIDs are read locally, all others over HTTP(S).
import type {
  GetCredentialDefinitionReturn,
  GetSchemaReturn,
  RegisterCredentialDefinitionOptions,
  RegisterCredentialDefinitionReturn,
  RegisterSchemaOptions,
  RegisterSchemaReturn,
} from '@credo-ts/anoncreds'
import { type AgentContext, parseDid } from '@credo-ts/core'
import { DidWebAnonCredsRegistry } from 'credo-ts-didweb-anoncreds'

import type { HostedDidWeb } from './hostedDidWeb'

/** `did:web:…?service=anoncreds&relativeRef=/schema/<id>` → its DID and relative reference. */
export function splitResourceId(id: string): { did: string; relativeRef: string } | undefined {
  const parsed = parseDid(id)
  const relativeRef = parsed?.query && new URLSearchParams(parsed.query).get('relativeRef')
  return parsed && relativeRef ? { did: parsed.did, relativeRef } : undefined
}

export class HostedAnonCredsRegistry extends DidWebAnonCredsRegistry {
  public constructor(private readonly hosted: HostedDidWeb) {
    super({ cacheOptions: { allowCaching: true, cacheDurationInSeconds: 300 } })
  }

  /** Why the tenant may not publish under `issuerId` here, if it may not. */
  private async whyNotPublisher(agentContext: AgentContext, issuerId: string): Promise<string | undefined> {
    const owner = await this.hosted.ownerOf(issuerId)
    if (owner === agentContext.contextCorrelationId) return undefined
    return `${issuerId} is not a did:web this server hosts for the wallet; create one with POST /wallet/did/create {"method":"web"}`
  }

  public override async registerSchema(agentContext: AgentContext, options: RegisterSchemaOptions): Promise<RegisterSchemaReturn> {
    const refused = await this.whyNotPublisher(agentContext, options.schema.issuerId)
    if (refused) return { schemaState: { state: 'failed', schema: options.schema, reason: refused }, registrationMetadata: {}, schemaMetadata: {} }
    const result = await super.registerSchema(agentContext, options)
    const { relativeRef } = splitResourceId(result.schemaState.schemaId!)!
    await this.hosted.keepResource(options.schema.issuerId, relativeRef, agentContext.contextCorrelationId, { ...options.schema })
    return result
  }

  public override async registerCredentialDefinition(
    agentContext: AgentContext,
    options: RegisterCredentialDefinitionOptions,
  ): Promise<RegisterCredentialDefinitionReturn> {
    const { credentialDefinition } = options
    const refused = await this.whyNotPublisher(agentContext, credentialDefinition.issuerId)
    if (refused) {
      return { credentialDefinitionState: { state: 'failed', credentialDefinition, reason: refused }, registrationMetadata: {}, credentialDefinitionMetadata: {} }
    }
    const result = await super.registerCredentialDefinition(agentContext, options)
    const { relativeRef } = splitResourceId(result.credentialDefinitionState.credentialDefinitionId!)!
    await this.hosted.keepResource(credentialDefinition.issuerId, relativeRef, agentContext.contextCorrelationId, {
      ...credentialDefinition,
    } as unknown as Record<string, unknown>)
    return result
  }

  public override async getSchema(agentContext: AgentContext, schemaId: string): Promise<GetSchemaReturn> {
    const local = await this.local(schemaId)
    if (local === 'remote') return super.getSchema(agentContext, schemaId)
    if (!local) return { schemaId, resolutionMetadata: { error: 'notFound', message: `No schema ${schemaId}` }, schemaMetadata: {} }
    return { schemaId, schema: local.resource as never, schemaMetadata: local.resourceMetadata, resolutionMetadata: {} }
  }

  public override async getCredentialDefinition(agentContext: AgentContext, credentialDefinitionId: string): Promise<GetCredentialDefinitionReturn> {
    const local = await this.local(credentialDefinitionId)
    if (local === 'remote') return super.getCredentialDefinition(agentContext, credentialDefinitionId)
    if (!local) {
      return {
        credentialDefinitionId,
        resolutionMetadata: { error: 'notFound', message: `No credential definition ${credentialDefinitionId}` },
        credentialDefinitionMetadata: {},
      }
    }
    return {
      credentialDefinitionId,
      credentialDefinition: local.resource as never,
      credentialDefinitionMetadata: local.resourceMetadata,
      resolutionMetadata: {},
    }
  }

  /** A hosted DID's object (undefined when it has none), or 'remote' for a DID hosted elsewhere. */
  private async local(id: string) {
    const parts = splitResourceId(id)
    if (!parts || !(await this.hosted.ownerOf(parts.did))) return 'remote' as const
    return this.hosted.resource(parts.did, parts.relativeRef)
  }
}
