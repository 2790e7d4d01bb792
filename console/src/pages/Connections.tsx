// Seed 002's flow: "New connection" with a name → a QR code, the link, a short link and a phone
// deep link; the card follows the connection live from waiting to request received to accepted.
// Below it, every connection of the wallet, kept current by the event stream.
import QRCode from 'qrcode'
import { useEffect, useState } from 'react'

import { api, type Session } from '../api'
import { useWalletEvents } from '../events'
import { CopyField, Field, FormError, LoadError, StateBadge, Table, useLoad, useSubmit, when } from '../ui'

interface NewConnection {
  invitationId: number
  invitationMsgId: string
  name: string
  invitationUrl: string
  shortUrl: string
  deepLink: string
}

/** The card's words for the inviter's side of DID exchange (ACA-Py's `state` in the connections topic). */
function cardState(state: string): string {
  if (state === 'request' || state === 'response') return 'request received'
  if (state === 'active' || state === 'completed') return 'accepted'
  if (state === 'error' || state === 'abandoned') return 'failed'
  return 'waiting'
}

export function Connections({ session }: { session: Session }) {
  const connections = useLoad(() =>
    api(session).GET('/api/v1/connections', {
      params: { query: { 'page-size': 200, 'current-page': 1, 'sort-field': 'created_at', 'sort-direction': 'DESC' } },
    }),
  )
  const [created, setCreated] = useState<NewConnection[]>([])
  useWalletEvents(['connections'], () => connections.reload())
  const rows = connections.data?.rows ?? []

  return (
    <>
      <h1>Connections</h1>
      <NewConnectionForm session={session} onCreated={(card) => setCreated((cards) => [card, ...cards])} />
      {created.map((card) => (
        <ConnectionCard key={card.invitationId} card={card} />
      ))}
      <section>
        <h2>All connections</h2>
        <LoadError error={connections.error} />
        <Table testId="connections-table" headers={['Name', 'Their label', 'State', 'Contact', 'Created']} rows={rows} empty="No connections yet.">
          {rows.map((row) => (
            <tr key={row.connection_id}>
              <td>
                <a href={`#/connections/${encodeURIComponent(row.connection_id)}`}>{row.alias ?? row.their_label ?? row.connection_id}</a>
              </td>
              <td>{row.their_label ?? '—'}</td>
              <td>
                <StateBadge state={row.state} />
              </td>
              <td className="mono">{row.contact_id ?? '—'}</td>
              <td>{when(row.created_at)}</td>
            </tr>
          ))}
        </Table>
      </section>
    </>
  )
}

function NewConnectionForm({ session, onCreated }: { session: Session; onCreated: (card: NewConnection) => void }) {
  const [name, setName] = useState('')
  const { busy, error, run } = useSubmit()
  return (
    <form
      noValidate
      className="inline-form"
      aria-label="New connection"
      onSubmit={async (event) => {
        event.preventDefault()
        const card = await run(async () => {
          const { invitation_id } = await api(session).POST('/api/v1/invitations', { body: { alias: name.trim() || null, invitation_mode: 'once' } })
          const params = { path: { invitation_id: String(invitation_id) } }
          const [invitation, links] = await Promise.all([
            api(session).GET('/api/v1/invitations/{invitation_id}', { params }),
            api(session).GET('/api/v1/invitations/{invitation_id}/links', { params }),
          ])
          return {
            invitationId: invitation.invitation_id,
            invitationMsgId: invitation.invitation_msg_id,
            name: invitation.alias ?? 'Unnamed',
            invitationUrl: links.invitation_url,
            shortUrl: links.short_url,
            deepLink: links.deep_link,
          }
        })
        if (card) {
          onCreated(card)
          setName('')
        }
      }}
    >
      <Field label="Name of the person or organisation" name="alias" error={error}>
        {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Alice Example" maxLength={200} />}
      </Field>
      <button type="submit" aria-busy={busy} disabled={busy}>
        New connection
      </button>
      <FormError error={error} fields={['alias']} />
    </form>
  )
}

function ConnectionCard({ card }: { card: NewConnection }) {
  const [state, setState] = useState('waiting')
  const [connectionId, setConnectionId] = useState<string>()
  const [qr, setQr] = useState<string>()
  useEffect(() => {
    QRCode.toDataURL(card.shortUrl, { errorCorrectionLevel: 'M', margin: 2, scale: 6 }).then(setQr, () => setQr(undefined))
  }, [card.shortUrl])
  useWalletEvents(['connections'], ({ payload }) => {
    if (payload.invitation_msg_id !== card.invitationMsgId) return
    setState(cardState(String(payload.state)))
    setConnectionId(typeof payload.connection_id === 'string' ? payload.connection_id : undefined)
  })
  return (
    <article className="connection-card" data-testid="connection-card" aria-label={`Connection with ${card.name}`}>
      <header className="card-header">
        <strong>{card.name}</strong>
        <StateBadge state={state} testId="connection-card-state" />
      </header>
      <div className="card-body">
        {qr ? <img className="qr" src={qr} alt={`QR code of the invitation for ${card.name}`} data-testid="invitation-qr" /> : <div className="qr" />}
        <div className="links">
          <CopyField label="Invitation link" value={card.invitationUrl} testId="invitation-url" />
          <CopyField label="Short link" value={card.shortUrl} testId="short-url" />
          <p>
            <a href={card.deepLink} role="button" className="secondary" data-testid="deep-link">
              Open in a wallet app on this phone
            </a>
          </p>
          {connectionId && (
            <p>
              <a href={`#/connections/${encodeURIComponent(connectionId)}`}>Open the connection</a>
            </p>
          )}
        </div>
      </div>
    </article>
  )
}
