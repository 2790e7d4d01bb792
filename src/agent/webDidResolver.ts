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

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])
const FETCH_TIMEOUT_MS = 5000
const MAX_DOCUMENT_BYTES = 256 * 1024

/** Where a did:web document lives: `did:web:host%3Aport:a:b` → `<scheme>://host:port/a/b/did.json`. */
export function didWebDocumentUrl(did: string, allowHttp: boolean): URL {
  const [, method, idPart, ...pathParts] = did.split(':')
  if (method !== 'web' || !idPart) throw new Error(`${did} is not a did:web`)
  const host = decodeURIComponent(idPart)
  const hostname = host.replace(/:\d+$/, '')
  const scheme = allowHttp && LOOPBACK_HOSTS.has(hostname) ? 'http' : 'https'
  const path = pathParts.length > 0 ? `/${pathParts.map(decodeURIComponent).join('/')}/did.json` : '/.well-known/did.json'
  return new URL(`${scheme}://${host}${path}`)
}

const failure = (error: string, message: string): DidResolutionResult => ({
  didDocument: null,
  didDocumentMetadata: {},
  didResolutionMetadata: { error, message },
})

/** The body as text, or undefined (and the rest left unread) once it passes `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > limit) {
      await response.body?.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

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
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' })
      if (response.status === 404) return failure('notFound', `${url} answered 404`)
      if (!response.ok) return failure('notFound', `${url} answered ${response.status}`)
      const text = await readLimited(response, MAX_DOCUMENT_BYTES)
      if (text === undefined) return failure('invalidDidDocument', `${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`)
      const document = JsonTransformer.fromJSON(JSON.parse(text), DidDocument)
      if (document.id !== parsed.did) {
        return failure('invalidDidDocument', `document at ${url} is for ${document.id}, not ${parsed.did}`)
      }
      return {
        didDocument: document,
        didDocumentMetadata: {},
        didResolutionMetadata: { contentType: 'application/did+ld+json' },
      }
    } catch (error) {
      return failure('notFound', `resolving ${did}: ${(error as Error).message}`)
    }
  }
}
