// Email verification (seed 003 "Email - Verify Email Addresses"): for each address, a single-use
// invitation whose contact is the address, mailed as a link and a QR code; whoever follows it from
// that mailbox connects, and the wallet then issues an Email credential (local_part, domain,
// address, verified_at) on a schema it owns, through an ordinary issuance request record.
import nodemailer from 'nodemailer'

import { DomainError, badRequest, invalid, peerUnavailable, unavailable } from '../errors'
import type { AppLogger } from '../logger'
import type { AnonCredsService } from './anoncreds'
import type { ControllerInvitationService } from './controllerInvitations'
import type { ControllerRequestService } from './controllerRequests'
import type { InvitationLinkService } from './invitationLinks'

const EMAIL_SCHEMA = { name: 'Email', version: '1.0', attrNames: ['local_part', 'domain', 'address', 'verified_at'] }

// One address, as a mailbox we can send to: a local part without spaces or specials, and a host
// name of dot-separated labels. Deliberately stricter than RFC 5322: quoted local parts, IP
// literals and comments are not taken.
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/** Why `address` is not one we will mail, or undefined. */
function addressProblem(address: string): string | undefined {
  if (address.length > 254) return 'longer than 254 characters'
  const at = address.lastIndexOf('@')
  if (at <= 0) return 'not an email address (no local part and domain)'
  const [local, domain] = [address.slice(0, at), address.slice(at + 1)]
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return `the local part "${local}" is not one we can send to`
  const labels = domain.split('.')
  if (labels.length < 2 || !labels.every((label) => HOST_LABEL.test(label))) return `the domain "${domain}" is not a host name`
  return undefined
}

export function emailVerificationService(deps: {
  smtpUrl?: string
  from: string
  invitations: ControllerInvitationService
  requests: ControllerRequestService
  anoncreds: AnonCredsService
  links: InvitationLinkService
  publicDidOf: (walletId: string) => Promise<string | undefined>
  logger: AppLogger
}) {
  const { invitations, requests, anoncreds, links, publicDidOf, logger } = deps
  const transport = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : undefined

  /** The wallet's Email schema on its public DID: the one it has, or one published now. */
  async function emailSchemaOf(walletId: string): Promise<string> {
    const issuerId = await publicDidOf(walletId)
    if (!issuerId) throw badRequest('emails', 'The wallet needs a public DID to issue Email credentials under (POST /api/v1/set-public-did)')
    const find = async () => (await anoncreds.listSchemaIds(walletId, { issuerId, name: EMAIL_SCHEMA.name, version: EMAIL_SCHEMA.version }))[0]
    const existing = await find()
    if (existing) return existing
    try {
      return (await anoncreds.registerSchema(walletId, { issuerId, ...EMAIL_SCHEMA })).id
    } catch (error) {
      // Published meanwhile by a request running alongside this one.
      const published = error instanceof DomainError ? await find() : undefined
      if (published) return published
      throw error
    }
  }

  return {
    async verify(walletId: string, addresses: string[]): Promise<void> {
      const problems = addresses.flatMap((address, index) => {
        const problem = addressProblem(address) ?? (addresses.indexOf(address) !== index ? 'given twice' : undefined)
        return problem ? [`emails.${index}.email (${address.slice(0, 100)}): ${problem}`] : []
      })
      if (problems.length > 0) throw invalid('emails', `Not sent, these addresses are refused: ${problems.join('; ')}`)
      if (!transport) throw unavailable('Email is not configured on this server (CREDENCE_SMTP_URL)')
      const schemaId = await emailSchemaOf(walletId)
      for (const address of addresses) {
        const { invitation } = await invitations.create(walletId, {
          invitationType: 'OOB',
          contactId: address,
          alias: address,
          invitationMode: 'once',
          accept: 'auto',
          public: false,
          invitationRole: null,
          invitationLabel: 'Email verification',
          workflowStatus: 'active',
          description: `Email verification of ${address}`,
          activeStartingAt: new Date().toISOString(),
          activeEndingAt: null,
          usesAllowed: 1,
        })
        const { shortUrl } = await links.linkOf(walletId, invitation.oobId)
        const qrCode = await links.qrCode(walletId, invitation.oobId, 'png', 'short')
        try {
          await transport.sendMail({
            from: deps.from,
            to: address,
            subject: 'Verify your email address',
            text: `Open this link in your digital wallet, or scan the attached QR code, to receive a credential for ${address}:\n\n${shortUrl}\n`,
            html: `<p>Open this link in your digital wallet, or scan the QR code, to receive a credential for ${address}:</p><p><a href="${shortUrl}">${shortUrl}</a></p><p><img src="cid:invitation-qr" alt="Invitation QR code"></p>`,
            attachments: [{ filename: 'invitation.png', content: qrCode as Buffer, cid: 'invitation-qr' }],
          })
        } catch (error) {
          logger.warn({ walletId, err: error }, 'verification email not sent')
          // The invitation nobody received is withdrawn; the addresses before this one were mailed.
          await invitations.remove(walletId, invitation.invitationId).catch(() => undefined)
          throw peerUnavailable(`The verification email to ${address} could not be sent: ${(error as Error).message}`)
        }
        const [local, domain] = [address.slice(0, address.lastIndexOf('@')), address.slice(address.lastIndexOf('@') + 1)]
        await requests.requestAnonCredsIssuance(walletId, {
          invitationId: invitation.invitationId,
          rule: 'no rule',
          timeout: 0,
          schemaId,
          attributes: [
            { name: 'local_part', value: local },
            { name: 'domain', value: domain },
            { name: 'address', value: address },
            // When the verification was sent; the credential follows once the link is followed.
            { name: 'verified_at', value: String(Math.floor(Date.now() / 1000)) },
          ],
        })
      }
    },
  }
}

export type EmailVerificationService = ReturnType<typeof emailVerificationService>
