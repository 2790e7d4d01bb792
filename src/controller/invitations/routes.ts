// Proven face, invitations room (seed 003 "Invitations") and the contacts they create.
import { Router } from 'express'

import { toOobRecord } from '../../acapy/outOfBand/mappers'
import { badRequest } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import { pageQuery, paginate } from '../pagination'
import { CONTACT_SORT_FIELDS, INVITATION_SORT_ALIASES, INVITATION_SORT_FIELDS, toContactRow, toInvitationRow } from './mappers'
import { acceptInvitationBody, contactIdParams, createInvitationBody, invitationIdParams, updateInvitationBody } from './schemas'

describeRequest('POST /api/v1/invitations', { body: createInvitationBody })
describeRequest('POST /api/v1/invitations/accept', { body: acceptInvitationBody })
describeRequest('GET /api/v1/invitations', { query: pageQuery })
describeRequest('PUT /api/v1/invitations/:invitation_id', { body: updateInvitationBody })
describeRequest('GET /api/v1/contacts', { query: pageQuery })

/** The invitation as wallet apps register to open it: `didcomm://invite?oob=…` (or `?c_i=…` for CV1). */
const deepLinkOf = (invitationUrl: string) => `didcomm://invite${new URL(invitationUrl).search}`

export function controllerInvitationRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()
  const invitations = services.controllerInvitations

  router.post('/api/v1/invitations', requireWalletKey, handler(async (req, res) => {
    const body = parse(createInvitationBody, req.body, 'body')
    if (body.invitation_mode === 'static') {
      throw badRequest('invitation_mode', 'invitation_mode static is not supported: use once or multi (a static connection needs no invitation)')
    }
    const usesAllowed = body.uses_allowed !== undefined ? body.uses_allowed : (body.invitation_uses_allowed ?? null)
    if (body.invitation_mode === 'once' && usesAllowed !== null && usesAllowed !== 1) {
      throw badRequest('uses_allowed', 'A once invitation has exactly one use')
    }
    const view = await invitations.create(principalOf(res).walletId, {
      invitationType: body.invitation_type,
      contactId: body.contact_id ?? undefined,
      handshakeProtocol: body.handshake_protocol ?? undefined,
      alias: body.alias ?? null,
      invitationMode: body.invitation_mode,
      accept: body.accept,
      public: body.public,
      invitationRole: body.invitation_role ?? null,
      invitationLabel: body.invitation_label ?? null,
      workflowStatus: body.invitation_status ?? 'active',
      description: body.invitation_description ?? null,
      activeStartingAt: body.invitation_active_starting_at ?? new Date().toISOString(),
      activeEndingAt: body.invitation_active_ending_at ?? null,
      usesAllowed,
    })
    const { invitation } = view
    res.json({ invitation_url: invitation.invitationUrl, invitation_id: invitation.invitationId, contact_id: invitation.contactId })
  }))

  router.post('/api/v1/invitations/accept', requireWalletKey, handler(async (req, res) => {
    const body = parse(acceptInvitationBody, req.body, 'body')
    const view = await services.outOfBand.receive(principalOf(res).walletId, {
      invitationUrl: body.invitation_url,
      autoAccept: true,
      useExistingConnection: true,
    })
    // The seed's invitation_record is ACA-Py's out-of-band record.
    res.json({ success: true, invitation_record: toOobRecord(view) })
  }))

  router.get('/api/v1/invitations', requireWalletKey, handler(async (req, res) => {
    const query = parse(pageQuery, req.query, 'query')
    const rows = (await invitations.list(principalOf(res).walletId)).map(toInvitationRow)
    res.json(paginate(rows, query, INVITATION_SORT_FIELDS, INVITATION_SORT_ALIASES))
  }))

  router.get('/api/v1/invitations/:invitation_id', requireWalletKey, handler(async (req, res) => {
    const { invitation_id } = parse(invitationIdParams, req.params, 'params')
    res.json(toInvitationRow(await invitations.get(principalOf(res).walletId, invitation_id)))
  }))

  // Credence's addition (seed 002: a phone scans or follows them): the invitation's short link and
  // the didcomm:// link a wallet app on the same phone opens.
  router.get('/api/v1/invitations/:invitation_id/links', requireWalletKey, handler(async (req, res) => {
    const { invitation_id } = parse(invitationIdParams, req.params, 'params')
    const { walletId } = principalOf(res)
    const { invitation } = await invitations.get(walletId, invitation_id)
    const { invitationUrl, shortUrl } = await services.invitationLinks.linkOf(walletId, invitation.oobId)
    res.json({ invitation_id, invitation_url: invitationUrl, short_url: shortUrl, deep_link: deepLinkOf(invitationUrl) })
  }))

  router.put('/api/v1/invitations/:invitation_id', requireWalletKey, handler(async (req, res) => {
    const { invitation_id } = parse(invitationIdParams, req.params, 'params')
    const body = parse(updateInvitationBody, req.body, 'body')
    const view = await invitations.update(principalOf(res).walletId, invitation_id, {
      workflowStatus: body.workflow_status,
      description: body.description,
      activeStartingAt: body.active_starting_at,
      activeEndingAt: body.active_ending_at,
      usesAllowed: body.uses_allowed,
    })
    res.json(toInvitationRow(view))
  }))

  router.delete('/api/v1/invitations/:invitation_id', requireWalletKey, handler(async (req, res) => {
    const { invitation_id } = parse(invitationIdParams, req.params, 'params')
    await invitations.remove(principalOf(res).walletId, invitation_id)
    res.json({ success: `Invitation ${invitation_id} was deleted successfully!` })
  }))

  router.get('/api/v1/contacts', requireWalletKey, handler(async (req, res) => {
    const query = parse(pageQuery, req.query, 'query')
    const { walletId } = principalOf(res)
    const rows = (await invitations.contacts(walletId)).map((contact) => toContactRow(walletId, contact))
    res.json(paginate(rows, query, CONTACT_SORT_FIELDS))
  }))

  router.get('/api/v1/contacts/:contact_id', requireWalletKey, handler(async (req, res) => {
    const { contact_id } = parse(contactIdParams, req.params, 'params')
    const { walletId } = principalOf(res)
    res.json(toContactRow(walletId, await invitations.contact(walletId, contact_id)))
  }))

  return router
}
