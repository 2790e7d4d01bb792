// ACA-Py face, issue-credential 2.0 (reference §7): AnonCreds formats (`anoncreds`, `indy`) and
// JSON-LD (`ld_proof`).
// ACA-Py's defaults, from the wallet's settings: auto_issue off unless
// debug.auto_respond_credential_request, auto_remove on (the record is deleted once done) unless
// preserve_exchange_records.
import { Router } from 'express'
import type { z } from 'zod'

import { badRequest, notImplemented } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import type { OfferContent, ProposalInput } from '../../services/credentials'
import { exchangeDefaults, type ExchangeDefaults } from '../multitenancy/extraSettings'
import { page } from '../queryParams'
import { ownProposal, toCredExDetail, toCredExRecord } from './mappers'
import {
  createOfferBody,
  credExParams,
  issueBody,
  offerBody,
  offerForProposalBody,
  problemReportBody,
  proposalBody,
  recordsQuery,
  sendRequestBody,
  storeBody,
} from './schemas'

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
function offerContent(body: z.output<typeof createOfferBody>, defaults: ExchangeDefaults): OfferContent {
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
function ownOffer(body: z.output<typeof createOfferBody>, defaults: ExchangeDefaults): OfferContent {
  const content = offerContent(body, defaults)
  return { ...content, ownProposal: ownProposal({ filter: body.filter, preview: body.credential_preview, comment: body.comment ?? undefined }) }
}

/** What a holder's proposal body asks for: any AnonCreds filter fields with a preview, or a JSON-LD detail. */
function proposalContent(body: z.output<typeof proposalBody>, defaults: ExchangeDefaults): ProposalInput {
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

describeRequest('POST /issue-credential-2.0/send', { body: offerBody })
describeRequest('POST /issue-credential-2.0/send-offer', { body: offerBody })
describeRequest('POST /issue-credential-2.0/create-offer', { body: createOfferBody })
describeRequest('POST /issue-credential-2.0/send-proposal', { body: proposalBody })
describeRequest('POST /issue-credential-2.0/records/:cred_ex_id/send-offer', { body: offerForProposalBody })
describeRequest('GET /issue-credential-2.0/records', { query: recordsQuery })
describeRequest('POST /issue-credential-2.0/records/:cred_ex_id/send-request', { body: sendRequestBody })
describeRequest('POST /issue-credential-2.0/records/:cred_ex_id/issue', { body: issueBody })
describeRequest('POST /issue-credential-2.0/records/:cred_ex_id/store', { body: storeBody })
describeRequest('POST /issue-credential-2.0/records/:cred_ex_id/problem-report', { body: problemReportBody })

export function issueCredentialRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()
  const { credentials } = services
  /** ACA-Py's defaults for the flags a body leaves out, from the calling wallet's settings. */
  const defaultsOf = async (walletId: string) => exchangeDefaults(await services.webhookTargets.settingsOf(walletId))

  // /send runs the whole exchange from the issuer's side: the request is answered at once.
  router.post('/issue-credential-2.0/send', requireTenant, handler(async (req, res) => {
    const body = parse(offerBody, req.body, 'body')
    const { walletId } = principalOf(res)
    const offer = ownOffer(body, { ...(await defaultsOf(walletId)), autoIssue: true })
    res.json(toCredExRecord(await credentials.sendOffer(walletId, { ...offer, connectionId: body.connection_id })))
  }))

  router.post('/issue-credential-2.0/send-offer', requireTenant, handler(async (req, res) => {
    const body = parse(offerBody, req.body, 'body')
    const { walletId } = principalOf(res)
    res.json(toCredExRecord(await credentials.sendOffer(walletId, { ...ownOffer(body, await defaultsOf(walletId)), connectionId: body.connection_id })))
  }))

  // Connectionless: the offer is kept, for an invitation to carry (`attachments` of create-invitation).
  router.post('/issue-credential-2.0/create-offer', requireTenant, handler(async (req, res) => {
    const body = parse(createOfferBody, req.body, 'body')
    const { walletId } = principalOf(res)
    res.json(toCredExRecord(await credentials.createOffer(walletId, ownOffer(body, await defaultsOf(walletId)))))
  }))

  router.post('/issue-credential-2.0/send-proposal', requireTenant, handler(async (req, res) => {
    const body = parse(proposalBody, req.body, 'body')
    const { walletId } = principalOf(res)
    res.json(toCredExRecord(await credentials.sendProposal(walletId, proposalContent(body, await defaultsOf(walletId)))))
  }))

  // Answers a proposal: as proposed, or with filter and counter_preview (both or neither).
  router.post('/issue-credential-2.0/records/:cred_ex_id/send-offer', requireTenant, handler(async (req, res) => {
    const { cred_ex_id } = parse(credExParams, req.params, 'params')
    const body = parse(offerForProposalBody, req.body ?? {}, 'body')
    if ((body.filter === undefined) !== (body.counter_preview === undefined) && !body.filter?.ld_proof) {
      throw badRequest('counter_preview', 'Give filter and counter_preview together, or neither to offer what was proposed')
    }
    const counter = body.filter ? offerContent({ filter: body.filter, credential_preview: body.counter_preview, comment: body.comment }, await defaultsOf(principalOf(res).walletId)) : undefined
    res.json(toCredExRecord(await credentials.offerForProposal(principalOf(res).walletId, cred_ex_id, { counter, comment: body.comment ?? undefined })))
  }))

  // A holder's free request (ld_proof): Credo 0.5 cannot start an exchange with a request, nor take one
  // that answers no offer. Said plainly rather than a 404.
  router.post('/issue-credential-2.0/send-request', requireTenant, handler(async () => {
    throw notImplemented('Starting an exchange with a request is not supported; use send-proposal, and the issuer offers')
  }))

  router.get('/issue-credential-2.0/records', requireTenant, handler(async (req, res) => {
    const query = parse(recordsQuery, req.query, 'query')
    const views = await credentials.list(principalOf(res).walletId, {
      connectionId: query.connection_id,
      threadId: query.thread_id,
      role: query.role,
      state: query.state,
    })
    views.sort((a, b) => a.record.createdAt.getTime() - b.record.createdAt.getTime())
    res.json({ results: page(views, query).map(toCredExDetail) })
  }))

  router.get('/issue-credential-2.0/records/:cred_ex_id', requireTenant, handler(async (req, res) => {
    const { cred_ex_id } = parse(credExParams, req.params, 'params')
    res.json(toCredExDetail(await credentials.get(principalOf(res).walletId, cred_ex_id)))
  }))

  router.delete('/issue-credential-2.0/records/:cred_ex_id', requireTenant, handler(async (req, res) => {
    const { cred_ex_id } = parse(credExParams, req.params, 'params')
    await credentials.delete(principalOf(res).walletId, cred_ex_id)
    res.json({})
  }))

  router.post('/issue-credential-2.0/records/:cred_ex_id/send-request', requireTenant, handler(async (req, res) => {
    const { cred_ex_id } = parse(credExParams, req.params, 'params')
    const body = parse(sendRequestBody, req.body ?? {}, 'body')
    const { walletId } = principalOf(res)
    const autoRemove = body.auto_remove ?? (await defaultsOf(walletId)).autoRemove
    res.json(toCredExRecord(await credentials.sendRequest(walletId, cred_ex_id, { autoRemove, autoRemoveOnFailure: body.auto_remove_on_failure })))
  }))

  router.post('/issue-credential-2.0/records/:cred_ex_id/issue', requireTenant, handler(async (req, res) => {
    const { cred_ex_id } = parse(credExParams, req.params, 'params')
    const body = parse(issueBody, req.body ?? {}, 'body')
    res.json(toCredExDetail(await credentials.issue(principalOf(res).walletId, cred_ex_id, body.comment ?? undefined)))
  }))

  router.post('/issue-credential-2.0/records/:cred_ex_id/store', requireTenant, handler(async (req, res) => {
    const { cred_ex_id } = parse(credExParams, req.params, 'params')
    parse(storeBody, req.body ?? {}, 'body')
    res.json(toCredExDetail(await credentials.store(principalOf(res).walletId, cred_ex_id)))
  }))

  router.post('/issue-credential-2.0/records/:cred_ex_id/problem-report', requireTenant, handler(async (req, res) => {
    const { cred_ex_id } = parse(credExParams, req.params, 'params')
    const body = parse(problemReportBody, req.body, 'body')
    await credentials.problemReport(principalOf(res).walletId, cred_ex_id, body.description)
    res.json({})
  }))

  return router
}
