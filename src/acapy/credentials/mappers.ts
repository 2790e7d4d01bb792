// ACA-Py face, the holder's credentials (reference §9): IndyCredInfo and VCRecord, shared by the
// holder's routes and present-proof's credentials route.
import type { HeldAnonCredsCredential, HeldW3cCredential } from '../../services/holderCredentials'

/** VCRecord. */
export function toVcRecord({ record, expandedTypes, proofTypes }: HeldW3cCredential) {
  const { credential } = record
  return {
    contexts: credential.contexts.filter((c) => typeof c === 'string'),
    expanded_types: expandedTypes,
    schema_ids: credential.credentialSchemaIds,
    issuer_id: credential.issuerId,
    subject_ids: credential.credentialSubjectIds,
    proof_types: proofTypes,
    cred_value: credential.jsonCredential,
    given_id: credential.id ?? null,
    cred_tags: {},
    record_id: record.id,
  }
}

/**
 * IndyCredInfo, as ACA-Py's holder builds it: attribute values as strings, and `rev_reg_id` and
 * `cred_rev_id` null for a credential that cannot be revoked.
 */
export function toIndyCredInfo(credential: HeldAnonCredsCredential) {
  return {
    referent: credential.credentialId,
    schema_id: credential.schemaId,
    cred_def_id: credential.credentialDefinitionId,
    rev_reg_id: credential.revocationRegistryId ?? null,
    cred_rev_id: credential.credentialRevocationId ?? null,
    attrs: Object.fromEntries(Object.entries(credential.attributes).map(([name, value]) => [name, String(value)])),
  }
}
