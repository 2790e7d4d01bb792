// ACA-Py face: the legacy shapes of a schema and a credential definition (reference §12.1).
// seqNo is a ledger transaction number; objects on a did:web registry have none.
import type { AnonCredsCredentialDefinition, AnonCredsSchema } from '../../agent/credo'

/** `metadata` is the registry's: an Indy ledger's carries the schema's transaction number. */
export function toLegacySchema(id: string, schema: AnonCredsSchema, metadata: Record<string, unknown> = {}) {
  const seqNo = typeof metadata.indyLedgerSeqNo === 'number' ? { seqNo: metadata.indyLedgerSeqNo } : {}
  return { ver: '1.0' as const, id, name: schema.name, version: schema.version, attrNames: schema.attrNames, ...seqNo }
}

export function toLegacyCredentialDefinition(id: string, credentialDefinition: AnonCredsCredentialDefinition) {
  return {
    ver: '1.0' as const,
    id,
    schemaId: credentialDefinition.schemaId,
    type: credentialDefinition.type,
    tag: credentialDefinition.tag,
    value: credentialDefinition.value,
  }
}
