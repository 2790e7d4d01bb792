// The embedded AnonCreds registry: the did:web AnonCreds method (credo-ts-didweb-anoncreds), with
// the publishing half it leaves to the host. An object registered under a did:web that Credence
// hosts for the registering tenant is kept and served on the public port at the DID's
// `#anoncreds` service. Objects of hosted DIDs are read locally; others are fetched from their
// DID's `#anoncreds` service by our own guarded fetch (https, size and time limits, no redirects;
// the package's fetch has none of these), and checked against the id's content hash and issuer.
// A revocation registry definition's status lists are kept with their history and served at
// `<DID path>/anoncreds/revStatusList/<definition's resource id>/<timestamp>`: the list in force
// at that moment (the did:web AnonCreds method's `statusListEndpoint`).
import type {
  AnonCredsRevocationStatusList,
  GetCredentialDefinitionReturn,
  GetRevocationRegistryDefinitionReturn,
  GetRevocationStatusListReturn,
  GetSchemaReturn,
  RegisterCredentialDefinitionOptions,
  RegisterCredentialDefinitionReturn,
  RegisterRevocationRegistryDefinitionOptions,
  RegisterRevocationRegistryDefinitionReturn,
  RegisterRevocationStatusListOptions,
  RegisterRevocationStatusListReturn,
  RegisterSchemaOptions,
  RegisterSchemaReturn,
} from '@credo-ts/anoncreds'
import { type AgentContext, DidsApi, parseDid } from '@credo-ts/core'
import { DidWebAnonCredsRegistry } from 'credo-ts-didweb-anoncreds'
import { calculateResourceId } from 'credo-ts-didweb-anoncreds/build/anoncreds/utils'

import type { AnonCredsResourceKind, HostedDidWeb, HostedResource } from './hostedDidWeb'
import { fetchPublicJson, PublicFetchError } from './webFetch'

const MAX_RESOURCE_BYTES = 1024 * 1024
const RELATIVE_REF = /^\/(schema|credDef|revRegDef)\/([1-9A-HJ-NP-Za-km-z]{20,60})$/

/** `did:web:…?service=anoncreds&relativeRef=/schema/<id>` → its DID, relative reference, kind and resource id. */
export function splitResourceId(id: string) {
  const parsed = parseDid(id)
  const relativeRef = parsed?.query && new URLSearchParams(parsed.query).get('relativeRef')
  const match = relativeRef ? RELATIVE_REF.exec(relativeRef) : null
  if (!parsed || parsed.method !== 'web' || !relativeRef || !match) return undefined
  return { did: parsed.did, relativeRef, kind: match[1] as AnonCredsResourceKind, resourceId: match[2] }
}

type Lookup = HostedResource | { error: string }

