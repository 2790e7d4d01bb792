// did:peer resolution without decoding the same DID again and again. A did:peer:2 or long-form
// did:peer:4 carries its whole document, so its decoding is a pure function of the DID string;
// Credo redoes it (base58 + JSON + class-transformer, about 0.65 ms on the bench machine) every
// time it packs or unpacks a message for a connection — several times per basic message. The
// document of such a DID is kept here, by DID, as JSON, and handed out as a fresh instance (a
// caller cannot change what the next caller reads). Nothing tenant-specific is cached: a short-form
// did:peer:4 is still looked up in the asking tenant's own records, as Credo does.
import {
  DidDocument,
  DidRepository,
  getNumAlgoFromPeerDid,
  isValidPeerDid,
  JsonTransformer,
  PeerDidNumAlgo,
  PeerDidResolver,
  type AgentContext,
  type DidResolutionResult,
} from '@credo-ts/core'
import { isShortFormDidPeer4 } from './credoInternals'

/** Documents kept; a long-form did:peer:4 document is about 1 KB of JSON. */
const CACHED_DOCUMENTS = 2000

export class CachingPeerDidResolver extends PeerDidResolver {
  private readonly documents = new Map<string, Record<string, unknown>>()

  public override async resolve(agentContext: AgentContext, did: string): Promise<DidResolutionResult> {
    const selfContained = await this.selfContainedFormOf(agentContext, did)
    if (!selfContained) return super.resolve(agentContext, did)

    let json = this.documents.get(selfContained)
    if (json) {
      // Refreshes its place: the map's order is least recently used first.
      this.documents.delete(selfContained)
    } else {
      const result = await super.resolve(agentContext, selfContained)
      if (!result.didDocument) return result
      json = result.didDocument.toJSON()
    }
    this.documents.set(selfContained, json)
    if (this.documents.size > CACHED_DOCUMENTS) this.documents.delete(this.documents.keys().next().value as string)
    return {
      didDocument: JsonTransformer.fromJSON(json, DidDocument),
      didDocumentMetadata: {},
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
    }
  }

  /** The DID that carries the whole document (a short-form did:peer:4 via the tenant's record), or undefined. */
  private async selfContainedFormOf(agentContext: AgentContext, did: string): Promise<string | undefined> {
    if (!isValidPeerDid(did)) return undefined
    const numAlgo = getNumAlgoFromPeerDid(did)
    if (numAlgo === PeerDidNumAlgo.MultipleInceptionKeyWithoutDoc) return did
    if (numAlgo !== PeerDidNumAlgo.ShortFormAndLongForm) return undefined
    if (!isShortFormDidPeer4(did)) return did
    const [record] = await agentContext.dependencyManager.resolve(DidRepository).findAllByDid(agentContext, did)
    return record?.did
  }
}
