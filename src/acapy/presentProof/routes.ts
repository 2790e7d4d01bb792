// ACA-Py face, present-proof 2.0 (reference §8): AnonCreds formats (`anoncreds`, `indy`) and DIF
// presentation exchange over JSON-LD credentials (`dif`).
// ACA-Py's defaults, from the wallet's settings: auto_verify off unless
// debug.auto_verify_presentation, auto_remove on unless preserve_exchange_records.
import { Router } from 'express'
import { randomUUID } from 'node:crypto'
import type { z } from 'zod'

import { badRequest, notImplemented } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import type { PresentationChoice, ProposalInput, RequestInput } from '../../services/proofs'
import { exchangeDefaults, type ExchangeDefaults } from '../multitenancy/extraSettings'
import { page } from '../queryParams'
import { toCredentialCandidate, toPresExRecord } from './mappers'
import {
  createRequestBody,
  credentialsQuery,
  presExParams,
  problemReportBody,
  proposalBody,
  recordsQuery,
  requestForProposalBody,
  sendPresentationBody,
  sendRequestBody,
} from './schemas'

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
function requestContent(body: z.output<typeof createRequestBody>, defaults: ExchangeDefaults): RequestInput {
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
function proposalContent(body: z.output<typeof proposalBody>, defaults: ExchangeDefaults): ProposalInput {
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
function presentationChoice(body: z.output<typeof sendPresentationBody>): PresentationChoice {
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

describeRequest('POST /present-proof-2.0/send-request', { body: sendRequestBody })
describeRequest('POST /present-proof-2.0/create-request', { body: createRequestBody })
describeRequest('POST /present-proof-2.0/send-proposal', { body: proposalBody })
describeRequest('POST /present-proof-2.0/records/:pres_ex_id/send-request', { body: requestForProposalBody })
describeRequest('GET /present-proof-2.0/records', { query: recordsQuery })
describeRequest('GET /present-proof-2.0/records/:pres_ex_id/credentials', { query: credentialsQuery })
describeRequest('POST /present-proof-2.0/records/:pres_ex_id/send-presentation', { body: sendPresentationBody })
describeRequest('POST /present-proof-2.0/records/:pres_ex_id/problem-report', { body: problemReportBody })

export function presentProofRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()
  const { proofs } = services
  /** ACA-Py's defaults for the flags a body leaves out, from the calling wallet's settings. */
  const defaultsOf = async (walletId: string) => exchangeDefaults(await services.webhookTargets.settingsOf(walletId))

  router.post('/present-proof-2.0/send-request', requireTenant, handler(async (req, res) => {
    const body = parse(sendRequestBody, req.body, 'body')
    const { walletId } = principalOf(res)
    res.json(toPresExRecord(await proofs.sendRequest(walletId, { ...requestContent(body, await defaultsOf(walletId)), connectionId: body.connection_id })))
  }))

  // Connectionless: the request is kept, for an invitation to carry (`attachments` of create-invitation).
  router.post('/present-proof-2.0/create-request', requireTenant, handler(async (req, res) => {
    const body = parse(createRequestBody, req.body, 'body')
    const { walletId } = principalOf(res)
    res.json(toPresExRecord(await proofs.createRequest(walletId, requestContent(body, await defaultsOf(walletId)))))
  }))

  router.post('/present-proof-2.0/send-proposal', requireTenant, handler(async (req, res) => {
    const body = parse(proposalBody, req.body, 'body')
    const { walletId } = principalOf(res)
    res.json(toPresExRecord(await proofs.sendProposal(walletId, proposalContent(body, await defaultsOf(walletId)))))
  }))

  // Answers a proposal with the request it proposes.
  router.post('/present-proof-2.0/records/:pres_ex_id/send-request', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    const body = parse(requestForProposalBody, req.body ?? {}, 'body')
    const defaults = await defaultsOf(principalOf(res).walletId)
    const options = { autoVerify: body.auto_verify ?? defaults.autoVerify, autoRemove: body.auto_remove ?? defaults.autoRemove, autoRemoveOnFailure: body.auto_remove_on_failure ?? false }
    res.json(toPresExRecord(await proofs.requestForProposal(principalOf(res).walletId, pres_ex_id, options)))
  }))

  router.get('/present-proof-2.0/records', requireTenant, handler(async (req, res) => {
    const query = parse(recordsQuery, req.query, 'query')
    const views = await proofs.list(principalOf(res).walletId, { connectionId: query.connection_id, threadId: query.thread_id, role: query.role, state: query.state })
    views.sort((a, b) => a.record.createdAt.getTime() - b.record.createdAt.getTime())
    res.json({ results: page(views, query).map(toPresExRecord) })
  }))

  router.get('/present-proof-2.0/records/:pres_ex_id', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    res.json(toPresExRecord(await proofs.get(principalOf(res).walletId, pres_ex_id)))
  }))

  router.delete('/present-proof-2.0/records/:pres_ex_id', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    await proofs.delete(principalOf(res).walletId, pres_ex_id)
    res.json({})
  }))

  // A JSON array, default 10 (ACA-Py's `count`), `limit`/`offset` taking precedence.
  router.get('/present-proof-2.0/records/:pres_ex_id/credentials', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    const query = parse(credentialsQuery, req.query, 'query')
    const referents = query.referent ? query.referent.split(',').map((r) => r.trim()).filter(Boolean) : undefined
    const matches = await proofs.matchingCredentials(principalOf(res).walletId, pres_ex_id, referents)
    const offset = query.offset ?? query.start ?? 0
    const limit = query.limit ?? query.count ?? 10
    res.json(matches.slice(offset, offset + limit).map(toCredentialCandidate))
  }))

  router.post('/present-proof-2.0/records/:pres_ex_id/send-presentation', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    const body = parse(sendPresentationBody, req.body, 'body')
    const walletId = principalOf(res).walletId
    // ACA-Py's clients (acapy-controller among them) send the request's own definition back in
    // dif.presentation_definition: that one is the definition presented over anyway.
    const echoed = (body.dif as { presentation_definition?: { id?: unknown } } | undefined)?.presentation_definition
    if (echoed) {
      const requested = (toPresExRecord(await proofs.get(walletId, pres_ex_id)).by_format as any)?.pres_request?.dif?.presentation_definition
      if (requested && echoed.id === requested.id) delete (body.dif as { presentation_definition?: unknown }).presentation_definition
    }
    res.json(toPresExRecord(await proofs.sendPresentation(walletId, pres_ex_id, presentationChoice(body), body.auto_remove ?? (await defaultsOf(walletId)).autoRemove)))
  }))

  router.post('/present-proof-2.0/records/:pres_ex_id/verify-presentation', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    res.json(toPresExRecord(await proofs.verifyPresentation(principalOf(res).walletId, pres_ex_id)))
  }))

  router.post('/present-proof-2.0/records/:pres_ex_id/problem-report', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    const body = parse(problemReportBody, req.body, 'body')
    await proofs.problemReport(principalOf(res).walletId, pres_ex_id, body.description)
    res.json({})
  }))

  return router
}
