// The embedded AnonCreds registry: the did:web AnonCreds method (credo-ts-didweb-anoncreds), with
// the publishing half it leaves to the host. An object registered under a did:web that Credence
// hosts for the registering tenant is kept and served on the public port at the DID's
// `#anoncreds` service. Objects of hosted DIDs are read locally; others are fetched from their
// DID's `#anoncreds` service by our own guarded fetch (https, size and time limits, no redirects;
// the package's fetch has none of these), and checked against the id's content hash and issuer.
import type {
  GetCredentialDefinitionReturn,
  GetSchemaReturn,
  RegisterCredentialDefinitionOptions,
  RegisterCredentialDefinitionReturn,
  RegisterSchemaOptions,
  RegisterSchemaReturn,
} from '@credo-ts/anoncreds'
import { type AgentContext, DidsApi, parseDid } from '@credo-ts/core'
import { DidWebAnonCredsRegistry } from 'credo-ts-didweb-anoncreds'
import { calculateResourceId } from 'credo-ts-didweb-anoncreds/build/anoncreds/utils'

import type { AnonCredsResourceKind, HostedDidWeb, HostedResource } from './hostedDidWeb'
import { fetchPublicJson, PublicFetchError } from './webFetch'

const MAX_RESOURCE_BYTES = 1024 * 1024
const RELATIVE_REF = /^\/(schema|credDef)\/([1-9A-HJ-NP-Za-km-z]{20,60})$/

/** `did:web:…?service=anoncreds&relativeRef=/schema/<id>` → its DID, relative reference, kind and resource id. */
export function splitResourceId(id: string) {
  const parsed = parseDid(id)
  const relativeRef = parsed?.query && new URLSearchParams(parsed.query).get('relativeRef')
  const match = relativeRef ? RELATIVE_REF.exec(relativeRef) : null
  if (!parsed || parsed.method !== 'web' || !relativeRef || !match) return undefined
  return { did: parsed.did, relativeRef, kind: match[1] as AnonCredsResourceKind, resourceId: match[2] }
}

type Lookup = HostedResource | { error: string }

export class HostedAnonCredsRegistry extends DidWebAnonCredsRegistry {
  public constructor(
    private readonly hosted: HostedDidWeb,
    private readonly options: { allowHttp: boolean },
  ) {
    super({ cacheOptions: { allowCaching: false, cacheDurationInSeconds: 0 } })
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
    const found = await this.lookup(agentContext, schemaId, 'schema')
    if ('error' in found) return { schemaId, resolutionMetadata: { error: 'notFound', message: found.error }, schemaMetadata: {} }
    return { schemaId, schema: found.resource as never, schemaMetadata: found.resourceMetadata, resolutionMetadata: {} }
  }

  public override async getCredentialDefinition(agentContext: AgentContext, credentialDefinitionId: string): Promise<GetCredentialDefinitionReturn> {
    const found = await this.lookup(agentContext, credentialDefinitionId, 'credDef')
    if ('error' in found) {
      return { credentialDefinitionId, resolutionMetadata: { error: 'notFound', message: found.error }, credentialDefinitionMetadata: {} }
    }
    return {
      credentialDefinitionId,
      credentialDefinition: found.resource as never,
      credentialDefinitionMetadata: found.resourceMetadata,
      resolutionMetadata: {},
    }
  }

  /** The object `id` names, read locally for a hosted DID and fetched otherwise; an error says why not. */
  private async lookup(agentContext: AgentContext, id: string, kind: AnonCredsResourceKind): Promise<Lookup> {
    const parts = splitResourceId(id)
    if (!parts || parts.kind !== kind) return { error: `${id} is not a did:web AnonCreds ${kind === 'schema' ? 'schema' : 'credential definition'} id` }
    if (await this.hosted.ownerOf(parts.did)) {
      return (await this.hosted.resource(parts.did, parts.relativeRef)) ?? { error: `No such object: ${id}` }
    }
    try {
      const document = await agentContext.dependencyManager.resolve(DidsApi).resolveDidDocument(parts.did)
      const endpoint = document.service?.find((service) => service.id === `${parts.did}#anoncreds`)?.serviceEndpoint
      if (typeof endpoint !== 'string') return { error: `${parts.did} has no AnonCreds service` }
      const found = (await fetchPublicJson(new URL(`${endpoint}${parts.relativeRef}`), {
        allowHttp: this.options.allowHttp,
        maxBytes: MAX_RESOURCE_BYTES,
      })) as Partial<HostedResource> | undefined
      const resource = found?.resource
      if (!resource || typeof resource !== 'object') return { error: `No such object: ${id}` }
      // The id is the hash of the object and names its issuer: anything else is not this object.
      if (calculateResourceId(resource) !== parts.resourceId || resource.issuerId !== parts.did) {
        return { error: `The object served for ${id} does not match its id` }
      }
      return { resource, resourceMetadata: (found.resourceMetadata as Record<string, unknown>) ?? {} }
    } catch (error) {
      return { error: error instanceof PublicFetchError ? error.message : `${id} could not be resolved` }
    }
  }
}
