// What a credential offer or proposal carries, per format (AnonCreds, legacy indy, JSON-LD), and
// the `credentialFormats` Credo takes for it. The credential service checks and sends them.
import type { JsonCredential } from '../agent/credo'

import type { TenantAgent } from './tenants'

export interface AnonCredsOffer {
  format: 'anoncreds' | 'indy'
  credentialDefinitionId: string
  attributes: Array<{ name: string; value: string; mimeType?: string }>
  /** The registry and index of a revocable credential (services/revocation.ts takes them). */
  revocation?: { revRegId: string; index: number }
}

/** A W3C credential without proof, and how to sign it (Credo's `jsonld`, ACA-Py's `ld_proof`). */
export interface JsonLdOffer {
  format: 'jsonld'
  credential: Record<string, unknown>
  options: { proofType: string; proofPurpose?: string } & Record<string, unknown>
  /** The issuer's key to sign with: named by the caller, or chosen when the offer is checked. */
  verificationMethod?: string
}

/**
 * The proposal an issuer's own offer stands on, as the ACA-Py face shows it (ACA-Py makes one
 * inside send, send-offer and create-offer); never sent.
 */
export interface OwnProposal {
  message: Record<string, unknown>
  byFormat: Record<string, unknown>
}

/** What an offer carries, with or without a connection to send it on. */
export type OfferContent = (AnonCredsOffer | JsonLdOffer) & {
  comment?: string
  autoIssue: boolean
  autoRemove: boolean
  autoRemoveOnFailure?: boolean
  ownProposal?: OwnProposal
}

export type OfferInput = OfferContent & { connectionId: string }

/** What a holder proposes: an AnonCreds filter (every field optional) with a preview, or a JSON-LD detail. */
export type ProposalInput = (
  | {
      format: 'anoncreds' | 'indy'
      credentialDefinitionId?: string
      schemaId?: string
      schemaIssuerId?: string
      schemaName?: string
      schemaVersion?: string
      issuerId?: string
      attributes?: AnonCredsOffer['attributes']
    }
  | Omit<JsonLdOffer, 'verificationMethod'>
) & { connectionId: string; comment?: string; autoRemove: boolean; autoRemoveOnFailure?: boolean }

/** A JSON-LD credential's options, signing for assertion unless told otherwise. */
const jsonLdFormat = (input: Pick<JsonLdOffer, 'credential' | 'options'>) => ({
  jsonld: { credential: input.credential as unknown as JsonCredential, options: { ...input.options, proofPurpose: input.options.proofPurpose ?? 'assertionMethod' } },
})

/** Credo's `credentialFormats` for a proposal. */
export function proposalFormats(input: ProposalInput): Parameters<TenantAgent['credentials']['proposeCredential']>[0]['credentialFormats'] {
  if (input.format === 'jsonld') return jsonLdFormat(input)
  const { credentialDefinitionId, schemaId, schemaName, schemaVersion, attributes } = input
  const common = { credentialDefinitionId, schemaId, schemaName, schemaVersion, attributes }
  // The legacy format names the issuers as DIDs.
  return input.format === 'indy'
    ? { indy: { ...common, schemaIssuerDid: input.schemaIssuerId, issuerDid: input.issuerId } }
    : { anoncreds: { ...common, schemaIssuerId: input.schemaIssuerId, issuerId: input.issuerId } }
}

/** Credo's `credentialFormats` for an offer (the JSON-LD one checked by prepareJsonLdOffer). */
export function offerFormats(input: OfferContent): Parameters<TenantAgent['credentials']['createOffer']>[0]['credentialFormats'] {
  if (input.format === 'jsonld') return jsonLdFormat(input)
  const revocation = input.revocation && { revocationRegistryDefinitionId: input.revocation.revRegId, revocationRegistryIndex: input.revocation.index }
  return { [input.format]: { credentialDefinitionId: input.credentialDefinitionId, attributes: input.attributes, ...revocation } }
}
