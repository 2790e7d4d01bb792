// One connection: who it is with, a chat of basic messages both ways (live), and the credential
// and presentation exchanges that ran on it.
import { useEffect, useRef, useState } from 'react'

import { api, type Session } from '../api'
import { useWalletEvents } from '../events'
import { Empty, Field, FormError, LoadError, StateBadge, useLoad, useSubmit, when } from '../ui'

export function ConnectionDetail({ session, connectionId }: { session: Session; connectionId: string }) {
  const connection = useLoad(
    () => api(session).GET('/api/v1/connections/{connection_id}', { params: { path: { connection_id: connectionId } } }),
    [connectionId],
  )
  const exchanges = useLoad(async () => {
    const [credentials, presentations, schemas] = await Promise.all([
      api(session).GET('/api/v1/credentials'),
      api(session).GET('/api/v1/presentations'),
      api(session).GET('/api/v1/schemas'),
    ])
    return {
      schemaNames: new Map(schemas.results.map((schema) => [schema.schema_id, `${schema.name} ${schema.version}`])),
      credentials: credentials.filter((row) => row.connection_id === connectionId),
      presentations: presentations.filter((row) => row.connection_id === connectionId),
    }
  }, [connectionId])
  useWalletEvents(['connections'], ({ payload }) => payload.connection_id === connectionId && connection.reload())
  useWalletEvents(['issue_credential_v2_0', 'present_proof_v2_0'], ({ payload }) => payload.connection_id === connectionId && exchanges.reload())

  const row = connection.data
  const contact = row?.contact_id ?? undefined
  return (
    <>
      <p>
        <a href="#/connections">← Connections</a>
      </p>
      <LoadError error={connection.error} />
      {row && (
        <article>
          <header className="card-header">
            <h1 className="inline">{row.alias ?? row.their_label ?? 'Connection'}</h1>
            <StateBadge state={row.state} testId="connection-state" />
          </header>
          <dl className="facts">
            <dt>Their label</dt>
            <dd>{row.their_label ?? '—'}</dd>
            <dt>Connection id</dt>
            <dd className="mono">{row.connection_id}</dd>
            <dt>Contact</dt>
            <dd className="mono">{contact ?? '— (not made through a controller invitation)'}</dd>
            <dt>Their DID</dt>
            <dd className="mono" title={row.their_did ?? undefined}>
              {row.their_did ? (row.their_did.length > 64 ? `${row.their_did.slice(0, 64)}…` : row.their_did) : '—'}
            </dd>
            <dt>Created</dt>
            <dd>{when(row.created_at)}</dd>
          </dl>
          {contact && (
            <div className="actions">
              <a role="button" href={`#/credentials?contact=${encodeURIComponent(contact)}`}>
                Issue a credential
              </a>
              <a role="button" className="secondary" href={`#/verifications?contact=${encodeURIComponent(contact)}`}>
                Request a proof
              </a>
            </div>
          )}
        </article>
      )}
      <div className="grid two">
        <Chat session={session} connectionId={connectionId} ready={row?.state === 'active'} />
        <section>
          <h2>Exchanges</h2>
          <LoadError error={exchanges.error} />
          {exchanges.data && exchanges.data.credentials.length + exchanges.data.presentations.length === 0 && (
            <Empty>No credential or proof exchanged yet.</Empty>
          )}
          <ul className="exchanges" data-testid="exchanges">
            {exchanges.data?.credentials.map((exchange) => (
              <li key={exchange.credential_exchange_id}>
                Credential {exchange.schema_id ? (exchanges.data!.schemaNames.get(exchange.schema_id) ?? 'of another issuer') : ''}{' '}
                <StateBadge state={exchange.state} />
                {exchange.revoked === true && <StateBadge state="revoked" />}
                {exchange.revoked === false && <RevokeButton session={session} exchangeId={exchange.credential_exchange_id} onRevoked={exchanges.reload} />}
                <small className="block">{when(exchange.updated_at)}</small>
              </li>
            ))}
            {exchanges.data?.presentations.map((exchange) => (
              <li key={exchange.presentation_exchange_id}>
                {exchange.role === 'verifier' ? 'Proof asked' : 'Proof given'} <StateBadge state={exchange.state} />
                {exchange.role === 'verifier' && exchange.state === 'done' && <StateBadge state={exchange.verified ? 'verified' : 'Not Verified'} />}
                <small className="block">{when(exchange.updated_at)}</small>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  )
}

/** Revokes an issued credential: published at once, the holder told (POST /api/v1/credentials/{id}/revoke). */
function RevokeButton({ session, exchangeId, onRevoked }: { session: Session; exchangeId: string; onRevoked: () => void }) {
  const { busy, error, run } = useSubmit()
  return (
    <>
      <button
        type="button"
        className="secondary outline small"
        aria-busy={busy}
        disabled={busy}
        onClick={async () => {
          if (!window.confirm('Revoke this credential? Its holder can no longer prove with it.')) return
          const done = await run(() =>
            api(session).POST('/api/v1/credentials/{credential_exchange_id}/revoke', { params: { path: { credential_exchange_id: exchangeId } }, body: {} }),
          )
          if (done) onRevoked()
        }}
      >
        Revoke
      </button>
      <FormError error={error} fields={[]} />
    </>
  )
}

function Chat({ session, connectionId, ready }: { session: Session; connectionId: string; ready: boolean }) {
  const messages = useLoad(() => api(session).GET('/api/v1/messages', { params: { query: { connection_id: connectionId } } }), [connectionId])
  const [text, setText] = useState('')
  const { busy, error, run } = useSubmit()
  const end = useRef<HTMLLIElement>(null)
  useWalletEvents(['basicmessages'], ({ payload }) => payload.connection_id === connectionId && messages.reload())
  // Braces matter: newer browsers' scrollIntoView returns a promise, which an effect must not return.
  useEffect(() => {
    void end.current?.scrollIntoView?.({ block: 'nearest' })
  }, [messages.data?.length])
  return (
    <section aria-label="Messages">
      <h2>Messages</h2>
      <LoadError error={messages.error} />
      <ol className="chat" data-testid="chat">
        {(messages.data ?? []).map((message) => (
          <li key={message.id} className={message.state === 'received' ? 'theirs' : 'mine'} data-state={message.state}>
            <span className="bubble">{message.message}</span>
            <small>
              {message.state === 'received' ? 'received' : message.state} · {when(message.sent_time ?? message.created_at)}
            </small>
          </li>
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
      {(messages.data ?? []).length === 0 && <Empty>No messages yet.</Empty>}
      <form
        noValidate
        className="inline-form"
        onSubmit={async (event) => {
          event.preventDefault()
          const sent = await run(() => api(session).POST('/api/v1/messages', { body: { connection_id: connectionId, message: text } }))
          if (sent) {
            setText('')
            messages.reload()
          }
        }}
      >
        <Field label="Message" name="message" error={error} alsoFor={['connection_id']}>
          {(props) => (
            <input
              {...props}
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder={ready ? 'Write a message' : 'The connection is not active yet'}
            />
          )}
        </Field>
        <button type="submit" aria-busy={busy} disabled={busy}>
          Send
        </button>
        <FormError error={error} fields={['message', 'connection_id']} />
      </form>
    </section>
  )
}
