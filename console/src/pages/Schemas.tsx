// The wallet's issuing identity and AnonCreds objects: its public DID (a did:web hosted here needs
// no ledger), schemas and credential definitions, created on that DID's registry and listed.
import { useState } from 'react'

import { api, type Session } from '../api'
import type { SchemaRow } from '../pickers'
import { Empty, Field, FormError, LoadError, useLoad, useSubmit } from '../ui'

export function Schemas({ session }: { session: Session }) {
  const dids = useLoad(() => api(session).GET('/api/v1/dids'))
  const schemas = useLoad(() => api(session).GET('/api/v1/schemas'))
  const definitions = useLoad(() => api(session).GET('/api/v1/credential-definitions'))
  const all = (dids.data?.results ?? []).filter((item) => item.method !== 'peer')
  const publicDid = all.find((item) => item.posture === 'public')?.did
  return (
    <>
      <h1>Schemas and credential definitions</h1>
      <IssuerDids
        session={session}
        publicDid={publicDid}
        keyDids={all.filter((item) => item.method === 'key').map((item) => item.did)}
        onChanged={dids.reload}
        error={dids.error}
      />
      <div className="grid two">
        <section>
          <h2>Schemas</h2>
          <CreateSchema session={session} onCreated={schemas.reload} />
          <LoadError error={schemas.error} />
          {(schemas.data?.results ?? []).length === 0 ? (
            <Empty>No schema yet.</Empty>
          ) : (
            <ul className="objects" data-testid="schemas-list">
              {(schemas.data?.results ?? []).map((schema) => (
                <li key={schema.schema_id}>
                  <strong>
                    {schema.name} {schema.version}
                  </strong>
                  <small className="block">{schema.attributes.join(', ')}</small>
                  <small className="block mono">{schema.schema_id}</small>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h2>Credential definitions</h2>
          <CreateDefinition session={session} schemas={schemas.data?.results ?? []} onCreated={definitions.reload} />
          <LoadError error={definitions.error} />
          {(definitions.data?.results ?? []).length === 0 ? (
            <Empty>No credential definition yet. Issuing makes one on first use.</Empty>
          ) : (
            <ul className="objects" data-testid="definitions-list">
              {(definitions.data?.results ?? []).map((definition) => (
                <li key={definition.credential_definition_id}>
                  <strong>{definition.tag}</strong> of{' '}
                  {(schemas.data?.results ?? []).find((s) => s.schema_id === definition.schema_id)?.name ?? definition.schema_id}
                  <small className="block mono">{definition.credential_definition_id}</small>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  )
}

function IssuerDids({
  session,
  publicDid,
  keyDids,
  onChanged,
  error,
}: {
  session: Session
  publicDid?: string
  keyDids: string[]
  onChanged: () => void
  error?: string
}) {
  const submit = useSubmit()
  return (
    <article>
      <LoadError error={error} />
      <p>
        Public DID (schemas and credential definitions are published under it):{' '}
        <strong className="mono" data-testid="public-did">
          {publicDid ?? 'none yet'}
        </strong>
      </p>
      <p>
        did:key for JSON-LD credentials: <span className="mono">{keyDids[0] ?? 'none yet'}</span>
      </p>
      <div className="button-row">
        {!publicDid && (
          <button
            type="button"
            aria-busy={submit.busy}
            disabled={submit.busy}
            onClick={async () => {
              const done = await submit.run(async () => {
                const created = await api(session).POST('/api/v1/create-did', { body: { method: 'web' } })
                await api(session).POST('/api/v1/set-public-did', { params: { query: { DID: created.did } } })
                return true
              })
              if (done) onChanged()
            }}
          >
            Create a did:web hosted here and make it public
          </button>
        )}
        {keyDids.length === 0 && (
          <button
            type="button"
            className="secondary"
            disabled={submit.busy}
            onClick={async () => (await submit.run(() => api(session).POST('/api/v1/create-did', { body: { method: 'key' } }))) && onChanged()}
          >
            Create a did:key
          </button>
        )}
      </div>
      <FormError error={submit.error} fields={[]} />
    </article>
  )
}

function CreateSchema({ session, onCreated }: { session: Session; onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', version: '1.0', attributes: '' })
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value })
  const { busy, error, run } = useSubmit()
  return (
    <form
      noValidate
      aria-label="New schema"
      onSubmit={async (event) => {
        event.preventDefault()
        const attributes = form.attributes
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
        if (await run(() => api(session).POST('/api/v1/schemas', { body: { name: form.name, version: form.version, attributes } }))) {
          setForm({ name: '', version: '1.0', attributes: '' })
          onCreated()
        }
      }}
    >
      <div className="grid">
        <Field label="Name" name="name" error={error}>
          {(props) => <input {...props} value={form.name} onChange={set('name')} />}
        </Field>
        <Field label="Version" name="version" error={error}>
          {(props) => <input {...props} value={form.version} onChange={set('version')} />}
        </Field>
      </div>
      <Field label="Attributes (comma separated)" name="attributes" error={error}>
        {(props) => <input {...props} value={form.attributes} onChange={set('attributes')} placeholder="name, level" />}
      </Field>
      <FormError error={error} fields={['name', 'version', 'attributes']} />
      <button type="submit" aria-busy={busy} disabled={busy}>
        Create schema
      </button>
    </form>
  )
}

function CreateDefinition({ session, schemas, onCreated }: { session: Session; schemas: SchemaRow[]; onCreated: () => void }) {
  const [schemaId, setSchemaId] = useState('')
  const [tag, setTag] = useState('default')
  const [revocable, setRevocable] = useState(false)
  const { busy, error, run } = useSubmit()
  return (
    <form
      noValidate
      aria-label="New credential definition"
      onSubmit={async (event) => {
        event.preventDefault()
        const body = { schema_id: schemaId, tag, support_revocation: revocable }
        if (await run(() => api(session).POST('/api/v1/credential-definitions', { body }))) onCreated()
      }}
    >
      <div className="grid">
        <Field label="Schema" name="schema_id" error={error}>
          {(props) => (
            <select {...props} value={schemaId} onChange={(e) => setSchemaId(e.target.value)}>
              <option value="">Choose a schema…</option>
              {schemas.map((schema) => (
                <option key={schema.schema_id} value={schema.schema_id}>
                  {schema.name} {schema.version}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Tag" name="tag" error={error}>
          {(props) => <input {...props} value={tag} onChange={(e) => setTag(e.target.value)} />}
        </Field>
      </div>
      <label>
        <input type="checkbox" role="switch" checked={revocable} onChange={(e) => setRevocable(e.target.checked)} />
        Revocable (credentials issued under it can be revoked later)
      </label>
      <FormError error={error} fields={['schema_id', 'tag', 'support_revocation', 'revocation_registry_size']} />
      <button type="submit" aria-busy={busy} disabled={busy}>
        Create credential definition
      </button>
    </form>
  )
}
