// ACA-Py as a DID exchange 1.0 requester sends an unqualified DID (`WgWxqztrNooG92RXvxSTWv`) with
// its DID document attached in the legacy (pre DID-core) shape and signed. Credo 0.5 takes attached
// documents only for did:peer:1 and cannot resolve an unqualified DID, so it would refuse every
// such request. This adapter verifies the attachment, turns the legacy document into a DID-core
// document for `did:sov:<unqualified DID>` (the name ACA-Py itself gives it), and keeps it as a
// received DID record, which the resolver below serves. Credo then answers with a did:peer:4 and a
// signed did_rotate, which ACA-Py's 1.0 requester accepts.
import {
  type Agent,
  type AgentContext,
  type DidResolutionResult,
  type DidResolver,
  type ParsedDid,
  CredoError,
  DidCommV1Service,
  DidDocument,
  DidDocumentBuilder,
  DidExchangeProtocol,
  DidDocumentRole,
  DidExchangeRequestMessage,
  DidKey,
  DidRepository,
  JsonEncoder,
  JwsService,
  Key,
  KeyType,
  TypedArrayEncoder,
  getEd25519VerificationKey2018,
  getJwkFromKey,
} from '@credo-ts/core'

import type { CredoPatch } from './patch'

const UNQUALIFIED_DID = /^[1-9A-HJ-NP-Za-km-z]{21,22}$/

interface LegacyDidDoc {
  publicKey?: { id?: string; type?: string; publicKeyBase58?: string }[]
  service?: { recipientKeys?: string[]; routingKeys?: string[]; serviceEndpoint?: string; priority?: number }[]
}

function refuse(reason: string): never {
  throw new CredoError(`Legacy DID exchange request refused: ${reason}`)
}

const base64ToBase64Url = (value: string) => value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const didKeyOf = (base58: string) => new DidKey(Key.fromPublicKey(TypedArrayEncoder.fromBase58(base58), KeyType.Ed25519)).did

/**
 * The DID-core document of a verified legacy document, named `did:sov:<did>`. As with any Indy-style
 * DID, the DID must be the first 16 bytes of its key and the key the one messages go to, so that
 * nobody can claim another party's DID or route its messages elsewhere.
 */
function toDidDocument(unqualifiedDid: string, legacy: LegacyDidDoc): DidDocument {
  const did = `did:sov:${unqualifiedDid}`
  const keyBase58 = legacy.publicKey?.find((key) => key.publicKeyBase58)?.publicKeyBase58
  const [service] = [...(legacy.service ?? [])].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))
  if (!keyBase58 || !service?.serviceEndpoint || !service.recipientKeys?.length) {
    refuse('the attached DID document has no key or no service')
  }
  const key = Key.fromPublicKey(TypedArrayEncoder.fromBase58(keyBase58), KeyType.Ed25519)
  if (TypedArrayEncoder.toBase58(key.publicKey.slice(0, 16)) !== unqualifiedDid) refuse(`${unqualifiedDid} is not derived from its key`)
  if (service.recipientKeys.length !== 1 || service.recipientKeys[0] !== keyBase58) refuse('messages must go to the DID key itself')
  const keyId = `${did}#1`
  const recipientKeys = [keyId]
  return new DidDocumentBuilder(did)
    .addVerificationMethod(getEd25519VerificationKey2018({ key, id: keyId, controller: did }))
    .addAuthentication(keyId)
    .addService(
      new DidCommV1Service({
        id: `${did}#did-communication`,
        serviceEndpoint: service.serviceEndpoint,
        recipientKeys,
        routingKeys: (service.routingKeys ?? []).map(didKeyOf),
        priority: 0,
      }),
    )
    .build()
}

