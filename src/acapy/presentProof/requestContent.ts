// ACA-Py face, present-proof 2.0: what a request body asks the proof service for (a request, a
// proposal or a presentation in one format), with ACA-Py's defaults for the flags it leaves out.
import { randomUUID } from 'node:crypto'
import type { z } from 'zod'

import { badRequest, notImplemented } from '../../errors'
import type { PresentationChoice, ProposalInput, RequestInput } from '../../services/proofs'
import type { ExchangeDefaults } from '../multitenancy/extraSettings'
import type { createRequestBody, proposalBody, sendPresentationBody } from './schemas'

/** The one format of a body that may name several. */
function oneFormat<A, D>(given: { anoncreds?: A; indy?: A; dif?: D }, field: string) {
  const named = (['anoncreds', 'indy', 'dif'] as const).filter((key) => given[key] !== undefined)
  if (named.length > 1) throw badRequest(field, `Give one format in ${field}, not ${named.join(' and ')}`)
  if (given.dif !== undefined) return { format: 'presentationExchange' as const, value: given.dif }
  if (given.anoncreds) return { format: 'anoncreds' as const, value: given.anoncreds }
  if (given.indy) return { format: 'indy' as const, value: given.indy }
  throw badRequest(field, `${field} needs one format: anoncreds, indy or dif`)
}

/** What a request body asks for, with ACA-Py's defaults (auto_verify off, auto_remove on). */
export function requestContent(body: z.output<typeof createRequestBody>, defaults: ExchangeDefaults): RequestInput {
  const flags = {
    comment: body.comment ?? undefined,
    autoVerify: body.auto_verify ?? defaults.autoVerify,
    autoRemove: body.auto_remove ?? defaults.autoRemove,
    autoRemoveOnFailure: body.auto_remove_on_failure ?? false,
  }
  const chosen = oneFormat(body.presentation_request, 'presentation_request')
  if (chosen.format === 'presentationExchange') {
    return { format: chosen.format, request: { presentationDefinition: chosen.value.presentation_definition, options: chosen.value.options }, ...flags }
  }
  return { format: chosen.format, request: chosen.value, ...flags }
}

/** What a prover's proposal body proposes; a DIF proposal becomes a definition with a fresh id. */
export function proposalContent(body: z.output<typeof proposalBody>, defaults: ExchangeDefaults): ProposalInput {
  const flags = {
    connectionId: body.connection_id,
    comment: body.comment ?? undefined,
    autoPresent: body.auto_present ?? false,
    autoRemove: body.auto_remove ?? defaults.autoRemove,
    autoRemoveOnFailure: body.auto_remove_on_failure ?? false,
  }
  const chosen = oneFormat(body.presentation_proposal, 'presentation_proposal')
  if (chosen.format === 'presentationExchange') {
    // Its options are read and not sent: Credo's proposal carries only the definition, and the
    // verifier's request brings a challenge of its own.
    return { format: chosen.format, request: { presentationDefinition: { id: randomUUID(), input_descriptors: chosen.value.input_descriptors } }, ...flags }
  }
  return { format: chosen.format, request: chosen.value, ...flags }
}

/** The prover's choice in a send-presentation body. */
export function presentationChoice(body: z.output<typeof sendPresentationBody>): PresentationChoice {
  const chosen = oneFormat(body, 'body')
  if (chosen.format === 'presentationExchange') {
    // The presentation is signed by the credential subject's DID (Credo's choice) over the request's
    // own definition; ACA-Py's other DIF options have nothing to act on here.
    for (const field of ['issuer_id', 'presentation_definition', 'reveal_doc'] as const) {
      if (chosen.value[field] !== undefined) throw notImplemented(`dif.${field} is not supported: the presentation is signed by the credential subject's DID over the request's definition`)
    }
    return { format: chosen.format, recordIds: chosen.value.record_ids }
  }
  return { format: chosen.format, selection: chosen.value }
}
