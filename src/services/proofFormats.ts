// What a presentation request, proposal or presentation carries, per format (AnonCreds, legacy
// indy, DIF presentation exchange), and the `proofFormats` Credo takes for it. The proof service
// checks and sends them.
import type { DifPresentationExchangeDefinitionV1, AnonCredsCredentialsForProofRequest } from '../agent/credo'


import { badRequest } from '../errors'

/** A DIF presentation definition and the proof options (ACA-Py's `dif` request). */
export interface DifRequestInput {
  presentationDefinition: Record<string, unknown>
  options?: { challenge?: string; domain?: string }
}

/** What a request asks for, in one format. */
export type ProofRequestContent =
  | { format: 'anoncreds' | 'indy'; request: ProofRequestInput }
  | { format: 'presentationExchange'; request: DifRequestInput }

/**
 * Credo's AnonCreds proposal is a presentation preview: attributes and predicates, each tied to at
 * most one credential definition. A request-shaped proposal is read into it; restrictions other
 * than one `cred_def_id` cannot be carried and are refused rather than dropped.
 */
export function previewFromRequest(request: ProofRequestInput) {
  const credDefOf = (referent: string, item: Record<string, unknown>) => {
    const restrictions = (item.restrictions as Array<Record<string, string>> | undefined) ?? []
    if (restrictions.length > 1 || restrictions.some((r) => Object.keys(r).some((key) => key !== 'cred_def_id'))) {
      throw badRequest(`presentation_proposal.${referent}.restrictions`, 'A proposal can restrict an attribute to one cred_def_id only')
    }
    return restrictions[0]?.cred_def_id
  }
  const attributes = Object.entries(request.requested_attributes).flatMap(([referent, item]) => {
    const credentialDefinitionId = credDefOf(referent, item)
    const names = (item.names as string[] | undefined) ?? [item.name as string]
    return names.map((name) => ({ name, referent, ...(credentialDefinitionId ? { credentialDefinitionId } : {}) }))
  })
  const predicates = Object.entries(request.requested_predicates).map(([referent, item]) => {
    const credentialDefinitionId = credDefOf(referent, item)
    if (!credentialDefinitionId) throw badRequest(`presentation_proposal.${referent}.restrictions`, 'A proposed predicate needs a cred_def_id restriction')
    return { name: item.name as string, credentialDefinitionId, predicate: item.p_type as '>=' | '>' | '<=' | '<', threshold: item.p_value as number }
  })
  return { name: request.name, version: request.version, attributes, predicates }
}

/** Credo's `proofFormats` for a proposal. */
export function proposalFormats(input: ProofRequestContent) {
  if (input.format === 'presentationExchange') {
    return { presentationExchange: { presentationDefinition: input.request.presentationDefinition as unknown as DifPresentationExchangeDefinitionV1 } }
  }
  return { [input.format]: previewFromRequest(input.request) } as never
}

/** The prover's choice: AnonCreds referents, or W3C records per input descriptor (none: the wallet picks). */
export type PresentationChoice =
  | { format: 'anoncreds' | 'indy'; selection: PresentationSelection }
  | { format: 'presentationExchange'; recordIds?: Record<string, string[]> }

/** An AnonCreds proof request as ACA-Py takes it (the same JSON in both formats). */
export interface ProofRequestInput {
  name: string
  version: string
  nonce?: string
  requested_attributes: Record<string, Record<string, unknown>>
  requested_predicates: Record<string, Record<string, unknown>>
  non_revoked?: { from?: number; to?: number }
}

export interface PresentationSelection {
  requested_attributes: Record<string, { cred_id: string; revealed?: boolean }>
  requested_predicates: Record<string, { cred_id: string; timestamp?: number }>
  self_attested_attributes: Record<string, string>
}

/** Credo's `proofFormats` for a request. */
export function requestFormats(input: ProofRequestContent) {
  if (input.format === 'presentationExchange') {
    return {
      presentationExchange: {
        presentationDefinition: input.request.presentationDefinition as unknown as DifPresentationExchangeDefinitionV1,
        options: input.request.options,
      },
    }
  }
  return { [input.format]: input.request } as never
}

/** Credo's AnonCreds selection from ACA-Py's `cred_id` per referent, each checked against the candidates. */
export function anonCredsSelection(format: 'anoncreds' | 'indy', matches: AnonCredsCredentialsForProofRequest | undefined, selection: PresentationSelection) {
  const pick = (kind: 'attributes' | 'predicates', referent: string, credentialId: string) => {
    const candidates = matches?.[kind]?.[referent]
    if (!candidates) throw badRequest(`${format}.requested_${kind}`, `The request has no ${kind === 'attributes' ? 'attribute' : 'predicate'} referent ${referent}`)
    const chosen = candidates.find((c) => c.credentialId === credentialId)
    if (!chosen) throw badRequest(`${format}.requested_${kind}.${referent}.cred_id`, `Credential ${credentialId} does not answer ${referent}`)
    return chosen
  }
  const attributes = Object.fromEntries(
    Object.entries(selection.requested_attributes).map(([referent, choice]) => [referent, { ...pick('attributes', referent, choice.cred_id), revealed: choice.revealed ?? true }]),
  )
  const predicates = Object.fromEntries(
    Object.entries(selection.requested_predicates).map(([referent, choice]) => [referent, pick('predicates', referent, choice.cred_id)]),
  )
  return { attributes, predicates, selfAttestedAttributes: selection.self_attested_attributes }
}
