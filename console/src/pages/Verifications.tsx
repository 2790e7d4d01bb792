// Asking for a proof: pick a schema, tick the attributes to reveal and add predicates (level >= 2)
// to prove without revealing; the verification records below show the outcome live.
import { useState } from 'react'

import { api, type Session } from '../api'
import { ContactSelect, SchemaSelect, useContacts } from '../pickers'
import { useWalletEvents } from '../events'
import { Field, FormError, hashParam, LoadError, StateBadge, Table, useLoad, useSubmit, when } from '../ui'

interface Predicate {
  name: string
  p_type: string
  p_value: string
}

/** A record's predicates are AnonCreds' requested_predicates, which the document leaves open. */
const isShownPredicate = (value: unknown): value is { name: string; p_type: string; p_value: number } =>
  typeof value === 'object' && value !== null && 'name' in value && 'p_type' in value && 'p_value' in value

export function Verifications({ session }: { session: Session }) {
  const records = useLoad(() => api(session).GET('/api/v1/verifications'))
  useWalletEvents(['verification_request'], () => records.reload())
  const contacts = useContacts(session)
  const rows = [...(records.data ?? [])].reverse()
  return (
    <>
      <h1>Verifications</h1>
      <ProofRequestForm session={session} contacts={contacts.data ?? []} onRequested={records.reload} />
      <section>
        <h2>Verification requests</h2>
        <LoadError error={records.error} />
        <Table
          testId="verification-records"
          headers={['#', 'Asked for', 'Contact', 'State', 'Result', 'Updated']}
          rows={rows}
          empty="No verification requests yet."
        >
          {rows.map((row) => (
            <tr key={row.verification_id} data-request={row.verification_id} data-complete={row.complete}>
              <td>{row.verification_id}</td>
              <td>
                {Object.keys(row.schema_attributes ?? {}).join(', ')}
                {Object.values(row.predicates ?? {})
                  .filter(isShownPredicate)
                  .map((p) => (
                    <span key={p.name + p.p_type} className="block">
                      {p.name} {p.p_type} {p.p_value}
                    </span>
                  ))}
              </td>
              <td className="mono">{row.contact_id ?? row.invitation_id ?? '—'}</td>
              <td>
                <StateBadge state={row.state ?? 'waiting for a connection'} />
              </td>
              <td>
                {row.complete ? <StateBadge state={row.result_string} testId="record-result" /> : 'pending'}
                {(row.result_data ?? []).map((item) => (
                  <small key={item.name} className="block">
                    {item.name}: <strong>{String(item.value)}</strong>
                  </small>
                ))}
                {row.error && <small className="block field-error">{row.error}</small>}
              </td>
              <td>{when(row.updated_at)}</td>
            </tr>
          ))}
        </Table>
      </section>
    </>
  )
}

function ProofRequestForm({ session, contacts, onRequested }: { session: Session; contacts: { id: string; label: string }[]; onRequested: () => void }) {
  const schemas = useLoad(() => api(session).GET('/api/v1/schemas'))
  const [contact, setContact] = useState(hashParam('contact') ?? '')
  const [schemaId, setSchemaId] = useState('')
  const [revealed, setRevealed] = useState<string[]>([])
  const [predicates, setPredicates] = useState<Predicate[]>([])
  const { busy, error, run } = useSubmit()
  const schema = (schemas.data?.results ?? []).find((item) => item.schema_id === schemaId)
  const setPredicate = (index: number, change: Partial<Predicate>) => setPredicates(predicates.map((p, i) => (i === index ? { ...p, ...change } : p)))
  return (
    <form
      noValidate
      aria-label="Request a proof"
      onSubmit={async (event) => {
        event.preventDefault()
        const entry: Record<string, unknown> = { schema_id: schemaId || undefined, schema_attributes: revealed }
        if (predicates.length > 0)
          entry.predicates = predicates.map((p) => ({ name: p.name, p_type: p.p_type, p_value: p.p_value === '' ? null : Number(p.p_value) }))
        const done = await run(() => api(session).POST('/api/v1/verifications', { body: { contact_id: contact || null, schemas: [entry] } }))
        if (done) {
          setRevealed([])
          setPredicates([])
          onRequested()
        }
      }}
    >
      <LoadError error={schemas.error} />
      <div className="grid">
        <ContactSelect contacts={contacts} value={contact} onChange={setContact} error={error} />
        <SchemaSelect
          schemas={schemas.data?.results}
          value={schemaId}
          onChange={(id) => (setSchemaId(id), setRevealed([]), setPredicates([]))}
          field="schemas.0.schema_id"
          error={error}
          testId="proof-schema-select"
        />
      </div>
      {schema && (
        <>
          <fieldset>
            <legend>Attributes to reveal</legend>
            {schema.attributes.map((name) => (
              <label key={name} className="checkbox">
                <input
                  type="checkbox"
                  name={`reveal-${name}`}
                  checked={revealed.includes(name)}
                  onChange={(e) => setRevealed(e.target.checked ? [...revealed, name] : revealed.filter((item) => item !== name))}
                />
                {name}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Predicates (proved without revealing the value)</legend>
            {predicates.map((predicate, index) => (
              <div className="grid predicate" key={index}>
                <select aria-label="Predicate attribute" value={predicate.name} onChange={(e) => setPredicate(index, { name: e.target.value })}>
                  {schema.attributes.map((name) => (
                    <option key={name}>{name}</option>
                  ))}
                </select>
                <select aria-label="Predicate comparison" value={predicate.p_type} onChange={(e) => setPredicate(index, { p_type: e.target.value })}>
                  {['>=', '>', '<=', '<'].map((op) => (
                    <option key={op}>{op}</option>
                  ))}
                </select>
                <Field label="Value" name={`schemas.0.predicates.${index}.p_value`} error={error}>
                  {(props) => <input {...props} type="number" value={predicate.p_value} onChange={(e) => setPredicate(index, { p_value: e.target.value })} />}
                </Field>
                <button type="button" className="secondary outline small" onClick={() => setPredicates(predicates.filter((_, i) => i !== index))}>
                  Remove
                </button>
              </div>
            ))}
            <button
              type="button"
              className="secondary outline small"
              onClick={() => setPredicates([...predicates, { name: schema.attributes[0], p_type: '>=', p_value: '' }])}
            >
              Add a predicate
            </button>
          </fieldset>
        </>
      )}
      <FormError error={error} fields={['contact_id', 'invitation_id', 'schemas.0.schema_id', 'schemas.0.predicates']} />
      <button type="submit" aria-busy={busy} disabled={busy}>
        Request proof
      </button>
    </form>
  )
}