const KIND_NAMES: Record<AnonCredsResourceKind, string> = { schema: 'schema', credDef: 'credential definition', revRegDef: 'revocation registry definition' }

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

  public override async registerRevocationRegistryDefinition(
    agentContext: AgentContext,
    options: RegisterRevocationRegistryDefinitionOptions,
  ): Promise<RegisterRevocationRegistryDefinitionReturn> {
    const { revocationRegistryDefinition } = options
    const refused = await this.whyNotPublisher(agentContext, revocationRegistryDefinition.issuerId)
    if (refused) {
      return {
        revocationRegistryDefinitionState: { state: 'failed', revocationRegistryDefinition, reason: refused },
        registrationMetadata: {},
        revocationRegistryDefinitionMetadata: {},
      }
    }
    const result = await super.registerRevocationRegistryDefinition(agentContext, options)
    const id = result.revocationRegistryDefinitionState.revocationRegistryDefinitionId!
    const { did, relativeRef, resourceId } = splitResourceId(id)!
    const statusListEndpoint = `${await this.anonCredsEndpoint(agentContext, did)}/revStatusList/${resourceId}`
    await this.hosted.keepResource(did, relativeRef, agentContext.contextCorrelationId, { ...revocationRegistryDefinition } as never, { statusListEndpoint })
    return { ...result, revocationRegistryDefinitionMetadata: { statusListEndpoint } }
  }

  public override async getRevocationRegistryDefinition(agentContext: AgentContext, revocationRegistryDefinitionId: string): Promise<GetRevocationRegistryDefinitionReturn> {
    const found = await this.lookup(agentContext, revocationRegistryDefinitionId, 'revRegDef')
    if ('error' in found) {
      return { revocationRegistryDefinitionId, resolutionMetadata: { error: 'notFound', message: found.error }, revocationRegistryDefinitionMetadata: {} }
    }
    return {
      revocationRegistryDefinitionId,
      revocationRegistryDefinition: found.resource as never,
      revocationRegistryDefinitionMetadata: found.resourceMetadata,
      resolutionMetadata: {},
    }
  }

  public override async registerRevocationStatusList(agentContext: AgentContext, options: RegisterRevocationStatusListOptions): Promise<RegisterRevocationStatusListReturn> {
    const { revocationStatusList } = options
    const refused = await this.whyNotPublisher(agentContext, revocationStatusList.issuerId)
    if (refused) return { revocationStatusListState: { state: 'failed', revocationStatusList, reason: refused }, registrationMetadata: {}, revocationStatusListMetadata: {} }
    const timestamp = await this.hosted.keepStatusList(revocationStatusList.revRegDefId, agentContext.contextCorrelationId, { ...revocationStatusList } as never)
    return {
      revocationStatusListState: { state: 'finished', revocationStatusList: { ...revocationStatusList, timestamp } as AnonCredsRevocationStatusList },
      registrationMetadata: {},
      revocationStatusListMetadata: {},
    }
  }

  public override async getRevocationStatusList(agentContext: AgentContext, revocationRegistryId: string, timestamp: number): Promise<GetRevocationStatusListReturn> {
    const notFound = (message: string): GetRevocationStatusListReturn => ({ resolutionMetadata: { error: 'notFound', message }, revocationStatusListMetadata: {} })
    const parts = splitResourceId(revocationRegistryId)
    if (!parts || parts.kind !== 'revRegDef') return notFound(`${revocationRegistryId} is not a did:web revocation registry definition id`)
    let found: HostedResource | undefined
    if (await this.hosted.ownerOf(parts.did)) {
      found = await this.hosted.statusList(revocationRegistryId, timestamp)
    } else {
      const definition = await this.getRevocationRegistryDefinition(agentContext, revocationRegistryId)
      const endpoint = definition.revocationRegistryDefinitionMetadata.statusListEndpoint
      if (typeof endpoint !== 'string') return notFound(`${revocationRegistryId} names no status list endpoint`)
      try {
        found = (await fetchPublicJson(new URL(`${endpoint}/${Math.floor(timestamp)}`), { allowHttp: this.options.allowHttp, maxBytes: MAX_RESOURCE_BYTES })) as HostedResource | undefined
      } catch (error) {
        return notFound(error instanceof PublicFetchError ? error.message : `The status list of ${revocationRegistryId} could not be fetched`)
      }
    }
    const list = found?.resource as Partial<AnonCredsRevocationStatusList> | undefined
    if (!list) return notFound(`No status list of ${revocationRegistryId} at or before ${timestamp}`)
    // A list is this registry's only when it says so, and it must not be from after the moment asked.
    if (list.revRegDefId !== revocationRegistryId || list.issuerId !== parts.did || typeof list.timestamp !== 'number' || list.timestamp > timestamp) {
      return notFound(`The status list served for ${revocationRegistryId} does not belong to it`)
    }
    return { revocationStatusList: list as AnonCredsRevocationStatusList, revocationStatusListMetadata: found!.resourceMetadata ?? {}, resolutionMetadata: {} }
  }

  /** Where a hosted DID's AnonCreds objects are served: its DID document's `#anoncreds` service. */
  private async anonCredsEndpoint(agentContext: AgentContext, did: string): Promise<string> {
    const document = await agentContext.dependencyManager.resolve(DidsApi).resolveDidDocument(did)
    const endpoint = document.service?.find((service) => service.id === `${did}#anoncreds`)?.serviceEndpoint
    if (typeof endpoint !== 'string') throw new Error(`${did} has no AnonCreds service`)
    return endpoint
  }

  /** The object `id` names, read locally for a hosted DID and fetched otherwise; an error says why not. */
  private async lookup(agentContext: AgentContext, id: string, kind: AnonCredsResourceKind): Promise<Lookup> {
    const parts = splitResourceId(id)
    if (!parts || parts.kind !== kind) return { error: `${id} is not a did:web AnonCreds ${KIND_NAMES[kind]} id` }
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