async function legacyRequestDocument(agentContext: AgentContext, message: DidExchangeRequestMessage): Promise<DidDocument> {
  const attachment = message.didDoc
  const jws = attachment?.data.jws
  const base64 = attachment?.data.base64
  if (!jws || !base64) refuse('the DID document attachment is not signed')
  const payload = base64ToBase64Url(base64)
  const legacy = JsonEncoder.fromBase64(base64) as LegacyDidDoc
  const didDocument = toDidDocument(message.did, legacy)
  // Credo keeps one received record per DID and looks it up as the only one.
  if ((await agentContext.dependencyManager.resolve(DidRepository).findByQuery(agentContext, { did: didDocument.id })).length > 0) {
    refuse(`${didDocument.id} is already known here`)
  }
  const { isValid, signerKeys } = await agentContext.dependencyManager.resolve(JwsService).verifyJws(agentContext, {
    jws: { ...(jws as object), payload } as never,
    jwkResolver: ({ jws: { header } }) => {
      if (typeof header.kid !== 'string' || !header.kid.startsWith('did:key:')) refuse('the signature kid is not a did:key')
      return getJwkFromKey(DidKey.fromDid(header.kid).key)
    },
  })
  const documentKeys = didDocument.verificationMethod?.map((method) => method.publicKeyBase58) ?? []
  if (!isValid || !signerKeys.every((key) => documentKeys.includes(key.publicKeyBase58))) {
    refuse('the DID document signature is invalid')
  }
  return didDocument
}

export const legacyDidExchange: CredoPatch = {
  name: 'legacyDidExchange',
  targets: { package: '@credo-ts/core', version: '0.5.19' },
  why: "ACA-Py's DID exchange 1.0 requests (an unqualified DID with a legacy attached document) were all refused",
  upstream: 'credo-ts#1865 (not merged; attached-document trust questioned in review); main accepts only did:peer:1 attachments',
  members: () => [{ owner: 'DidExchangeProtocol.prototype', object: DidExchangeProtocol.prototype, member: 'resolveDidDocument' }],
}

export function acceptLegacyDidExchangeRequests(agent: Agent): void {
  const protocol = agent.dependencyManager.resolve(DidExchangeProtocol)
  const original = (protocol as unknown as ResolveDidDocument).resolveDidDocument.bind(protocol)
  ;(protocol as unknown as ResolveDidDocument).resolveDidDocument = async (agentContext, message, invitationKeysBase58) => {
    if (!(message instanceof DidExchangeRequestMessage) || !UNQUALIFIED_DID.test(message.did) || !message.didDoc) {
      return original(agentContext, message, invitationKeysBase58)
    }
    const didDocument = await legacyRequestDocument(agentContext, message)
    // From here on Credo knows the requester by its qualified name (connection theirDid, DID record).
    ;(message as { did: string }).did = didDocument.id
    return didDocument
  }
}

type ResolveDidDocument = {
  resolveDidDocument(agentContext: AgentContext, message: unknown, invitationKeysBase58?: string[]): Promise<DidDocument>
}

/**
 * Resolves did:sov DIDs: first those a legacy requester gave us with their document (kept as a
 * received DID record; pairwise DIDs that are on no ledger), then, when an Indy ledger is
 * configured, the ledger's did:sov resolver.
 */
export class ReceivedLegacyDidResolver implements DidResolver {
  public readonly supportedMethods = ['sov']
  public readonly allowsCaching = false

  public constructor(private readonly ledger?: DidResolver) {}

  public async resolve(agentContext: AgentContext, did: string, parsed: ParsedDid): Promise<DidResolutionResult> {
    const [record, ...more] = await agentContext.dependencyManager.resolve(DidRepository).findByQuery(agentContext, { did, role: DidDocumentRole.Received })
    if (record?.didDocument && more.length === 0) {
      return { didDocument: record.didDocument, didDocumentMetadata: {}, didResolutionMetadata: { contentType: 'application/did+ld+json' } }
    }
    if (this.ledger) return this.ledger.resolve(agentContext, did, parsed, {})
    return { didDocument: null, didDocumentMetadata: {}, didResolutionMetadata: { error: 'notFound', message: `${did} is not known here` } }
  }
}
