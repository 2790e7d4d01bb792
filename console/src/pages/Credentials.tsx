// Issuing: a form generated from a schema's attributes (AnonCreds) or from a JSON-LD credential
// type, addressed to a contact; the request records below move to complete live.
import { useState } from 'react'

import { api, type Reply, type Session } from '../api'
import { ContactSelect, SchemaSelect, useContacts } from '../pickers'
import { useWalletEvents } from '../events'
import { Field, FormError, hashParam, LoadError, StateBadge, Table, useLoad, useSubmit, when } from '../ui'

type AnonCredsRecord = Reply<'get', '/api/v1/credential-records'>[number]
type JsonLdRecord = Reply<'post', '/api/v1/credentials/json-ld'>[number]

const PROOF_TYPES = ['Ed25519Signature2020', 'Ed25519Signature2018'] as const

const EXAMPLES_CONTEXT = 'https://www.w3.org/2018/credentials/examples/v1'

/** JSON-LD credential types whose contexts Credence carries offline, and the fields of each. */
const JSON_LD_TYPES: Record<string, { context: string[]; fields: { path: string; label: string; example: string }[] }> = {
  UniversityDegreeCredential: {
    context: [EXAMPLES_CONTEXT],
    fields: [
      { path: 'degree.type', label: 'Degree type', example: 'BachelorDegree' },
      { path: 'degree.name', label: 'Degree name', example: 'Bachelor of Science' },
    ],
  },
  PermanentResidentCard: {
    context: ['https://w3id.org/citizenship/v1'],
    fields: [
      { path: 'givenName', label: 'Given name', example: 'Alice' },
      { path: 'familyName', label: 'Family name', example: 'Example' },
      { path: 'birthDate', label: 'Birth date', example: '1990-01-01' },
    ],
  },
}

/** `degree.type`, `degree.name` → one attribute `degree: {type, name}`. */
function jsonLdAttributes(values: Record<string, string>) {
  const subject: Record<string, string | Record<string, string>> = {}
  for (const [path, value] of Object.entries(values)) {
    if (value === '') continue
    const [head, ...rest] = path.split('.')
    const known = subject[head]
    if (rest.length === 0) subject[head] = value
    else subject[head] = { ...(typeof known === 'object' ? known : {}), [rest.join('.')]: value }
  }
  return Object.entries(subject).map(([name, value]) => ({ name, value }))
}

export function Credentials({ session }: { session: Session }) {
  const [tab, setTab] = useState<'anoncreds' | 'jsonld'>('anoncreds')
  const records = useLoad(() => api(session).GET('/api/v1/credential-records'))
  const [jsonLdRecords, setJsonLdRecords] = useState<Record<number, JsonLdRecord>>({})
  useWalletEvents(['issuance_request'], ({ payload }) => {
    // The topic carries both kinds: AnonCreds records are listed (reload), JSON-LD ones only shown
    // since issued here (update the row). The stream's payload is any topic's record, hence the cast.
    if (!(payload.proof_type || payload.context)) return records.reload()
    const record = payload as unknown as JsonLdRecord
    setJsonLdRecords((known) => (known[record.request_id] ? { ...known, [record.request_id]: record } : known))
  })
  const contacts = useContacts(session)
  const schemas = useLoad(() => api(session).GET('/api/v1/schemas'))
  const schemaNames = new Map((schemas.data?.results ?? []).map((schema) => [schema.schema_id, `${schema.name} ${schema.version}`]))
  return (
    <>
      <h1>Credentials</h1>
      <div role="tablist" className="tabs">
        <button role="tab" aria-selected={tab === 'anoncreds'} className={tab === 'anoncreds' ? '' : 'secondary outline'} onClick={() => setTab('anoncreds')}>
          AnonCreds
        </button>
        <button role="tab" aria-selected={tab === 'jsonld'} className={tab === 'jsonld' ? '' : 'secondary outline'} onClick={() => setTab('jsonld')}>
          JSON-LD
        </button>
      </div>
      {tab === 'anoncreds' ? (
        <AnonCredsIssueForm session={session} schemas={schemas} contacts={contacts.data ?? []} onIssued={records.reload} />
      ) : (
        <JsonLdIssueForm
          session={session}
          contacts={contacts.data ?? []}
          onIssued={(record) => setJsonLdRecords((known) => ({ ...known, [record.request_id]: record }))}
        />
      )}
      <section>
        <h2>Issuance requests</h2>
        <LoadError error={records.error} />
        <RecordTable rows={[...Object.values(jsonLdRecords), ...[...(records.data ?? [])].reverse()]} schemaNames={schemaNames} />
      </section>
    </>
  )
}

function RecordTable({ rows, schemaNames }: { rows: (AnonCredsRecord | JsonLdRecord)[]; schemaNames: Map<string, string> }) {
  return (
    <Table testId="issuance-records" headers={['#', 'Credential', 'Contact', 'State', 'Result', 'Updated']} rows={rows} empty="No issuance requests yet.">
      {rows.map((row) => (
        <tr key={`${'schema_id' in row ? 'a' : 'j'}${row.request_id}`} data-request={row.request_id} data-complete={row.complete}>
          <td>{row.request_id}</td>
          <td>{'schema_id' in row ? (schemaNames.get(row.schema_id) ?? row.schema_id) : row.type.join(', ')}</td>
          <td className="mono">{row.contact_id ?? row.invitation_id ?? '—'}</td>
          <td>
            <StateBadge state={row.state ?? 'waiting for a connection'} />
          </td>
          <td>
            {row.complete ? <StateBadge state={row.result_string} testId="record-result" /> : 'pending'}
            {row.error && <small className="block field-error">{row.error}</small>}
          </td>
          <td>{when(row.updated_at)}</td>
        </tr>
      ))}
    </Table>
  )
}

