// Proven face, invitations room (seed 003 "Invitations") and the contacts they create.
// Declared as data (http/route.ts).
import { toOobRecord } from '../../acapy/outOfBand/mappers'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { pageQuery, paginate } from '../pagination'
import { CONTACT_SORT_FIELDS, deepLinkOf, INVITATION_SORT_ALIASES, INVITATION_SORT_FIELDS, toContactRow, toCreateInvitation, toInvitationRow } from './mappers'
import {
  acceptInvitationBody,
  contactIdParams,
  contactPage,
  contactRow,
  createInvitationBody,
  invitationAccepted,
  invitationCreated,
  invitationDeleted,
  invitationIdParams,
  invitationLinks,
  invitationPage,
  invitationRow,
  updateInvitationBody,
} from './schemas'

export const controllerInvitationRouteDeclarations = ({ services }: RoomDeps) => {
  const invitations = services.controllerInvitations
  return [
    route({
      method: 'POST',
      path: '/api/v1/invitations',
      auth: 'requireWalletKey',
      summary: 'Create an invitation (out-of-band or connections/1.0) with its rules and contact',
      body: createInvitationBody,
      response: invitationCreated,
      async handle({ body, principal }) {
        const { invitation } = await invitations.create(principal().walletId, toCreateInvitation(body))
        return { invitation_url: invitation.invitationUrl, invitation_id: invitation.invitationId, contact_id: invitation.contactId }
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/invitations/accept',
      auth: 'requireWalletKey',
      summary: "Accept another agent's invitation",
      body: acceptInvitationBody,
      response: invitationAccepted,
      async handle({ body, principal }) {
        const view = await services.outOfBand.receive(principal().walletId, {
          invitationUrl: body.invitation_url,
          autoAccept: true,
          useExistingConnection: true,
        })
        // The seed's invitation_record is ACA-Py's out-of-band record.
        return { success: true as const, invitation_record: toOobRecord(view) }
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/invitations',
      auth: 'requireWalletKey',
      summary: "The wallet's invitations, paged",
      query: pageQuery,
      response: invitationPage,
      async handle({ query, principal }) {
        const rows = (await invitations.list(principal().walletId)).map(toInvitationRow)
        return paginate(rows, query, INVITATION_SORT_FIELDS, INVITATION_SORT_ALIASES)
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/invitations/:invitation_id',
      auth: 'requireWalletKey',
      summary: 'Fetch an invitation',
      params: invitationIdParams,
      response: invitationRow,
      async handle({ params, principal }) {
        return toInvitationRow(await invitations.get(principal().walletId, params.invitation_id))
      },
    }),
    // Credence's addition (seed 002: a phone scans or follows them): the invitation's short link and
    // the didcomm:// link a wallet app on the same phone opens.
    route({
      method: 'GET',
      path: '/api/v1/invitations/:invitation_id/links',
      auth: 'requireWalletKey',
      summary: "An invitation's short link and didcomm:// deep link",
      params: invitationIdParams,
      response: invitationLinks,
      async handle({ params: { invitation_id }, principal }) {
        const { walletId } = principal()
        const { invitation } = await invitations.get(walletId, invitation_id)
        const { invitationUrl, shortUrl } = await services.invitationLinks.linkOf(walletId, invitation.oobId)
        return { invitation_id, invitation_url: invitationUrl, short_url: shortUrl, deep_link: deepLinkOf(invitationUrl) }
      },
    }),
    route({
      method: 'PUT',
      path: '/api/v1/invitations/:invitation_id',
      auth: 'requireWalletKey',
      summary: "Change an invitation's rules (status, description, active period, uses allowed)",
      params: invitationIdParams,
      body: updateInvitationBody,
      response: invitationRow,
      // This body names the window's end without the `invitation_` its creation gives it.
      errorFields: { activeEndingAt: 'active_ending_at' },
      async handle({ params, body, principal }) {
        const view = await invitations.update(principal().walletId, params.invitation_id, {
          workflowStatus: body.workflow_status,
          description: body.description,
          activeStartingAt: body.active_starting_at,
          activeEndingAt: body.active_ending_at,
          usesAllowed: body.uses_allowed,
        })
        return toInvitationRow(view)
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/invitations/:invitation_id',
      auth: 'requireWalletKey',
      summary: 'Delete an invitation',
      params: invitationIdParams,
      response: invitationDeleted,
      async handle({ params: { invitation_id }, principal }) {
        await invitations.remove(principal().walletId, invitation_id)
        return { success: `Invitation ${invitation_id} was deleted successfully!` }
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/contacts',
      auth: 'requireWalletKey',
      summary: "The wallet's contacts, paged",
      query: pageQuery,
      response: contactPage,
      async handle({ query, principal }) {
        const { walletId } = principal()
        const rows = (await invitations.contacts(walletId)).map((contact) => toContactRow(walletId, contact))
        return paginate(rows, query, CONTACT_SORT_FIELDS)
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/contacts/:contact_id',
      auth: 'requireWalletKey',
      summary: 'Fetch a contact with its invitations and connections',
      params: contactIdParams,
      response: contactRow,
      async handle({ params, principal }) {
        const { walletId } = principal()
        return toContactRow(walletId, await invitations.contact(walletId, params.contact_id))
      },
    }),
  ]
}
