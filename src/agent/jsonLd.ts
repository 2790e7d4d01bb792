// JSON-LD for W3C credentials: the contexts Credence ships, the tenant-uploaded ones, and the
// signature suites. Signing and verifying never touch the network: a context is one we ship, one
// the wallet uploaded, or a DID we resolve; anything else is refused at once (not a hang on a
// remote fetch), and the refusal names the URL.
import {
  type AgentContext,
  Attachment,
  AttachmentData,
  type CredentialFormatAcceptRequestOptions,
  type CredentialFormatProcessCredentialOptions,
  type JsonLdCredentialFormat,
  Ed25519Signature2020,
  JsonEncoder,
  JsonLdCredentialFormatService,
  KeyType,
  SignatureSuiteToken,
  VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2018,
  VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2020,
  W3cCredentialsModule,
  CredoError,
  DidResolverService,
  type DidDocument,
  getKeyFromVerificationMethod,
  isDid,
  type DependencyManager,
} from '@credo-ts/core'
// Credo's own bundled contexts are not exported from the package index; the path is stable within
// the pinned 0.5.x line.
import { DEFAULT_CONTEXTS } from './credoInternals'
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context'
import jsonld from '@digitalcredentials/jsonld'
import { contexts as citizenshipContexts } from 'citizenship-context'
import { contexts as statusList2021Contexts } from '@digitalbazaar/vc-status-list-context'
import { contexts as ed25519Signature2020Contexts } from 'ed25519-signature-2020-context'
import fs from 'node:fs'
import path from 'node:path'

import type { Store } from '../store/db'

type JsonObject = Record<string, unknown>

/** A context URL as stored and looked up: without fragment, http and https alike. */
export function contextKey(url: string): string {
  return url.split('#')[0].replace(/^http:\/\//, 'https://')
}

function examplesContext(): JsonObject {
  const main = require.resolve('@digitalbazaar/credentials-examples-context')
  return JSON.parse(fs.readFileSync(path.join(path.dirname(main), '..', 'contexts', 'credentials-examples-v1.jsonld'), 'utf8'))
}

/**
 * Credo's bundle plus what it leaves out of ACA-Py's and the specs' examples: VC data model v2,
 * the examples context, citizenship, the Ed25519 2020 suite and status list 2021.
 */
const SHIPPED = new Map<string, JsonObject>()
const ship = (url: string, document: unknown) => SHIPPED.set(contextKey(url), document as JsonObject)
for (const [url, document] of Object.entries(DEFAULT_CONTEXTS)) ship(url, document)
for (const shipped of [credentialsContexts, citizenshipContexts, ed25519Signature2020Contexts, statusList2021Contexts]) {
  for (const [url, document] of shipped) ship(url, document)
}
ship('https://www.w3.org/2018/credentials/examples/v1', examplesContext())

export function shippedContextUrls(): string[] {
  return [...SHIPPED.keys()].sort()
}

export function isShippedContext(url: string): boolean {
  return SHIPPED.has(contextKey(url))
}

/** A context that is neither shipped, nor uploaded by the wallet, nor a DID. */
export class UnknownJsonLdContextError extends Error {
  constructor(public readonly url: string) {
    super(`JSON-LD context ${url} is not available offline: upload it with POST /jsonld/contexts`)
    this.name = 'UnknownJsonLdContextError'
  }
}

class ContextLimitReached extends Error {}

/** The contexts wallets uploaded, kept in the relational store. */
export class TenantJsonLdContexts {
  /** Without a store (an agent opened outside a server, as in tests) nothing is hosted. */
  constructor(private readonly store?: Store) {}

  private get db(): Store {
    if (!this.store) throw new Error('no relational store: this agent keeps no uploaded JSON-LD contexts')
    return this.store
  }

  public async find(walletId: string, url: string): Promise<JsonObject | undefined> {
    if (!this.store) return undefined
    const row = await this.store.get<{ document: string }>('SELECT document FROM jsonld_contexts WHERE wallet_id = ? AND url = ?', [walletId, contextKey(url)])
    return row ? JSON.parse(row.document) : undefined
  }

  public async list(walletId: string): Promise<Array<{ url: string; createdAt: string }>> {
    const rows = await this.db.all<{ url: string; created_at: string }>('SELECT url, created_at FROM jsonld_contexts WHERE wallet_id = ? ORDER BY url', [walletId])
    return rows.map((row) => ({ url: row.url, createdAt: row.created_at }))
  }

  /**
   * Replaces what the wallet kept under the same URL; false, with nothing written, when that would
   * take the wallet past `maxPerWallet` contexts (counted in the same transaction).
   */
  public async keep(walletId: string, url: string, document: JsonObject, maxPerWallet: number): Promise<boolean> {
    const key = contextKey(url)
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM jsonld_contexts WHERE wallet_id = ? AND url = ?', [walletId, key])
      const kept = await tx.get<{ count: number | string }>('SELECT COUNT(*) AS count FROM jsonld_contexts WHERE wallet_id = ?', [walletId])
      if (Number(kept?.count ?? 0) >= maxPerWallet) throw new ContextLimitReached()
      await tx.run('INSERT INTO jsonld_contexts (wallet_id, url, document, created_at) VALUES (?, ?, ?, ?)', [
        walletId,
        key,
        JSON.stringify(document),
        new Date().toISOString(),
      ])
      return true
    }).catch((error) => {
      // Thrown to roll the delete back too.
      if (error instanceof ContextLimitReached) return false
      throw error
    })
  }

  /**
   * Why `document` is not a usable JSON-LD context for this wallet (processed offline, with the
   * shipped contexts and the wallet's own for anything it imports), or undefined when it is.
   */
  public async problemWith(walletId: string, document: JsonObject): Promise<string | undefined> {
    const loader: DocumentLoader = async (url) => {
      const known = SHIPPED.get(contextKey(url)) ?? (await this.find(walletId, url))
      if (!known) throw new UnknownJsonLdContextError(url)
      return { contextUrl: null, documentUrl: url, document: known }
    }
    try {
      await jsonld.expand({ '@context': document['@context'] as never, '@id': 'urn:credence:context-check' }, { documentLoader: loader })
      return undefined
    } catch (error) {
      const cause = (error as { details?: { cause?: Error } }).details?.cause
      return cause?.message ?? (error as Error).message
    }
  }

  public async remove(walletId: string, url: string): Promise<boolean> {
    const { changes } = await this.db.run('DELETE FROM jsonld_contexts WHERE wallet_id = ? AND url = ?', [walletId, contextKey(url)])
    return changes > 0
  }
}

