// ACA-Py face, out-of-band room (reference §4), plus Credence's QR code and short link of an
// invitation the wallet created.
import { Router } from 'express'

import { badRequest, notFoundError } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { assertOneDidChoice } from '../didChoice'
import { flagOf } from '../multitenancy/extraSettings'
import { page } from '../queryParams'
import { deletedForAcaPy, toInvitationRecord, toOobRecord } from './mappers'
import {
  createInvitationBody,
  createInvitationProblem,
  createInvitationQuery,
  invitationMsgIdParams,
  listRecordsQuery,
  oobIdParams,
  oobIdQuery,
  qrQuery,
  invitationMessageBody,
  invitationUrlBody,
  receiveInvitationQuery,
} from './schemas'

describeRequest('POST /out-of-band/create-invitation', { query: createInvitationQuery, body: createInvitationBody })
describeRequest('POST /out-of-band/receive-invitation', { query: receiveInvitationQuery })
describeRequest('GET /out-of-band/records', { query: listRecordsQuery })
describeRequest('GET /out-of-band/invitations', { query: oobIdQuery })
describeRequest('GET /out-of-band/invitations/:oob_id/qr', { query: qrQuery })

export function outOfBandRoutes({ config, services, requireTenant }: RoomDeps): Router {
  /** The wallet's own auto-accept setting (extra_settings), before the server's default. */
  const walletFlag = async (walletId: string, setting: string) => flagOf(await services.webhookTargets.settingsOf(walletId), setting)
  const router = Router()

  router.post('/out-of-band/create-invitation', requireTenant, handler(async (req, res) => {
    const query = parse(createInvitationQuery, req.query, 'query')
    const body = parse(createInvitationBody, req.body, 'body')
    const problem = createInvitationProblem(body, query)
    if (problem) throw badRequest(problem.field, problem.message)
    assertOneDidChoice(body)
    const { view, invitationUrl } = await services.outOfBand.create(principalOf(res).walletId, {
      handshakeProtocols: (body.handshake_protocols ?? []).map((handshake) => handshake.protocol),
      handshakeUris: (body.handshake_protocols ?? []).map((handshake) => handshake.uri),
      attachments: body.attachments ?? [],
      usePublicDid: body.use_public_did,
      useDid: body.use_did,
      useDidMethod: body.use_did_method === 'did:peer:2' ? 2 : body.use_did_method === 'did:peer:4' ? 4 : undefined,
      label: body.my_label,
      alias: body.alias,
      metadata: body.metadata,
      accept: body.accept,
      goal: body.goal,
      goalCode: body.goal_code,
      autoAccept: query.auto_accept ?? (await walletFlag(principalOf(res).walletId, 'debug.auto_accept_requests')) ?? config.autoAcceptRequests,
      multiUse: query.multi_use,
    })
    res.json(toInvitationRecord(view, invitationUrl))
  }))

  router.post('/out-of-band/receive-invitation', requireTenant, handler(async (req, res) => {
    const query = parse(receiveInvitationQuery, req.query, 'query')
    const byUrl = invitationUrlBody.safeParse(req.body)
    const source = byUrl.success
      ? { invitationUrl: byUrl.data.invitation_url }
      : { invitation: parse(invitationMessageBody, req.body, 'body') }
    const view = await services.outOfBand.receive(principalOf(res).walletId, {
      ...source,
      autoAccept: query.auto_accept ?? (await walletFlag(principalOf(res).walletId, 'debug.auto_accept_invites')) ?? config.autoAcceptInvites,
      alias: query.alias,
      useExistingConnection: query.use_existing_connection,
    })
    // ACA-Py answers with the record it has just deleted (state `deleted`), once a handshake began.
    res.json(toOobRecord({ ...view, deleted: deletedForAcaPy(view) }))
  }))

  router.get('/out-of-band/records', requireTenant, handler(async (req, res) => {
    const query = parse(listRecordsQuery, req.query, 'query')
    const views = await services.outOfBand.list(principalOf(res).walletId, {
      role: query.role,
      connectionId: query.connection_id,
      invitationMsgId: query.invi_msg_id,
    })
    // `state` is ACA-Py's word (e.g. reuse-accepted), so it is matched on the mapped record.
    const records = views
      .filter((view) => !deletedForAcaPy(view))
      .map(toOobRecord)
      .filter((record) => !query.state || record.state === query.state)
    res.json({ results: page(records, query) })
  }))

  router.get('/out-of-band/invitations', requireTenant, handler(async (req, res) => {
    const { oob_id } = parse(oobIdQuery, req.query, 'query')
    const view = await services.outOfBand.get(principalOf(res).walletId, oob_id)
    if (deletedForAcaPy(view)) throw notFoundError(`Out-of-band record ${oob_id} not found`)
    res.json(toOobRecord(view))
  }))

  router.delete('/out-of-band/invitations/:invi_msg_id', requireTenant, handler(async (req, res) => {
    const { invi_msg_id } = parse(invitationMsgIdParams, req.params, 'params')
    await services.outOfBand.deleteInvitation(principalOf(res).walletId, invi_msg_id)
    res.json({})
  }))

  router.get('/out-of-band/invitations/:oob_id/short-url', requireTenant, handler(async (req, res) => {
    const { oob_id } = parse(oobIdParams, req.params, 'params')
    const link = await services.invitationLinks.linkOf(principalOf(res).walletId, oob_id)
    res.json({ oob_id, invitation_url: link.invitationUrl, short_url: link.shortUrl })
  }))

  router.get('/out-of-band/invitations/:oob_id/qr', requireTenant, handler(async (req, res) => {
    const { oob_id } = parse(oobIdParams, req.params, 'params')
    const query = parse(qrQuery, req.query, 'query')
    const image = await services.invitationLinks.qrCode(principalOf(res).walletId, oob_id, query.format, query.content)
    res.type(query.format === 'svg' ? 'image/svg+xml' : 'image/png').send(image)
  }))

  return router
}
