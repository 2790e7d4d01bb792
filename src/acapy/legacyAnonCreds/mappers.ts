// ACA-Py face: the legacy shapes of a schema and a credential definition (reference §12.1).
// seqNo is a ledger transaction number; objects on a did:web registry have none.
import type { AnonCredsCredentialDefinition, AnonCredsSchema } from '../../agent/credo'

/** `metadata` is the registry's: an Indy ledger's carries the schema's transaction number. */
export function toLegacySchema(id: string, schema: AnonCredsSchema, metadata: Record<string, unknown> = {}) {
  const seqNo = typeof metadata.indyLedgerSeqNo === 'number' ? { seqNo: metadata.indyLedgerSeqNo } : {}
  return { ver: '1.0' as const, id, name: schema.name, version: schema.version, attrNames: schema.attrNames, ...seqNo }
}

/**
 * As ACA-Py answers it from an Indy ledger: the ledger's CLAIM_DEF names its schema by the schema's
 * transaction number, so `schemaId` is that number as a string (the `<seqNo>` of
 * `<did>:3:CL:<seqNo>:<tag>`). A definition of the embedded registry names its schema by its id.
 */
export function toLegacyCredentialDefinition(id: string, credentialDefinition: AnonCredsCredentialDefinition) {
  const indy = /^[1-9A-HJ-NP-Za-km-z]{21,22}:3:CL:(\d+):/.exec(id)
  return {
    ver: '1.0' as const,
    id,
    schemaId: indy ? indy[1] : credentialDefinition.schemaId,
    type: credentialDefinition.type,
    tag: credentialDefinition.tag,
    value: credentialDefinition.value,
  }
}