export type DocumentLoader = (url: string) => Promise<{ contextUrl?: string | null; documentUrl: string; document: JsonObject }>

/**
 * The loader for one agent context: shipped contexts, then the tenant's own, then DIDs, resolved
 * with the agent's resolver and framed with this same loader (Credo's own DID branch frames with a
 * loader that fetches what it does not bundle). The root context has no uploaded contexts.
 */
export function offlineDocumentLoader(tenantContexts: TenantJsonLdContexts, rootContextId: () => string | undefined) {
  return (agentContext: AgentContext): DocumentLoader => {
    const walletId = agentContext.contextCorrelationId === rootContextId() ? undefined : agentContext.contextCorrelationId
    const loader: DocumentLoader = async (url: string) => {
      const shipped = SHIPPED.get(contextKey(url))
      if (shipped) return { contextUrl: null, documentUrl: url, document: shipped }
      const did = url.split('#')[0]
      if (isDid(did)) {
        const { didDocument, didResolutionMetadata } = await agentContext.dependencyManager.resolve(DidResolverService).resolve(agentContext, did)
        if (!didDocument) throw new Error(`Unable to resolve DID ${did}: ${didResolutionMetadata.message ?? didResolutionMetadata.error ?? 'not found'}`)
        const framed = await jsonld.frame(didDocument.toJSON(), { '@context': didDocument.context, '@embed': '@never', id: url }, { documentLoader: loader })
        return { contextUrl: null, documentUrl: url, document: framed as JsonObject }
      }
      const uploaded = walletId ? await tenantContexts.find(walletId, url) : undefined
      if (uploaded) return { contextUrl: null, documentUrl: url, document: uploaded }
      throw new UnknownJsonLdContextError(url)
    }
    return loader
  }
}

/**
 * Credo's Ed25519Signature2020 accepts only Ed25519VerificationKey2020 methods, but did:key
 * documents (Credo's and ACA-Py's) describe their key as Ed25519VerificationKey2018. The key is the
 * same Ed25519 key either way, so this suite also takes a 2018 method with its context: a did:key
 * issuer can sign and be verified under both suites, as it can with ACA-Py.
 */
class Ed25519Signature2020ForDidKey extends Ed25519Signature2020 {
  public override async assertVerificationMethod(document: JsonObject): Promise<void> {
    const types = ([] as unknown[]).concat(document.type)
    const contexts = ([] as unknown[]).concat(document['@context'])
    if (types.includes(VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2018)) {
      if (!contexts.includes('https://w3id.org/security/suites/ed25519-2018/v1')) {
        throw new TypeError('An Ed25519VerificationKey2018 method needs the https://w3id.org/security/suites/ed25519-2018/v1 context')
      }
      if (document.revoked !== undefined) throw new Error('The verification method has been revoked.')
      return
    }
    return super.assertVerificationMethod(document as never)
  }
}

/** Credo's W3C module with our 2020 suite registered ahead of its own (the first one found wins). */
export class CredenceW3cCredentialsModule extends W3cCredentialsModule {
  public override register(dependencyManager: DependencyManager): void {
    dependencyManager.registerInstance(SignatureSuiteToken, {
      suiteClass: Ed25519Signature2020ForDidKey,
      proofType: 'Ed25519Signature2020',
      // Credence names the issuer's key itself (signingKeyFor), so the order does not pick it.
      verificationMethodTypes: [VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2020, VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2018],
      keyTypes: [KeyType.Ed25519],
    })
    super.register(dependencyManager)
  }
}

