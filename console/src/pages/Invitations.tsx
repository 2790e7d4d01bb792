// Invitations with the rules the agent enforces (seed 003): mode, uses, an active window and the
// active/inactive switch; created, edited, paused and deleted here, with their uses counted live.
import { useState } from 'react'

import { api, type Reply, type RequestBody, type Session } from '../api'
import { useWalletEvents } from '../events'
import { Field, FormError, LoadError, StateBadge, Table, useLoad, useSubmit, when } from '../ui'

type InvitationRow = Reply<'get', '/api/v1/invitations'>['rows'][number]

/** datetime-local → ISO 8601 with the browser's offset (what the API takes); '' → null. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : null)
const localOf = (iso: string | null | undefined) => {
  if (!iso) return ''
  const date = new Date(iso)
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}

export function Invitations({ session }: { session: Session }) {
  const invitations = useLoad(() =>
    api(session).GET('/api/v1/invitations', { params: { query: { 'page-size': 200, 'sort-field': 'created_at', 'sort-direction': 'DESC' } } }),
  )
  useWalletEvents(['connections', 'out_of_band'], () => invitations.reload())
  const rows = invitations.data?.rows ?? []
  const [editing, setEditing] = useState<number>()
  const canWrite = !session.roles.every((role) => role === 'viewer')
  return (
    <>
      <h1>Invitations</h1>
      {canWrite && <CreateInvitation session={session} onCreated={invitations.reload} />}
      <section>
        <h2>All invitations</h2>
        <LoadError error={invitations.error} />
        <Table testId="invitations-table" headers={['Name', 'Mode', 'Status', 'Uses', 'Window', 'Contact', '']} rows={rows} empty="No invitations yet.">
          {rows.map((row) =>
            editing === row.invitation_id ? (
              <tr key={row.invitation_id}>
                <td colSpan={7}>
                  <EditInvitation session={session} row={row} onDone={() => (setEditing(undefined), invitations.reload())} />
                </td>
              </tr>
            ) : (
              <tr key={row.invitation_id} data-invitation={row.invitation_id}>
                <td>
                  {row.alias ?? '—'}
                  {row.description && <small className="block">{row.description}</small>}
                </td>
                <td>{row.invitation_mode}</td>
                <td>
                  <StateBadge state={row.state === 'deleted' ? 'deleted' : row.workflow_status} />
                </td>
                <td data-testid="uses">
                  {row.uses_total} / {row.uses_allowed ?? '∞'}
                </td>
                <td>
                  {when(row.active_starting_at)} → {row.active_ending_at ? when(row.active_ending_at) : 'no end'}
                </td>
                <td className="mono">{row.contact_id}</td>
                <td className="row-actions">
                  {canWrite && <RowActions session={session} row={row} onEdit={() => setEditing(row.invitation_id)} onChanged={invitations.reload} />}
                </td>
              </tr>
            ),
          )}
        </Table>
      </section>
    </>
  )
}

function RowActions({ session, row, onEdit, onChanged }: { session: Session; row: InvitationRow; onEdit: () => void; onChanged: () => void }) {
  const { busy, error, run } = useSubmit()
  const params = { path: { invitation_id: String(row.invitation_id) } }
  const active = row.workflow_status === 'active'
  return (
    <>
      <div className="button-row">
        <button type="button" className="secondary outline small" onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="secondary outline small"
          disabled={busy}
          onClick={async () =>
            (await run(() => api(session).PUT('/api/v1/invitations/{invitation_id}', { params, body: { workflow_status: active ? 'inactive' : 'active' } }))) &&
            onChanged()
          }
        >
          {active ? 'Deactivate' : 'Activate'}
        </button>
        <button
          type="button"
          className="secondary outline small"
          disabled={busy}
          onClick={async () =>
            window.confirm(`Delete invitation ${row.alias ?? row.invitation_id}?`) && (await run(() => api(session).DELETE('/api/v1/invitations/{invitation_id}', { params }))) &&
            onChanged()
          }
        >
          Delete
        </button>
      </div>
      <FormError error={error} fields={[]} />
    </>
  )
}

function CreateInvitation({ session, onCreated }: { session: Session; onCreated: () => void }) {
  const empty = { alias: '', mode: 'once', uses: '', status: 'active', start: '', end: '', description: '' }
  const [form, setForm] = useState(empty)
  const set = (key: keyof typeof empty) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value })
  const { busy, error, run } = useSubmit()
  return (
    <details open>
      <summary>New invitation with rules</summary>
      <form
        noValidate
        aria-label="New invitation"
        onSubmit={async (event) => {
          event.preventDefault()
          const body: RequestBody<'post', '/api/v1/invitations'> = {
            alias: form.alias || null,
            invitation_mode: form.mode,
            invitation_status: form.status,
            invitation_description: form.description || null,
            invitation_active_starting_at: isoOf(form.start),
            invitation_active_ending_at: isoOf(form.end),
          }
          if (form.mode === 'multi') body.uses_allowed = form.uses === '' ? null : Number(form.uses)
          if (await run(() => api(session).POST('/api/v1/invitations', { body }))) {
            setForm(empty)
            onCreated()
          }
        }}
      >
        <div className="grid">
          <Field label="Name" name="alias" error={error}>
            {(props) => <input {...props} value={form.alias} onChange={set('alias')} />}
          </Field>
          <Field label="Mode" name="invitation_mode" error={error}>
            {(props) => (
              <select {...props} value={form.mode} onChange={set('mode')}>
                <option value="once">once (one connection)</option>
                <option value="multi">multi (several connections)</option>
              </select>
            )}
          </Field>
          <Field label="Uses allowed" name="uses_allowed" error={error} hint={form.mode === 'once' ? 'once: exactly one' : 'empty: no limit'}>
            {(props) => <input {...props} type="number" min={1} disabled={form.mode === 'once'} value={form.uses} onChange={set('uses')} />}
          </Field>
          <Field label="Status" name="invitation_status" error={error}>
            {(props) => (
              <select {...props} value={form.status} onChange={set('status')}>
                <option value="active">active</option>
                <option value="inactive">inactive</option>
              </select>
            )}
          </Field>
        </div>
        <div className="grid">
          <Field label="Active from" name="invitation_active_starting_at" error={error} hint="empty: from now">
            {(props) => <input {...props} type="datetime-local" value={form.start} onChange={set('start')} />}
          </Field>
          <Field label="Active until" name="invitation_active_ending_at" error={error} hint="empty: no end">
            {(props) => <input {...props} type="datetime-local" value={form.end} onChange={set('end')} />}
          </Field>
        </div>
        <Field label="Description" name="invitation_description" error={error}>
          {(props) => <input {...props} value={form.description} onChange={set('description')} />}
        </Field>
        <FormError
          error={error}
          fields={[
            'alias',
            'invitation_mode',
            'uses_allowed',
            'invitation_status',
            'invitation_active_starting_at',
            'invitation_active_ending_at',
            'invitation_description',
          ]}
        />
        <button type="submit" aria-busy={busy} disabled={busy}>
          Create invitation
        </button>
      </form>
    </details>
  )
}

function EditInvitation({ session, row, onDone }: { session: Session; row: InvitationRow; onDone: () => void }) {
  const [form, setForm] = useState({
    uses: row.uses_allowed === null ? '' : String(row.uses_allowed),
    start: localOf(row.active_starting_at),
    end: localOf(row.active_ending_at),
    description: row.description ?? '',
  })
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value })
  const { busy, error, run } = useSubmit()
  return (
    <form
      noValidate
      aria-label={`Edit invitation ${row.alias ?? row.invitation_id}`}
      onSubmit={async (event) => {
        event.preventDefault()
        const body: RequestBody<'put', '/api/v1/invitations/{invitation_id}'> = { description: form.description, active_ending_at: isoOf(form.end) }
        if (form.start) body.active_starting_at = new Date(form.start).toISOString()
        if (row.invitation_mode !== 'once') body.uses_allowed = form.uses === '' ? null : Number(form.uses)
        const params = { path: { invitation_id: String(row.invitation_id) } }
        if (await run(() => api(session).PUT('/api/v1/invitations/{invitation_id}', { params, body }))) onDone()
      }}
    >
      <div className="grid">
        <Field label="Uses allowed" name="uses_allowed" error={error}>
          {(props) => <input {...props} type="number" min={1} disabled={row.invitation_mode === 'once'} value={form.uses} onChange={set('uses')} />}
        </Field>
        <Field label="Active from" name="active_starting_at" error={error}>
          {(props) => <input {...props} type="datetime-local" value={form.start} onChange={set('start')} />}
        </Field>
        <Field label="Active until" name="active_ending_at" error={error}>
          {(props) => <input {...props} type="datetime-local" value={form.end} onChange={set('end')} />}
        </Field>
        <Field label="Description" name="description" error={error}>
          {(props) => <input {...props} value={form.description} onChange={set('description')} />}
        </Field>
      </div>
      <FormError error={error} fields={['uses_allowed', 'active_starting_at', 'active_ending_at', 'description']} />
      <div className="button-row">
        <button type="submit" aria-busy={busy} disabled={busy}>
          Save
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