function AnonCredsIssueForm({
  session,
  schemas,
  contacts,
  onIssued,
}: {
  session: Session
  schemas: ReturnType<typeof useLoad<Reply<'get', '/api/v1/schemas'>>>
  contacts: { id: string; label: string }[]
  onIssued: () => void
}) {
  const [contact, setContact] = useState(hashParam('contact') ?? '')
  const [schemaId, setSchemaId] = useState('')
  const [values, setValues] = useState<Record<string, string>>({})
  const { busy, error, run } = useSubmit()
  const schema = (schemas.data?.results ?? []).find((item) => item.schema_id === schemaId)
  return (
    <form
      noValidate
      aria-label="Issue an AnonCreds credential"
      onSubmit={async (event) => {
        event.preventDefault()
        const attributes = (schema?.attributes ?? []).map((name) => ({ name, value: values[name] ?? '' }))
        const done = await run(() => api(session).POST('/api/v1/credentials', { body: { contact_id: contact || null, schema_id: schemaId, attributes } }))
        if (done) {
          setValues({})
          onIssued()
        }
      }}
    >
      <LoadError error={schemas.error} />
      <div className="grid">
        <ContactSelect contacts={contacts} value={contact} onChange={setContact} error={error} />
        <SchemaSelect
          schemas={schemas.data?.results}
          value={schemaId}
          onChange={(id) => (setSchemaId(id), setValues({}))}
          field="schema_id"
          error={error}
          testId="schema-select"
        />
      </div>
      {schema && (
        <fieldset className="attributes">
          <legend>Attributes of {schema.name}</legend>
          {schema.attributes.map((name, index) => (
            <Field key={name} label={name} name={`attributes.${index}`} error={error}>
              {(props) => <input {...props} name={name} value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />}
            </Field>
          ))}
        </fieldset>
      )}
      <FormError error={error} fields={['contact_id', 'invitation_id', 'schema_id', 'attributes']} />
      <button type="submit" aria-busy={busy} disabled={busy}>
        Issue credential
      </button>
    </form>
  )
}

function JsonLdIssueForm({
  session,
  contacts,
  onIssued,
}: {
  session: Session
  contacts: { id: string; label: string }[]
  onIssued: (record: JsonLdRecord) => void
}) {
  const dids = useLoad(() => api(session).GET('/api/v1/dids', { params: { query: { method: 'key' } } }))
  const [contact, setContact] = useState(hashParam('contact') ?? '')
  const [type, setType] = useState('UniversityDegreeCredential')
  const [did, setDid] = useState('')
  const [proofType, setProofType] = useState<(typeof PROOF_TYPES)[number]>('Ed25519Signature2020')
  const [values, setValues] = useState<Record<string, string>>({})
  const { busy, error, run } = useSubmit()
  const spec = JSON_LD_TYPES[type]
  const keyDids = (dids.data?.results ?? []).map((item) => item.did)
  return (
    <form
      noValidate
      aria-label="Issue a JSON-LD credential"
      onSubmit={async (event) => {
        event.preventDefault()
        const record = await run(async () => {
          const [created] = await api(session).POST('/api/v1/credentials/json-ld', {
            body: {
              contact_id: contact || null,
              context: spec.context,
              type: [type],
              attributes: jsonLdAttributes(values),
              did: did || keyDids[0] || '',
              proofType,
            },
          })
          return created
        })
        if (record) {
          setValues({})
          onIssued(record)
        }
      }}
    >
      <div className="grid">
        <ContactSelect contacts={contacts} value={contact} onChange={setContact} error={error} />
        <Field label="Credential type" name="type" error={error} alsoFor={['context']}>
          {(props) => (
            <select {...props} value={type} onChange={(e) => (setType(e.target.value), setValues({}))}>
              {Object.keys(JSON_LD_TYPES).map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="grid">
        <Field label="Sign with (did:key)" name="did" error={error} hint={keyDids.length === 0 ? 'No did:key yet: create one under Schemas.' : undefined}>
          {(props) => (
            <select {...props} value={did} onChange={(e) => setDid(e.target.value)}>
              {keyDids.length === 0 && <option value="">—</option>}
              {keyDids.map((item) => (
                <option key={item}>{item}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Proof type" name="proofType" error={error}>
          {(props) => (
            <select {...props} value={proofType} onChange={(e) => setProofType(PROOF_TYPES.find((item) => item === e.target.value) ?? PROOF_TYPES[0])}>
              {PROOF_TYPES.map((item) => (
                <option key={item}>{item}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="attributes">
        <legend>Subject of the {type}</legend>
        {spec.fields.map((field) => (
          <Field key={field.path} label={field.label} name={field.path} error={error}>
            {(props) => (
              <input
                {...props}
                placeholder={field.example}
                value={values[field.path] ?? ''}
                onChange={(e) => setValues({ ...values, [field.path]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </fieldset>
      <FormError error={error} fields={['contact_id', 'invitation_id', 'type', 'context', 'did', 'proofType', 'attributes']} />
      <button type="submit" aria-busy={busy} disabled={busy}>
        Issue JSON-LD credential
      </button>
    </form>
  )
}
