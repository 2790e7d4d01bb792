// An AnonCreds credential's attributes must be exactly its schema's: each once, none missing, none
// else. Checked before an offer goes out (credentials.ts) and before an issuance record is kept
// (controllerRequests.ts).
import { badRequest } from '../errors'

export function assertSchemaAttributes(field: string, schema: { id: string; attrNames: string[] }, given: string[]): void {
  const repeated = given.filter((name, index) => given.indexOf(name) !== index)
  if (repeated.length > 0) throw badRequest(field, `Attributes given twice: ${[...new Set(repeated)].join(', ')}`)
  const missing = schema.attrNames.filter((name) => !given.includes(name))
  const extra = given.filter((name) => !schema.attrNames.includes(name))
  if (missing.length || extra.length) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `not in the schema: ${extra.join(', ')}` : ''].filter(Boolean)
    throw badRequest(field, `The attributes must be exactly those of schema ${schema.id} (${schema.attrNames.join(', ')}): ${parts.join('; ')}`)
  }
}
