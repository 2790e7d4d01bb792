// Invitations' short links as rows of `short_links`: the one place that knows their columns and
// SQL, for SQLite and PostgreSQL alike. Codes, URLs and QR codes are the invitation-link service's
// (services/invitationLinks.ts).
import type { Db } from './db'

export interface ShortLink {
  code: string
  invitationUrl: string
}

export function shortLinks(db: Db) {
  return {
    /** The short link of an invitation the wallet created, by its out-of-band id. */
    async ofInvitation(walletId: string, oobId: string): Promise<ShortLink | undefined> {
      const row = await db.get<{ code: string; invitation_url: string }>(
        'SELECT code, invitation_url FROM short_links WHERE wallet_id = ? AND oob_id = ?',
        [walletId, oobId],
      )
      return row && { code: row.code, invitationUrl: row.invitation_url }
    },

    /** The invitation URL behind a code. */
    async urlOf(code: string): Promise<string | undefined> {
      const row = await db.get<{ invitation_url: string }>('SELECT invitation_url FROM short_links WHERE code = ?', [code])
      return row?.invitation_url
    },

    insert: (link: { code: string; walletId: string; oobId: string; invitationUrl: string }) =>
      db.run('INSERT INTO short_links (code, wallet_id, oob_id, invitation_url, created_at) VALUES (?, ?, ?, ?, ?)', [
        link.code,
        link.walletId,
        link.oobId,
        link.invitationUrl,
        new Date().toISOString(),
      ]),

    remove: (walletId: string, oobId: string) => db.run('DELETE FROM short_links WHERE wallet_id = ? AND oob_id = ?', [walletId, oobId]),
  }
}

export type ShortLinkRepository = ReturnType<typeof shortLinks>
