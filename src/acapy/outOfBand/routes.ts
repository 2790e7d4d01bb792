// ACA-Py face, out-of-band room (reference §4), plus Credence's QR code and short link of an
// invitation the wallet created. Declared as data (http/route.ts).
import { badRequest, notFoundError } from '../../errors'
import { noJsonAnswer, Reply, route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { assertOneDidChoice } from '../didChoice'
import { flagOf } from '../multitenancy/extraSettings'
import { page } from '../queryParams'
import { deletedForAcaPy, toInvitationRecord, toOobRecord } from './mappers'
import {
  createInvitationBody,
  createInvitationProblem,
  createInvitationQuery,
  invitationMessageBody,
  invitationMsgIdParams,
  invitationRecord,
  invitationUrlBody,
  listRecordsQuery,
  nothing,
  oobIdParams,
  oobIdQuery,
  oobRecord,
  oobRecordList,
  qrQuery,
  receiveInvitationBody,
  receiveInvitationQuery,
  shortLink,
} from './schemas'

export const outOfBandRouteDeclarations = ({ config, services }: RoomDeps) => {
  /** The wallet's own auto-accept setting (extra_settings), before the server's default. */
  const walletFlag = async (walletId: string, setting: string) => flagOf(await services.webhookTargets.settingsOf(walletId), setting)
  return [
    route({
      method: 'POST',
      path: '/out-of-band/create-invitation',
      auth: 'requireTenant',
      summary: 'Create an out-of-band invitation',
      query: createInvitationQuery,
      body: createInvitationBody,
      response: invitationRecord,
      async handle({ query, body, principal }) {
        const problem = createInvitationProblem(body, query)
        if (problem) throw badRequest(problem.field, problem.message)
        assertOneDidChoice(body)
        const { walletId } = principal()
        const { view, invitationUrl } = await services.outOfBand.create(walletId, {
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
          autoAccept: query.auto_accept ?? (await walletFlag(walletId, 'debug.auto_accept_requests')) ?? config.autoAcceptRequests,
          multiUse: query.multi_use,
        })
        return toInvitationRecord(view, invitationUrl)
      },
    }),
    route({
      method: 'POST',
      path: '/out-of-band/receive-invitation',
      auth: 'requireTenant',
      summary: 'Receive an invitation (the message itself, or {invitation_url})',
      query: receiveInvitationQuery,
      body: receiveInvitationBody,
      response: oobRecord,
      async handle({ query, body, principal }) {
        const { walletId } = principal()
        const byUrl = invitationUrlBody.safeParse(body)
        const source = byUrl.success ? { invitationUrl: byUrl.data.invitation_url } : { invitation: invitationMessageBody.parse(body) }
        const view = await services.outOfBand.receive(walletId, {
          ...source,
          autoAccept: query.auto_accept ?? (await walletFlag(walletId, 'debug.auto_accept_invites')) ?? config.autoAcceptInvites,
          alias: query.alias,
          useExistingConnection: query.use_existing_connection,
        })
        // ACA-Py answers with the record it has just deleted (state `deleted`), once a handshake began.
        return toOobRecord({ ...view, deleted: deletedForAcaPy(view) })
      },
    }),
    route({
      method: 'GET',
      path: '/out-of-band/records',
      auth: 'requireTenant',
      summary: 'List out-of-band records',
      query: listRecordsQuery,
      response: oobRecordList,
      async handle({ query, principal }) {
        const views = await services.outOfBand.list(principal().walletId, {
          role: query.role,
          connectionId: query.connection_id,
          invitationMsgId: query.invi_msg_id,
        })
        // `state` is ACA-Py's word (e.g. reuse-accepted), so it is matched on the mapped record.
        const records = views
          .filter((view) => !deletedForAcaPy(view))
          .map(toOobRecord)
          .filter((record) => !query.state || record.state === query.state)
        return { results: page(records, query) }
      },
    }),
    route({
      method: 'GET',
      path: '/out-of-band/invitations',
      auth: 'requireTenant',
      summary: 'Fetch an out-of-band record by oob_id',
      query: oobIdQuery,
      response: oobRecord,
      async handle({ query, principal }) {
        const view = await services.outOfBand.get(principal().walletId, query.oob_id)
        if (deletedForAcaPy(view)) throw notFoundError(`Out-of-band record ${query.oob_id} not found`)
        return toOobRecord(view)
      },
    }),
    route({
      method: 'DELETE',
      path: '/out-of-band/invitations/:invi_msg_id',
      auth: 'requireTenant',
      summary: 'Delete an invitation by its message id',
      params: invitationMsgIdParams,
      response: nothing,
      async handle({ params, principal }) {
        await services.outOfBand.deleteInvitation(principal().walletId, params.invi_msg_id)
        return {}
      },
    }),
    route({
      method: 'GET',
      path: '/out-of-band/invitations/:oob_id/short-url',
      auth: 'requireTenant',
      summary: "An invitation's short link, which answers with the invitation",
      params: oobIdParams,
      response: shortLink,
      async handle({ params, principal }) {
        const link = await services.invitationLinks.linkOf(principal().walletId, params.oob_id)
        return { oob_id: params.oob_id, invitation_url: link.invitationUrl, short_url: link.shortUrl }
      },
    }),
    route({
      method: 'GET',
      path: '/out-of-band/invitations/:oob_id/qr',
      auth: 'requireTenant',
      summary: 'Invitation QR code (SVG, or PNG with format=png)',
      params: oobIdParams,
      query: qrQuery,
      response: noJsonAnswer,
      produces: ['image/svg+xml', 'image/png'],
      async handle({ params, query, principal }) {
        const image = await services.invitationLinks.qrCode(principal().walletId, params.oob_id, query.format, query.content)
        return Reply.bytes(query.format === 'svg' ? 'image/svg+xml' : 'image/png', image)
      },
    }),
  ]
}
