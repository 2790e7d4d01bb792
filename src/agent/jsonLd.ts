// JSON-LD for W3C credentials: the contexts Credence ships, the tenant-uploaded ones, and the
// signature suites. Signing and verifying never touch the network: a context is one we ship, one
// the wallet uploaded, or a DID we resolve; anything else is refused at once (not a hang on a
// remote fetch), and the refusal names the URL.
import {
  type AgentContext,
  Attachment,
  AttachmentData,
  type CredentialFormatProcessCredentialOptions,
  Ed25519Signature2020,
  JsonEncoder,
  JsonLdCredentialFormatService,
  KeyType,
  SignatureSuiteToken,
  VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2018,
  VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2020,
  W3cCredentialsModule,
  W3cCredentialsModuleConfig,
  isDid,
  type DependencyManager,
} from '@credo-ts/core'
// Credo's own bundled contexts are not exported from the package index; the path is stable within
// the pinned 0.5.x line.
import { DEFAULT_CONTEXTS } from '@credo-ts/core/build/modules/vc/data-integrity/libraries/contexts'
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context'
import { contexts as citizenshipContexts } from 'citizenship-context'
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
 * Credo's bundle plus what its examples and ACA-Py's leave out: VC data model v2, the examples
 * context, citizenship and the Ed25519 2020 suite.
 */
const SHIPPED = new Map<string, JsonObject>()
const ship = (url: string, document: unknown) => SHIPPED.set(contextKey(url), document as JsonObject)
for (const [url, document] of Object.entries(DEFAULT_CONTEXTS)) ship(url, document)
for (const shipped of [credentialsContexts, citizenshipContexts, ed25519Signature2020Contexts]) {
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

/** The contexts wallets uploaded, kept in the relational store (attached once open). */
export class TenantJsonLdContexts {
  private store?: Store

  public attach(store: Store): void {
    this.store = store
  }

  private get db(): Store {
    if (!this.store) throw new Error('JSON-LD context store is not open yet')
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

  /** Replaces what the wallet kept under the same URL. */
  public async keep(walletId: string, url: string, document: JsonObject): Promise<void> {
    const key = contextKey(url)
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM jsonld_contexts WHERE wallet_id = ? AND url = ?', [walletId, key])
      await tx.run('INSERT INTO jsonld_contexts (wallet_id, url, document, created_at) VALUES (?, ?, ?, ?)', [
        walletId,
        key,
        JSON.stringify(document),
        new Date().toISOString(),
      ])
    })
  }

  public async remove(walletId: string, url: string): Promise<boolean> {
    const { changes } = await this.db.run('DELETE FROM jsonld_contexts WHERE wallet_id = ? AND url = ?', [walletId, contextKey(url)])
    return changes > 0
  }
}

export type DocumentLoader = (url: string) => Promise<{ contextUrl?: string | null; documentUrl: string; document: JsonObject }>

/**
 * The loader for one agent context: shipped contexts, then the tenant's own, then DIDs through
 * Credo's resolver (it frames DID documents offline). The root context has no uploaded contexts.
 */
export function offlineDocumentLoader(tenantContexts: TenantJsonLdContexts, rootContextId: () => string | undefined) {
  return (agentContext: AgentContext): DocumentLoader => {
    // Credo's default loader, used for DIDs only: for any other URL it would fetch from the network.
    const didLoader = new W3cCredentialsModuleConfig().documentLoader(agentContext)
    const walletId = agentContext.contextCorrelationId === rootContextId() ? undefined : agentContext.contextCorrelationId
    return async (url: string) => {
      const shipped = SHIPPED.get(contextKey(url))
      if (shipped) return { contextUrl: null, documentUrl: url, document: shipped }
      if (isDid(url.split('#')[0])) return didLoader(url)
      const uploaded = walletId ? await tenantContexts.find(walletId, url) : undefined
      if (uploaded) return { contextUrl: null, documentUrl: url, document: uploaded }
      throw new UnknownJsonLdContextError(url)
    }
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
      // 2018 first: Credo picks an issuer's key by the first type listed, and did:key has only that.
      verificationMethodTypes: [VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2018, VERIFICATION_METHOD_TYPE_ED25519_VERIFICATION_KEY_2020],
      keyTypes: [KeyType.Ed25519],
    })
    super.register(dependencyManager)
  }
}

/**
 * ACA-Py's ld_proof offers may leave out `options.proofPurpose`; ACA-Py then signs with
 * assertionMethod, and the holder's request must repeat the offer as it was (ACA-Py compares
 * them). Credo would reject the credential for a purpose its request did not name: when the
 * request names none, the credential is checked against ACA-Py's default.
 */
export class InteropJsonLdCredentialFormatService extends JsonLdCredentialFormatService {
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
export type LdProofType = (typeof LD_PROOF_TYPES)[number]
