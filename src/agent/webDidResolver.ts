// did:web resolution with our own fetch. Credo's WebDidResolver always uses https through its own
// HTTP client; Credence also hosts did:web documents for its tenants, and tests and local demos
// run them on loopback over plain http. That is allowed only for loopback hosts and only when
// CREDENCE_DID_WEB_ALLOW_HTTP is on; everything else is https, as the did:web spec requires.
import {
  type AgentContext,
  type DidResolutionResult,
  type DidResolver,
  type ParsedDid,
  DidDocument,
  JsonTransformer,
} from '@credo-ts/core'

import type { HostedDidWeb } from './hostedDidWeb'
import { fetchPublicJson, isLoopbackHost, PublicFetchError } from './webFetch'

const MAX_DOCUMENT_BYTES = 256 * 1024
/** A did:web host part (`host` or `host%3Aport`) and path segments, before percent-decoding. */
const ID_PART = /^[A-Za-z0-9.-]+(%3[Aa]\d{1,5})?$/
const PATH_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._~-]+$/

/** Where a did:web document lives: `did:web:host%3Aport:a:b` → `<scheme>://host:port/a/b/did.json`. */
export function didWebDocumentUrl(did: string, allowHttp: boolean): URL {
  const [, method, idPart, ...pathParts] = did.split(':')
  if (method !== 'web' || !idPart) throw new Error(`${did} is not a did:web`)
  // Nothing that decodes to a path, user info, query or fragment gets into the URL.
  if (!ID_PART.test(idPart) || !pathParts.every((part) => PATH_SEGMENT.test(part))) throw new Error(`${did} is not a valid did:web`)
  const host = decodeURIComponent(idPart)
  const hostname = host.replace(/:\d+$/, '')
  const scheme = allowHttp && isLoopbackHost(hostname) ? 'http' : 'https'
  const path = pathParts.length > 0 ? `/${pathParts.join('/')}/did.json` : '/.well-known/did.json'
  return new URL(`${scheme}://${host}${path}`)
}

const failure = (error: string, message: string): DidResolutionResult => ({
  didDocument: null,
  didDocumentMetadata: {},
  didResolutionMetadata: { error, message },
})

export class CredenceWebDidResolver implements DidResolver {
  public readonly supportedMethods = ['web']
  public readonly allowsCaching = true
  public readonly allowsLocalDidRecord = true

  public constructor(private readonly options: { allowHttp: boolean; hosted: HostedDidWeb }) {}

  public async resolve(_agentContext: AgentContext, did: string, parsed: ParsedDid): Promise<DidResolutionResult> {
    // A did:web this server hosts is read where it is kept, not fetched from ourselves.
    const hostedDocument = await this.options.hosted.document(parsed.did)
    if (hostedDocument) {
      return {
        didDocument: JsonTransformer.fromJSON(hostedDocument, DidDocument),
        didDocumentMetadata: {},
        didResolutionMetadata: { contentType: 'application/did+ld+json' },
      }
    }
    let url: URL
    try {
      url = didWebDocumentUrl(parsed.did, this.options.allowHttp)
    } catch (error) {
      return failure('invalidDid', (error as Error).message)
    }
    try {
      const json = await fetchPublicJson(url, { allowHttp: this.options.allowHttp, maxBytes: MAX_DOCUMENT_BYTES })
      if (json === undefined) return failure('notFound', `${did} has no document`)
      const document = JsonTransformer.fromJSON(json, DidDocument)
      if (document.id !== parsed.did) return failure('invalidDidDocument', `the document of ${parsed.did} names another DID`)
      return { didDocument: document, didDocumentMetadata: {}, didResolutionMetadata: { contentType: 'application/did+ld+json' } }
    } catch (error) {
      return failure('notFound', error instanceof PublicFetchError ? error.message : `${did} could not be resolved`)
    }
  }
}
