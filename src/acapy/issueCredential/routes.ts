// ACA-Py face, issue-credential 2.0 (reference §7): AnonCreds formats (`anoncreds`, `indy`) and
// JSON-LD (`ld_proof`). Declared as data (http/route.ts); what a body asks the service for is read
// in requestContent.ts.
// ACA-Py's defaults, from the wallet's settings: auto_issue off unless
// debug.auto_respond_credential_request, auto_remove on (the record is deleted once done) unless
// preserve_exchange_records.
import { badRequest, notImplemented } from '../../errors'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { exchangeDefaults } from '../multitenancy/extraSettings'
import { page } from '../queryParams'
import { toCredExDetail, toCredExRecord } from './mappers'
import { offerContent, ownOffer, proposalContent } from './requestContent'
import {
  createOfferBody,
  credExParams,
  credExRecord,
  credExRecordDetail,
  credExRecordList,
  issueBody,
  nothing,
  offerBody,
  offerForProposalBody,
  problemReportBody,
  proposalBody,
  recordsQuery,
  sendRequestBody,
  storeBody,
} from './schemas'

export const issueCredentialRouteDeclarations = ({ services: { credentials, webhookTargets } }: RoomDeps) => {
  /** ACA-Py's defaults for the flags a body leaves out, from the calling wallet's settings. */
  const defaultsOf = async (walletId: string) => exchangeDefaults(await webhookTargets.settingsOf(walletId))
  return [
    // /send runs the whole exchange from the issuer's side: the request is answered at once.
    route({
      method: 'POST',
      path: '/issue-credential-2.0/send',
      auth: 'requireTenant',
      summary: 'Send an offer and issue when the request arrives',
      body: offerBody,
      response: credExRecord,
      async handle({ body, principal }) {
        const { walletId } = principal()
        const offer = ownOffer(body, { ...(await defaultsOf(walletId)), autoIssue: true })
        return toCredExRecord(await credentials.sendOffer(walletId, { ...offer, connectionId: body.connection_id }))
      },
    }),
    route({
      method: 'POST',
      path: '/issue-credential-2.0/send-offer',
      auth: 'requireTenant',
      summary: 'Send an offer',
      body: offerBody,
      response: credExRecord,
      async handle({ body, principal }) {
        const { walletId } = principal()
        return toCredExRecord(await credentials.sendOffer(walletId, { ...ownOffer(body, await defaultsOf(walletId)), connectionId: body.connection_id }))
      },
    }),
    // Connectionless: the offer is kept, for an invitation to carry (`attachments` of create-invitation).
    route({
      method: 'POST',
      path: '/issue-credential-2.0/create-offer',
      auth: 'requireTenant',
      summary: 'Create an offer for an invitation to carry',
      body: createOfferBody,
      response: credExRecord,
      async handle({ body, principal }) {
        const { walletId } = principal()
        return toCredExRecord(await credentials.createOffer(walletId, ownOffer(body, await defaultsOf(walletId))))
      },
    }),
    route({
      method: 'POST',
      path: '/issue-credential-2.0/send-proposal',
      auth: 'requireTenant',
      summary: 'Send a proposal (holder)',
      body: proposalBody,
      response: credExRecord,
      async handle({ body, principal }) {
        const { walletId } = principal()
        return toCredExRecord(await credentials.sendProposal(walletId, proposalContent(body, await defaultsOf(walletId))))
      },
    }),
    // Answers a proposal: as proposed, or with filter and counter_preview (both or neither).
    route({
      method: 'POST',
      path: '/issue-credential-2.0/records/:cred_ex_id/send-offer',
      auth: 'requireTenant',
      summary: 'Answer a proposal with an offer',
      params: credExParams,
      body: offerForProposalBody,
      response: credExRecord,
      async handle({ params, body, principal }) {
        if ((body.filter === undefined) !== (body.counter_preview === undefined) && !body.filter?.ld_proof) {
          throw badRequest('counter_preview', 'Give filter and counter_preview together, or neither to offer what was proposed')
        }
        const { walletId } = principal()
        const counter = body.filter ? offerContent({ filter: body.filter, credential_preview: body.counter_preview, comment: body.comment }, await defaultsOf(walletId)) : undefined
        return toCredExRecord(await credentials.offerForProposal(walletId, params.cred_ex_id, { counter, comment: body.comment ?? undefined }))
      },
    }),
    // A holder's free request (ld_proof): Credo 0.5 cannot start an exchange with a request, nor take one
    // that answers no offer. Said plainly rather than a 404; the body is not read.
    route({
      method: 'POST',
      path: '/issue-credential-2.0/send-request',
      auth: 'requireTenant',
      summary: 'Not supported: start an exchange with a request (answers 501; use send-proposal)',
      response: credExRecord,
      async handle() {
        throw notImplemented('Starting an exchange with a request is not supported; use send-proposal, and the issuer offers')
      },
    }),
    route({
      method: 'GET',
      path: '/issue-credential-2.0/records',
      auth: 'requireTenant',
      summary: 'List credential exchanges, oldest first',
      query: recordsQuery,
      response: credExRecordList,
      async handle({ query, principal }) {
        const views = await credentials.list(principal().walletId, {
          connectionId: query.connection_id,
          threadId: query.thread_id,
          role: query.role,
          state: query.state,
        })
        views.sort((a, b) => a.record.createdAt.getTime() - b.record.createdAt.getTime())
        return { results: page(views, query).map(toCredExDetail) }
      },
    }),
    route({
      method: 'GET',
      path: '/issue-credential-2.0/records/:cred_ex_id',
      auth: 'requireTenant',
      summary: 'Fetch a credential exchange',
      params: credExParams,
      response: credExRecordDetail,
      async handle({ params, principal }) {
        return toCredExDetail(await credentials.get(principal().walletId, params.cred_ex_id))
      },
    }),
    route({
      method: 'DELETE',
      path: '/issue-credential-2.0/records/:cred_ex_id',
      auth: 'requireTenant',
      summary: 'Delete a credential exchange',
      params: credExParams,
      response: nothing,
      async handle({ params, principal }) {
        await credentials.delete(principal().walletId, params.cred_ex_id)
        return {}
      },
    }),
    route({
      method: 'POST',
      path: '/issue-credential-2.0/records/:cred_ex_id/send-request',
      auth: 'requireTenant',
      summary: 'Answer an offer with a request (holder)',
      params: credExParams,
      body: sendRequestBody,
      response: credExRecord,
      async handle({ params, body, principal }) {
        const { walletId } = principal()
        const autoRemove = body.auto_remove ?? (await defaultsOf(walletId)).autoRemove
        return toCredExRecord(await credentials.sendRequest(walletId, params.cred_ex_id, { autoRemove, autoRemoveOnFailure: body.auto_remove_on_failure }))
      },
    }),
    route({
      method: 'POST',
      path: '/issue-credential-2.0/records/:cred_ex_id/issue',
      auth: 'requireTenant',
      summary: 'Issue the requested credential',
      params: credExParams,
      body: issueBody,
      response: credExRecordDetail,
      async handle({ params, body, principal }) {
        return toCredExDetail(await credentials.issue(principal().walletId, params.cred_ex_id, body.comment ?? undefined))
      },
    }),
    route({
      method: 'POST',
      path: '/issue-credential-2.0/records/:cred_ex_id/store',
      auth: 'requireTenant',
      summary: 'Store the issued credential',
      params: credExParams,
      body: storeBody,
      response: credExRecordDetail,
      async handle({ params, principal }) {
        return toCredExDetail(await credentials.store(principal().walletId, params.cred_ex_id))
      },
    }),
    route({
      method: 'POST',
      path: '/issue-credential-2.0/records/:cred_ex_id/problem-report',
      auth: 'requireTenant',
      summary: 'Abandon the exchange with a problem report',
      params: credExParams,
      body: problemReportBody,
      response: nothing,
      async handle({ params, body, principal }) {
        await credentials.problemReport(principal().walletId, params.cred_ex_id, body.description)
        return {}
      },
    }),
  ]
}
