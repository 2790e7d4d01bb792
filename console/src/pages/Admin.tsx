// Operators' page. With the admin key: every wallet (create one, or pick one to act in), and the
// picked wallet's webhook targets with their delivery log and a redeliver button. With the admin
// key or a wallet key holding admin rights: the wallet's API keys (a new key is shown once).
import { useState } from 'react'

import { api, type Session } from '../api'
import { CopyField, Empty, Field, FormError, LoadError, StateBadge, Table, useLoad, useSubmit, when } from '../ui'

const ROLES = ['super-admin', 'admin', 'technician', 'viewer']
const DELIVERY_STATES = ['pending', 'failed', 'delivered'] as const

export function Admin({ session, onSession }: { session: Session; onSession: (session: Session) => void }) {
  return (
    <>
      <h1>Admin</h1>
      {session.admin && <Wallets session={session} onPick={(walletId, label) => onSession({ ...session, walletId, walletLabel: label })} />}
      {session.walletId ? (
        <>
          <ApiKeys session={session} walletId={session.walletId} />
          {session.admin && <Webhooks session={session} walletId={session.walletId} />}
        </>
      ) : (
        <Empty>Pick a wallet to act in, see its API keys and its webhooks.</Empty>
      )}
    </>
  )
}

function Wallets({ session, onPick }: { session: Session; onPick: (walletId: string, label: string) => void }) {
  const wallets = useLoad(() => api(session).GET('/multitenancy/wallets', { params: { query: { limit: 1000 } } }))
  const [form, setForm] = useState({ wallet_name: '', label: '' })
  const { busy, error, run } = useSubmit()
  const rows = wallets.data?.results ?? []
  return (
    <section>
      <h2>Wallets</h2>
      <form
        noValidate
        className="inline-form"
        aria-label="New wallet"
        onSubmit={async (event) => {
          event.preventDefault()
          const created = await run(() => api(session).POST('/multitenancy/wallet', { body: { wallet_name: form.wallet_name, label: form.label || undefined } }))
          if (created) {
            setForm({ wallet_name: '', label: '' })
            wallets.reload()
          }
        }}
      >
        <Field label="Wallet name" name="wallet_name" error={error}>
          {(props) => <input {...props} value={form.wallet_name} onChange={(e) => setForm({ ...form, wallet_name: e.target.value })} />}
        </Field>
        <Field label="Label" name="label" error={error}>
          {(props) => <input {...props} value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} />}
        </Field>
        <button type="submit" aria-busy={busy} disabled={busy}>
          Create wallet
        </button>
        <FormError error={error} fields={['wallet_name', 'label']} />
      </form>
      <LoadError error={wallets.error} />
      <Table testId="wallets-table" headers={['Name', 'Label', 'Wallet id', 'Created', '']} rows={rows} empty="No wallets yet.">
        {rows.map((wallet) => (
          <tr key={wallet.wallet_id} aria-current={wallet.wallet_id === session.walletId ? 'true' : undefined}>
            <td>{wallet.settings?.['wallet.name'] ?? '—'}</td>
            <td>{wallet.settings?.default_label ?? '—'}</td>
            <td className="mono">{wallet.wallet_id}</td>
            <td>{when(wallet.created_at)}</td>
            <td>
              {wallet.wallet_id === session.walletId ? (
                <strong>acting in it</strong>
              ) : (
                <button
                  type="button"
                  className="small"
                  onClick={() => onPick(wallet.wallet_id, wallet.settings?.default_label ?? wallet.settings?.['wallet.name'] ?? wallet.wallet_id)}
                >
                  Act in this wallet
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </section>
  )
}

function ApiKeys({ session, walletId }: { session: Session; walletId: string }) {
  const keys = useLoad(() => api(session).GET('/api/apikeys', { params: { query: { wallet_id: walletId } } }), [walletId])
  const [form, setForm] = useState({ name: '', roles: ['technician'], expires: '' })
  const [shown, setShown] = useState<{ name: string; key: string }>()
  const create = useSubmit()
  const revoke = useSubmit()
  const grantable = session.admin || session.roles.includes('super-admin') ? ROLES : ROLES.filter((role) => role !== 'super-admin')
  return (
    <section>
      <h2>API keys</h2>
      <form
        noValidate
        aria-label="New API key"
        onSubmit={async (event) => {
          event.preventDefault()
          const created = await create.run(() =>
            api(session).POST('/api/apikey/create', {
              body: {
                wallet_id: walletId,
                name: form.name,
                roles: form.roles,
                ...(form.expires ? { expires_at: new Date(form.expires).toISOString() } : {}),
              },
            }),
          )
          if (created) {
            setShown({ name: created.name, key: created.api_key })
            setForm({ name: '', roles: ['technician'], expires: '' })
            keys.reload()
          }
        }}
      >
        <div className="grid">
          <Field label="Key name" name="name" error={create.error}>
            {(props) => <input {...props} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label="Expires (optional)" name="expires_at" error={create.error}>
            {(props) => <input {...props} type="datetime-local" value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />}
          </Field>
        </div>
        <fieldset>
          <legend>Roles</legend>
          {grantable.map((role) => (
            <label key={role} className="checkbox">
              <input
                type="checkbox"
                name={`role-${role}`}
                checked={form.roles.includes(role)}
                onChange={(e) => setForm({ ...form, roles: e.target.checked ? [...form.roles, role] : form.roles.filter((item) => item !== role) })}
              />
              {role}
            </label>
          ))}
        </fieldset>
        <FormError error={create.error} fields={['name', 'expires_at']} />
        <button type="submit" aria-busy={create.busy} disabled={create.busy}>
          Create API key
        </button>
      </form>
      {shown && (
        <article className="secret" data-testid="new-api-key" role="alert">
          <p>
            The key <strong>{shown.name}</strong> is shown this once; Credence keeps only its HMAC. Copy it now.
          </p>
          <CopyField label="API key" value={shown.key} testId="new-api-key-value" />
          <button type="button" className="secondary outline small" onClick={() => setShown(undefined)}>
            I have stored it
          </button>
        </article>
      )}
      <LoadError error={keys.error} />
      <FormError error={revoke.error} fields={[]} />
      <Table
        testId="api-keys-table"
        headers={['Name', 'Roles', 'Status', 'Expires', 'Created', '']}
        rows={keys.data?.results ?? []}
        empty="No API keys for this wallet."
      >
        {(keys.data?.results ?? []).map((key) => (
          <tr key={key.key_id} data-key={key.name}>
            <td>{key.name}</td>
            <td>{key.roles.join(', ')}</td>
            <td>
              <StateBadge state={key.status} />
            </td>
            <td>{key.expires_at ? when(key.expires_at) : 'never'}</td>
            <td>{when(key.created_at)}</td>
            <td>
              {key.status === 'active' && (
                <button
                  type="button"
                  className="secondary outline small"
                  disabled={revoke.busy}
                  onClick={async () =>
                    window.confirm(`Revoke the key ${key.name}? Requests with it are refused from the next one on.`) &&
                    (await revoke.run(() => api(session).POST('/api/apikey/revoke', { body: { wallet_id: walletId, key_id: key.key_id } }))) &&
                    keys.reload()
                  }
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </section>
  )
}

function Webhooks({ session, walletId }: { session: Session; walletId: string }) {
  const wallet = useLoad(() => api(session).GET('/multitenancy/wallet/{wallet_id}', { params: { path: { wallet_id: walletId } } }), [walletId])
  const base = useLoad(() => api(session).GET('/webhooks/base-targets'))
  const [state, setState] = useState<(typeof DELIVERY_STATES)[number]>()
  const deliveries = useLoad(
    () => api(session).GET('/webhooks/deliveries', { params: { query: { wallet_id: walletId, limit: 100, state } } }),
    [walletId, state],
  )
  const [urls, setUrls] = useState<string>()
  const save = useSubmit()
  const redeliver = useSubmit()
  const current: string[] = wallet.data?.settings?.['wallet.webhook_urls'] ?? []
  const dispatch: string = wallet.data?.settings?.['wallet.dispatch_type'] ?? 'base'
  return (
    <section>
      <h2>Webhooks</h2>
      <LoadError error={wallet.error} />
      <form
        noValidate
        aria-label="Webhook targets"
        onSubmit={async (event) => {
          event.preventDefault()
          const list = (urls ?? current.join('\n'))
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean)
          const done = await save.run(() =>
            api(session).PUT('/multitenancy/wallet/{wallet_id}', {
              params: { path: { wallet_id: walletId } },
              body: { wallet_webhook_urls: list, wallet_dispatch_type: list.length > 0 ? 'both' : 'base' },
            }),
          )
          if (done) {
            setUrls(undefined)
            wallet.reload()
          }
        }}
      >
        <Field label="The wallet's webhook URLs (one a line; url#api-key sends that key; a key already set shows as *** and is kept while *** stays)" name="wallet_webhook_urls" error={save.error}>
          {(props) => <textarea {...props} rows={3} value={urls ?? current.join('\n')} onChange={(e) => setUrls(e.target.value)} />}
        </Field>
        <p>
          <small>
            Dispatch: <strong>{dispatch}</strong>. Base targets (the server's):{' '}
            {(base.data?.results ?? []).map((target) => target.url).join(', ') || 'none'}
          </small>
        </p>
        <FormError error={save.error} fields={['wallet_webhook_urls']} />
        <button type="submit" aria-busy={save.busy} disabled={save.busy}>
          Save targets
        </button>
      </form>
      <h3>Delivery log</h3>
      <div className="button-row">
        <select aria-label="Show deliveries" value={state ?? ''} onChange={(e) => setState(DELIVERY_STATES.find((item) => item === e.target.value))}>
          <option value="">all</option>
          {DELIVERY_STATES.map((item) => (
            <option key={item} value={item}>
              {item}
            </option>
          ))}
        </select>
        <button type="button" className="secondary outline small" onClick={deliveries.reload}>
          Refresh
        </button>
      </div>
      <LoadError error={deliveries.error} />
      <FormError error={redeliver.error} fields={[]} />
      <Table
        testId="deliveries-table"
        headers={['#', 'Topic', 'Target', 'State', 'Attempts', 'Time', '']}
        rows={deliveries.data?.results ?? []}
        empty="No deliveries."
      >
        {(deliveries.data?.results ?? []).map((item) => (
          <tr key={item.delivery_id} data-delivery={item.delivery_id}>
            <td>{item.delivery_id}</td>
            <td>{item.topic}</td>
            <td className="mono">{item.target_url}</td>
            <td>
              <StateBadge state={item.state} />
              {item.last_error && item.state !== 'delivered' && <small className="block field-error">{item.last_error}</small>}
            </td>
            <td>{item.attempts}</td>
            <td>{when(item.delivered_at ?? item.created_at)}</td>
            <td>
              <button
                type="button"
                className="secondary outline small"
                disabled={redeliver.busy}
                onClick={async () =>
                  (await redeliver.run(() => api(session).POST('/webhooks/deliveries/{delivery_id}/redeliver', { params: { path: { delivery_id: String(item.delivery_id) } } }))) &&
                  deliveries.reload()
                }
              >
                Redeliver
              </button>
            </td>
          </tr>
        ))}
      </Table>
    </section>
  )
}
