// ACA-Py face, present-proof 2.0 (reference §8): AnonCreds formats (`anoncreds`, `indy`) and DIF
// presentation exchange over JSON-LD credentials (`dif`). Declared as data (http/route.ts); what a
// body asks the service for is read in requestContent.ts.
// ACA-Py's defaults, from the wallet's settings: auto_verify off unless
// debug.auto_verify_presentation, auto_remove on unless preserve_exchange_records.
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { exchangeDefaults } from '../multitenancy/extraSettings'
import { page } from '../queryParams'
import { toCredentialCandidate, toPresExRecord } from './mappers'
import { presentationChoice, proposalContent, requestContent } from './requestContent'
import {
  createRequestBody,
  credentialCandidates,
  credentialsQuery,
  nothing,
  presExParams,
  presExRecord,
  presExRecordList,
  problemReportBody,
  proposalBody,
  recordsQuery,
  requestForProposalBody,
  sendPresentationBody,
  sendRequestBody,
} from './schemas'

export const presentProofRouteDeclarations = ({ services: { proofs, webhookTargets } }: RoomDeps) => {
  /** ACA-Py's defaults for the flags a body leaves out, from the calling wallet's settings. */
  const defaultsOf = async (walletId: string) => exchangeDefaults(await webhookTargets.settingsOf(walletId))
  return [
    route({
      method: 'POST',
      path: '/present-proof-2.0/send-request',
      auth: 'requireTenant',
      summary: 'Send a presentation request',
      body: sendRequestBody,
      response: presExRecord,
      async handle({ body, principal }) {
        const { walletId } = principal()
        return toPresExRecord(await proofs.sendRequest(walletId, { ...requestContent(body, await defaultsOf(walletId)), connectionId: body.connection_id }))
      },
    }),
    // Connectionless: the request is kept, for an invitation to carry (`attachments` of create-invitation).
    route({
      method: 'POST',
      path: '/present-proof-2.0/create-request',
      auth: 'requireTenant',
      summary: 'Create a presentation request for an invitation to carry',
      body: createRequestBody,
      response: presExRecord,
      async handle({ body, principal }) {
        const { walletId } = principal()
        return toPresExRecord(await proofs.createRequest(walletId, requestContent(body, await defaultsOf(walletId))))
      },
    }),
    route({
      method: 'POST',
      path: '/present-proof-2.0/send-proposal',
      auth: 'requireTenant',
      summary: 'Send a presentation proposal (prover)',
      body: proposalBody,
      response: presExRecord,
      async handle({ body, principal }) {
        const { walletId } = principal()
        return toPresExRecord(await proofs.sendProposal(walletId, proposalContent(body, await defaultsOf(walletId))))
      },
    }),
    // Answers a proposal with the request it proposes.
    route({
      method: 'POST',
      path: '/present-proof-2.0/records/:pres_ex_id/send-request',
      auth: 'requireTenant',
      summary: 'Answer a proposal with the request it proposes',
      params: presExParams,
      body: requestForProposalBody,
      response: presExRecord,
      async handle({ params, body, principal }) {
        const { walletId } = principal()
        const defaults = await defaultsOf(walletId)
        const options = { autoVerify: body.auto_verify ?? defaults.autoVerify, autoRemove: body.auto_remove ?? defaults.autoRemove, autoRemoveOnFailure: body.auto_remove_on_failure ?? false }
        return toPresExRecord(await proofs.requestForProposal(walletId, params.pres_ex_id, options))
      },
    }),
    route({
      method: 'GET',
      path: '/present-proof-2.0/records',
      auth: 'requireTenant',
      summary: 'List presentation exchanges, oldest first',
      query: recordsQuery,
      response: presExRecordList,
      async handle({ query, principal }) {
        const views = await proofs.list(principal().walletId, { connectionId: query.connection_id, threadId: query.thread_id, role: query.role, state: query.state })
        views.sort((a, b) => a.record.createdAt.getTime() - b.record.createdAt.getTime())
        return { results: page(views, query).map(toPresExRecord) }
      },
    }),
    route({
      method: 'GET',
      path: '/present-proof-2.0/records/:pres_ex_id',
      auth: 'requireTenant',
      summary: 'Fetch a presentation exchange',
      params: presExParams,
      response: presExRecord,
      async handle({ params, principal }) {
        return toPresExRecord(await proofs.get(principal().walletId, params.pres_ex_id))
      },
    }),
    route({
      method: 'DELETE',
      path: '/present-proof-2.0/records/:pres_ex_id',
      auth: 'requireTenant',
      summary: 'Delete a presentation exchange',
      params: presExParams,
      response: nothing,
      async handle({ params, principal }) {
        await proofs.delete(principal().walletId, params.pres_ex_id)
        return {}
      },
    }),
    // A JSON array, default 10 (ACA-Py's `count`), `limit`/`offset` taking precedence.
    route({
      method: 'GET',
      path: '/present-proof-2.0/records/:pres_ex_id/credentials',
      auth: 'requireTenant',
      summary: "The prover's credentials that answer the request",
      params: presExParams,
      query: credentialsQuery,
      response: credentialCandidates,
      async handle({ params, query, principal }) {
        const referents = query.referent ? query.referent.split(',').map((r) => r.trim()).filter(Boolean) : undefined
        const matches = await proofs.matchingCredentials(principal().walletId, params.pres_ex_id, referents)
        const offset = query.offset ?? query.start ?? 0
        const limit = query.limit ?? query.count ?? 10
        return matches.slice(offset, offset + limit).map(toCredentialCandidate)
      },
    }),
    route({
      method: 'POST',
      path: '/present-proof-2.0/records/:pres_ex_id/send-presentation',
      auth: 'requireTenant',
      summary: 'Send the presentation (prover)',
      params: presExParams,
      body: sendPresentationBody,
      response: presExRecord,
      async handle({ params, body, principal }) {
        const { walletId } = principal()
        // ACA-Py's clients (acapy-controller among them) send the request's own definition back in
        // dif.presentation_definition: that one is the definition presented over anyway.
        const echoed = (body.dif as { presentation_definition?: { id?: unknown } } | undefined)?.presentation_definition
        if (echoed) {
          const requested = (toPresExRecord(await proofs.get(walletId, params.pres_ex_id)).by_format as any)?.pres_request?.dif?.presentation_definition
          if (requested && echoed.id === requested.id) delete (body.dif as { presentation_definition?: unknown }).presentation_definition
        }
        return toPresExRecord(await proofs.sendPresentation(walletId, params.pres_ex_id, presentationChoice(body), body.auto_remove ?? (await defaultsOf(walletId)).autoRemove))
      },
    }),
    route({
      method: 'POST',
      path: '/present-proof-2.0/records/:pres_ex_id/verify-presentation',
      auth: 'requireTenant',
      summary: 'Verify the received presentation',
      params: presExParams,
      response: presExRecord,
      async handle({ params, principal }) {
        return toPresExRecord(await proofs.verifyPresentation(principal().walletId, params.pres_ex_id))
      },
    }),
    route({
      method: 'POST',
      path: '/present-proof-2.0/records/:pres_ex_id/problem-report',
      auth: 'requireTenant',
      summary: 'Abandon the exchange with a problem report',
      params: presExParams,
      body: problemReportBody,
      response: nothing,
      async handle({ params, body, principal }) {
        await proofs.problemReport(principal().walletId, params.pres_ex_id, body.description)
        return {}
      },
    }),
  ]
}