/** Where the issuer's chosen signing key is kept on a JSON-LD credential exchange. */
export const JSONLD_SIGNING_KEY_METADATA = 'credence:jsonLdSigningKey'

const ED25519_METHOD_TYPES = [VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2018, VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2020]

/**
 * The issuer's key for Ed25519 proofs: `wanted` when it is one of the DID's assertion methods,
 * otherwise the first Ed25519 assertion method. Both suites take either method type here.
 */
export function signingKeyFor(issuerDocument: DidDocument, wanted?: string): string {
  const assertion = (issuerDocument.assertionMethod ?? []).map((entry) => (typeof entry === 'string' ? issuerDocument.dereferenceVerificationMethod(entry) : entry))
  const usable = assertion.filter((method) => ED25519_METHOD_TYPES.includes(method.type) && getKeyFromVerificationMethod(method).keyType === KeyType.Ed25519)
  const absolute = (id: string) => (id.startsWith('#') ? `${issuerDocument.id}${id}` : id)
  if (wanted) {
    if (!usable.some((method) => absolute(method.id) === wanted)) throw new CredoError(`${wanted} is not an Ed25519 assertion method of ${issuerDocument.id}`)
    return wanted
  }
  if (!usable.length) throw new CredoError(`${issuerDocument.id} has no Ed25519 assertion method to sign with`)
  return absolute(usable[0].id)
}

/** An ld_proof detail as compared: the proof purpose ACA-Py and Credence default to filled in. */
const comparable = (detail: { credential?: unknown; options?: Record<string, unknown> } | null | undefined) =>
  JSON.stringify(canonical({ credential: detail?.credential, options: { proofPurpose: 'assertionMethod', ...detail?.options } }))
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]))
  return value
}

/** Whether a holder's request asks for exactly the credential that was offered. */
export function requestMatchesOffer(offer: unknown, request: unknown): boolean {
  return comparable(offer as never) === comparable(request as never)
}

/**
 * Credo's JSON-LD format, made to issue only what was offered and to meet ACA-Py:
 * - the issuer signs the holder's request as is, so a request that differs from the offer is
 *   refused (Credo checks this only on its auto-issue path);
 * - the signing key is the one chosen when the offer was made (Credo would take the first key of
 *   the first method type the suite lists, which misses did:key under Ed25519Signature2020);
 * - ACA-Py's offers may leave out `options.proofPurpose`; ACA-Py then signs with
 *   assertionMethod, and the holder's request must repeat the offer as it was (ACA-Py compares
 *   them), so a credential received for a request naming no purpose is checked against that default.
 */
export class InteropJsonLdCredentialFormatService extends JsonLdCredentialFormatService {
  public override async acceptRequest(agentContext: AgentContext, options: CredentialFormatAcceptRequestOptions<JsonLdCredentialFormat>) {
    const request = options.requestAttachment.getDataAsJson<{ credential: { issuer: string | { id: string } } }>()
    const offer = options.offerAttachment?.getDataAsJson()
    if (offer && !requestMatchesOffer(offer, request)) throw new CredoError('The credential request does not match the offer')
    const chosen = options.credentialRecord.metadata.get<{ verificationMethod: string }>(JSONLD_SIGNING_KEY_METADATA)?.verificationMethod
    let verificationMethod = options.credentialFormats?.jsonld?.verificationMethod ?? chosen
    if (!verificationMethod) {
      const issuer = typeof request.credential.issuer === 'string' ? request.credential.issuer : request.credential.issuer.id
      verificationMethod = signingKeyFor(await agentContext.dependencyManager.resolve(DidResolverService).resolveDidDocument(agentContext, issuer))
    }
    return super.acceptRequest(agentContext, { ...options, credentialFormats: { jsonld: { verificationMethod } } })
  }

  public override async processCredential(agentContext: AgentContext, options: CredentialFormatProcessCredentialOptions) {
    const request = options.requestAttachment.getDataAsJson<{ options?: { proofPurpose?: string } }>()
    if (!request?.options || request.options.proofPurpose !== undefined) return super.processCredential(agentContext, options)
    const requestAttachment = new Attachment({
      id: options.requestAttachment.id,
      mimeType: options.requestAttachment.mimeType,
      data: new AttachmentData({ base64: JsonEncoder.toBase64({ ...request, options: { ...request.options, proofPurpose: 'assertionMethod' } }) }),
    })
    return super.processCredential(agentContext, { ...options, requestAttachment })
  }
}

/** The proof types Credence signs and verifies JSON-LD credentials and presentations with. */
export const LD_PROOF_TYPES = ['Ed25519Signature2018', 'Ed25519Signature2020'] as const
