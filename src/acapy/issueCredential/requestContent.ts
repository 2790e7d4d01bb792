// ACA-Py face, issue-credential 2.0: what a request body asks the credential service for (an offer
// or a proposal in one format), with ACA-Py's defaults for the flags it leaves out.
import type { z } from 'zod'

import { badRequest, notImplemented } from '../../errors'
import type { OfferContent, ProposalInput } from '../../services/credentials'
import type { ExchangeDefaults } from '../multitenancy/extraSettings'
import { ownProposal } from './mappers'
import type { createOfferBody, proposalBody } from './schemas'

type Filter = z.output<typeof createOfferBody>['filter']
type Preview = z.output<typeof createOfferBody>['credential_preview']

/** The one format a filter names (vc_di is not offered). */
function formatOf(filter: Filter): 'anoncreds' | 'indy' | 'ld_proof' {
  if (filter.vc_di !== undefined) throw notImplemented('The vc_di format is not supported; use anoncreds, indy or ld_proof')
  const given = (['anoncreds', 'indy', 'ld_proof'] as const).filter((key) => filter[key] !== undefined)
  if (given.length === 0) throw badRequest('filter', 'filter needs one format: anoncreds, indy or ld_proof')
  if (given.length > 1) throw badRequest('filter', `Give one format in filter, not ${given.join(' and ')}`)
  return given[0]
}

const attributesOf = (preview: NonNullable<Preview>) =>
  preview.attributes.map((a) => ({ name: a.name, value: a.value, ...(a['mime-type'] ? { mimeType: a['mime-type'] } : {}) }))

/** The offer a body asks for: exactly one format. */
export function offerContent(body: z.output<typeof createOfferBody>, defaults: ExchangeDefaults): OfferContent {
  const { filter } = body
  const chosen = formatOf(filter)
  const flags = {
    comment: body.comment ?? undefined,
    autoIssue: body.auto_issue ?? defaults.autoIssue,
    autoRemove: body.auto_remove ?? defaults.autoRemove,
    autoRemoveOnFailure: body.auto_remove_on_failure ?? false,
  }
  if (filter.ld_proof) {
    if (body.credential_preview) throw badRequest('credential_preview', 'The ld_proof format carries its claims in filter.ld_proof.credential, not in a credential_preview')
    const { verificationMethod, ...options } = filter.ld_proof.options
    return { format: 'jsonld', credential: filter.ld_proof.credential, options, verificationMethod: body.verification_method ?? verificationMethod, ...flags }
  }
  const format = chosen as 'anoncreds' | 'indy'
  const credentialDefinitionId = filter[format]!.cred_def_id
  if (!credentialDefinitionId) throw badRequest(`filter.${format}.cred_def_id`, 'The credential definition id is required')
  if (!body.credential_preview) throw badRequest('credential_preview', `The ${format} format needs a credential_preview`)
  return { format, credentialDefinitionId, attributes: attributesOf(body.credential_preview), ...flags }
}

/** An offer of the issuer's own (send, send-offer, create-offer), with the proposal ACA-Py makes of it. */
export function ownOffer(body: z.output<typeof createOfferBody>, defaults: ExchangeDefaults): OfferContent {
  const content = offerContent(body, defaults)
  return { ...content, ownProposal: ownProposal({ filter: body.filter, preview: body.credential_preview, comment: body.comment ?? undefined }) }
}

/** What a holder's proposal body asks for: any AnonCreds filter fields with a preview, or a JSON-LD detail. */
export function proposalContent(body: z.output<typeof proposalBody>, defaults: ExchangeDefaults): ProposalInput {
  const flags = {
    connectionId: body.connection_id,
    comment: body.comment ?? undefined,
    autoRemove: body.auto_remove ?? defaults.autoRemove,
    autoRemoveOnFailure: body.auto_remove_on_failure ?? false,
  }
  const chosen = formatOf(body.filter)
  if (chosen === 'ld_proof') {
    // A proposal names no signing key; the issuer picks it when it offers.
    const { verificationMethod: _issuersChoice, ...options } = body.filter.ld_proof!.options
    return { format: 'jsonld', credential: body.filter.ld_proof!.credential, options, ...flags }
  }
  const filter = body.filter[chosen]!
  return {
    format: chosen,
    credentialDefinitionId: filter.cred_def_id,
    schemaId: filter.schema_id,
    schemaIssuerId: filter.schema_issuer_id ?? filter.schema_issuer_did,
    schemaName: filter.schema_name,
    schemaVersion: filter.schema_version,
    issuerId: filter.issuer_id ?? filter.issuer_did,
    attributes: body.credential_preview ? attributesOf(body.credential_preview) : undefined,
    ...flags,
  }
}
