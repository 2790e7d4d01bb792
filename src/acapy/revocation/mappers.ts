// ACA-Py face, AnonCreds revocation: one mapper per record. Credence's `active` registry is a
// `finished` one in ACA-Py's anoncreds records (being active is a tag there, not a state); its legacy
// records call both the active registry and the one waiting behind it `active`.
import type { RegistryState, IssuedCredentialRevocation, RevocationRegistry } from '../../services/revocation'
import type { Family } from './schemas'

/** A registry's state as the route family names it. */
export function familyState(family: Family, state: RegistryState): string {
  if (family === 'anoncreds') return state === 'active' ? 'finished' : state
  return state === 'finished' ? 'active' : state
}

export function toIssuerRevRegRecord(registry: RevocationRegistry, family: Family = 'anoncreds') {
  return {
    // ACA-Py makes this record up on every read; the registry's id is the stable name.
    record_id: registry.revRegId,
    state: familyState(family, registry.state),
    cred_def_id: registry.credDefId,
    issuer_did: registry.issuerId,
    max_cred_num: registry.maxCredNum,
    revoc_def_type: 'CL_ACCUM' as const,
    revoc_reg_id: registry.revRegId,
    revoc_reg_def: { ver: '1.0' as const, id: registry.revRegId, revocDefType: 'CL_ACCUM' as const, tag: registry.tag, credDefId: registry.credDefId },
    tag: registry.tag,
    tails_hash: registry.tailsHash,
    tails_local_path: registry.tailsPublicUri,
    tails_public_uri: registry.tailsPublicUri,
    pending_pub: registry.pending.map(String),
    created_at: registry.createdAt,
    updated_at: registry.updatedAt,
  }
}

export function toIssuerCredRevRecord(record: IssuedCredentialRevocation) {
  return {
    record_id: record.recordId,
    state: record.state,
    ...(record.credExId ? { cred_ex_id: record.credExId } : {}),
    rev_reg_id: record.revRegId,
    cred_def_id: record.credDefId,
    cred_rev_id: String(record.credRevId),
    cred_ex_version: '2' as const,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }
}
