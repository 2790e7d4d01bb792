// Checks a JSON-LD credential before it is offered, so a mistake is the caller's 400 now rather
// than an abandoned exchange at signing time: a proof type we sign with, an issuer DID of this
// wallet, every context available offline and every term defined by them.
import jsonld from '@digitalcredentials/jsonld'

import {
  ClassValidationError,
  JsonLdCredentialDetail,
  JsonTransformer,
  W3cCredential,
  W3cCredentialsModuleConfig,
  isDid,
} from '../agent/credo'
import { LD_PROOF_TYPES, signingKeyFor, UnknownJsonLdContextError } from '../agent/jsonLd'
import { badRequest } from '../errors'
import type { JsonLdOffer } from './credentials'
import type { TenantAgent } from './tenants'

const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1'
/** Options Credo cannot sign with yet; it would refuse them only once the holder has asked. */
const UNSUPPORTED_OPTIONS = ['challenge', 'domain', 'credentialStatus', 'created']

/** The unknown context somewhere in an error's causes (jsonld wraps loader failures). */
export function unknownContextIn(error: unknown): UnknownJsonLdContextError | undefined {
  for (let current = error as { cause?: unknown; details?: { cause?: unknown } } | undefined, depth = 0; current && depth < 10; depth++) {
    if (current instanceof UnknownJsonLdContextError) return current
    current = (current.details?.cause ?? current.cause) as typeof current
  }
  return undefined
}

/**
 * Expands `document` with the wallet's offline loader: unknown contexts and terms no context
 * defines are refused (signing would drop or reject them).
 */
export async function assertExpandsOffline(tenantAgent: TenantAgent, document: Record<string, unknown>, field: string): Promise<void> {
  const documentLoader = tenantAgent.dependencyManager.resolve(W3cCredentialsModuleConfig).documentLoader(tenantAgent.context)
  const undefinedTerms = new Set<string>()
  try {
    await jsonld.expand(document, {
      documentLoader,
      expansionMap: (info) => {
        if (info.unmappedProperty) undefinedTerms.add(info.unmappedProperty)
        return undefined
      },
    })
  } catch (error) {
    const unknown = unknownContextIn(error)
    if (unknown) throw badRequest(`${field}.@context`, unknown.message)
    throw badRequest(field, `Not valid JSON-LD: ${(error as Error).message}`)
  }
  if (undefinedTerms.size) {
    throw badRequest(field, `Terms not defined by the @context: ${[...undefinedTerms].join(', ')}; add a context that defines them`)
  }
}

/** The offer as it will be sent, or a 400 naming what is wrong with it. */
export async function prepareJsonLdOffer(tenantAgent: TenantAgent, offer: JsonLdOffer): Promise<JsonLdOffer> {
  const field = 'offer'
  const { proofType } = offer.options
  if (!(LD_PROOF_TYPES as readonly string[]).includes(proofType)) {
    throw badRequest(`${field}.options.proofType`, `proofType ${proofType} is not supported; use ${LD_PROOF_TYPES.join(' or ')}`)
  }
  const unsupported = UNSUPPORTED_OPTIONS.filter((option) => offer.options[option] !== undefined)
  if (unsupported.length) throw badRequest(`${field}.options`, `${unsupported.join(', ')} cannot be set when signing yet`)

  // As ACA-Py does, the 2020 suite's context is added when the credential lacks it.
  const contexts = ([] as unknown[]).concat(offer.credential['@context'] ?? [])
  const credential =
    proofType === 'Ed25519Signature2020' && !contexts.includes(ED25519_2020_CONTEXT)
      ? { ...offer.credential, '@context': [...contexts, ED25519_2020_CONTEXT] }
      : offer.credential
  const options = { ...offer.options, proofPurpose: offer.options.proofPurpose ?? 'assertionMethod' }
  try {
    // The detail's own check does not reach into the credential; the W3C model's does.
    JsonTransformer.fromJSON({ credential, options }, JsonLdCredentialDetail)
    JsonTransformer.fromJSON(credential, W3cCredential)
  } catch (error) {
    if (error instanceof ClassValidationError) {
      throw badRequest(`${field}.credential`, `Not a W3C credential: ${error.validationErrors.map((e) => e.toString()).join('; ') || error.message}`)
    }
    throw badRequest(`${field}.credential`, `Not a W3C credential: ${(error as Error).message}`)
  }

  const issuer = credential.issuer as string | { id?: string } | undefined
  const issuerId = typeof issuer === 'string' ? issuer : issuer?.id
  if (!issuerId || !isDid(issuerId)) throw badRequest(`${field}.credential.issuer`, 'The issuer must be a DID of this wallet')
  const [own] = await tenantAgent.dids.getCreatedDids({ did: issuerId })
  if (!own) throw badRequest(`${field}.credential.issuer`, `${issuerId} is not a DID of this wallet`)
  // The key is chosen now, so a DID that cannot sign is refused before the offer goes out.
  let verificationMethod: string
  try {
    verificationMethod = signingKeyFor(await tenantAgent.dids.resolveDidDocument(issuerId), offer.verificationMethod)
  } catch (error) {
    throw badRequest(offer.verificationMethod ? `${field}.verificationMethod` : `${field}.credential.issuer`, (error as Error).message)
  }

  await assertExpandsOffline(tenantAgent, credential, `${field}.credential`)
  return { ...offer, credential, options, verificationMethod }
}
