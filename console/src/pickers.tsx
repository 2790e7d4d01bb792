// The two choices every issuance and proof form starts with: to whom — a contact of the wallet
// (each controller invitation makes one), as the request records address them — and which schema.
import { api, type ApiError, type Reply, type Session } from './api'
import { Field, useLoad } from './ui'

export function useContacts(session: Session) {
  return useLoad(async () => {
    const [contacts, connections] = await Promise.all([
      api(session).GET('/api/v1/contacts', { params: { query: { 'page-size': 500 } } }),
      api(session).GET('/api/v1/connections', { params: { query: { 'page-size': 500 } } }),
    ])
    // A contact is shown by the name of its newest connection, when it has one.
    const labelOf = new Map<string, string>()
    for (const row of connections.rows) if (row.contact_id) labelOf.set(row.contact_id, row.alias ?? row.their_label ?? row.contact_id)
    return contacts.rows.map((row) => ({ id: row.contact_id, label: labelOf.get(row.contact_id) ?? row.contact_id }))
  })
}

export function ContactSelect({
  contacts,
  value,
  onChange,
  error,
}: {
  contacts: { id: string; label: string }[]
  value: string
  onChange: (id: string) => void
  error?: ApiError
}) {
  return (
    <Field label="Contact" name="contact_id" error={error} alsoFor={['invitation_id']} hint="The request waits until the contact has an active connection.">
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value)} data-testid="contact-select">
          <option value="">Choose a contact…</option>
          {contacts.map((contact) => (
            <option key={contact.id} value={contact.id}>
              {contact.label === contact.id ? contact.id : `${contact.label} (${contact.id.slice(0, 8)})`}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

export type SchemaRow = Reply<'get', '/api/v1/schemas'>['results'][number]

export function SchemaSelect({
  schemas,
  value,
  onChange,
  field,
  error,
  testId,
}: {
  schemas: SchemaRow[] | undefined
  value: string
  onChange: (schemaId: string) => void
  field: string
  error?: ApiError
  testId: string
}) {
  return (
    <Field label="Schema" name={field} error={error} hint={schemas?.length === 0 ? 'No schema yet: create one under Schemas.' : undefined}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          <option value="">Choose a schema…</option>
          {(schemas ?? []).map((item) => (
            <option key={item.schema_id} value={item.schema_id}>
              {item.name} {item.version}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}
