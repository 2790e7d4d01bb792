// ACA-Py face, present-proof 2.0 (reference §8), AnonCreds formats (`anoncreds`, `indy`).
// ACA-Py's defaults: auto_verify off (--auto-verify-presentation), auto_remove on.
import { Router } from 'express'
import type { z } from 'zod'

import { badRequest, notImplemented } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { page } from '../queryParams'
import { toCredPrecis, toPresExRecord } from './mappers'
import { createRequestBody, credentialsQuery, presExParams, problemReportBody, recordsQuery, sendPresentationBody, sendRequestBody } from './schemas'

/** One AnonCreds format of a body that may name several; dif is not here yet. */
function oneFormat<T>(given: { anoncreds?: T; indy?: T; dif?: unknown }, field: string): { format: 'anoncreds' | 'indy'; value: T } {
  if (given.dif !== undefined) throw notImplemented('The dif format is not supported yet; use anoncreds or indy')
  if (given.anoncreds && given.indy) throw badRequest(field, `Give one of ${field}.anoncreds and ${field}.indy`)
  if (given.anoncreds) return { format: 'anoncreds', value: given.anoncreds }
  if (given.indy) return { format: 'indy', value: given.indy }
  throw badRequest(field, `${field} needs one format: anoncreds or indy`)
}

/** What a request body asks for, with ACA-Py's defaults (auto_verify off, auto_remove on). */
function requestContent(body: z.output<typeof createRequestBody>) {
  const { format, value } = oneFormat(body.presentation_request, 'presentation_request')
  return { format, request: value, comment: body.comment ?? undefined, autoVerify: body.auto_verify ?? false, autoRemove: body.auto_remove ?? true }
}

export function presentProofRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()
  const { proofs } = services

  router.post('/present-proof-2.0/send-request', requireTenant, handler(async (req, res) => {
    const body = parse(sendRequestBody, req.body, 'body')
    res.json(toPresExRecord(await proofs.sendRequest(principalOf(res).walletId, { ...requestContent(body), connectionId: body.connection_id })))
  }))

  // Connectionless: the request is kept, for an invitation to carry (`attachments` of create-invitation).
  router.post('/present-proof-2.0/create-request', requireTenant, handler(async (req, res) => {
    const body = parse(createRequestBody, req.body, 'body')
    res.json(toPresExRecord(await proofs.createRequest(principalOf(res).walletId, requestContent(body))))
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
    res.json(matches.slice(offset, offset + limit).map(toCredPrecis))
  }))

  router.post('/present-proof-2.0/records/:pres_ex_id/send-presentation', requireTenant, handler(async (req, res) => {
    const { pres_ex_id } = parse(presExParams, req.params, 'params')
    const body = parse(sendPresentationBody, req.body, 'body')
    const { value } = oneFormat(body, 'body')
    res.json(toPresExRecord(await proofs.sendPresentation(principalOf(res).walletId, pres_ex_id, value, body.auto_remove)))
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
