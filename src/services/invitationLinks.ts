// Short links and QR codes for invitations Credence created (seed 002: a phone scans them). A short
// link lives on the public inbound port as `<endpoint origin>/i/<code>`; fetched with
// `Accept: application/json` it answers the invitation itself, otherwise a redirect to the long
// URL (RFC 0434's short-URL behaviour, which Credo and ACA-Py both follow). Rows and SQL: store/invitationLinks.ts.
import { randomBytes } from 'node:crypto'
import QRCode from 'qrcode'

import { notFoundError } from '../errors'
import type { Store } from '../store/db'
import { shortLinks } from '../store/invitationLinks'

export type QrFormat = 'svg' | 'png'

export function invitationLinkService(deps: { store: Store; endpoint: string }) {
  const links = shortLinks(deps.store)
  const origin = new URL(deps.endpoint).origin
  const shortUrlOf = (code: string) => `${origin}/i/${code}`

  async function linkOf(walletId: string, oobId: string): Promise<{ invitationUrl: string; shortUrl: string }> {
    const link = await links.ofInvitation(walletId, oobId)
    if (!link) throw notFoundError(`No invitation created by this wallet has out-of-band id ${oobId}`)
    return { invitationUrl: link.invitationUrl, shortUrl: shortUrlOf(link.code) }
  }

  return {
    async create(walletId: string, oobId: string, invitationUrl: string): Promise<void> {
      // 72 random bits: short enough for a small QR code, far too many to guess.
      const code = randomBytes(9).toString('base64url')
      await links.insert({ code, walletId, oobId, invitationUrl })
    },

    linkOf,

    async remove(walletId: string, oobId: string): Promise<void> {
      await links.remove(walletId, oobId)
    },

    /** The QR code of an invitation's short link (default) or of its full URL. */
    async qrCode(walletId: string, oobId: string, format: QrFormat, content: 'short' | 'full'): Promise<Buffer | string> {
      const link = await linkOf(walletId, oobId)
      const text = content === 'short' ? link.shortUrl : link.invitationUrl
      return format === 'svg'
        ? QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
        : QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 })
    },

    /** The invitation URL behind a short-link code, for the public port; undefined for unknown codes. */
    async resolve(code: string): Promise<string | undefined> {
      return links.urlOf(code)
    },
  }
}

export type InvitationLinkService = ReturnType<typeof invitationLinkService>
