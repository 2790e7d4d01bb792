// ACA-Py face, AnonCreds revocation: one mapper per record. Credence's `active` registry is a
// `finished` one in ACA-Py's anoncreds records (being active is a tag there, not a state); its legacy
// records call both the active registry and the one waiting behind it `active`.
import type { AnonCredsRevocationRegistryDefinition } from '../../agent/credo'
import { legacyIssuerId } from '../../agent/indyIdentifiers'
import type { IssuedCredentialRevocation, PublishedState, RegistryState, RevocationRegistry } from '../../services/revocation'
import type { Family } from './schemas'

/** A registry's state as the route family names it. */
export function familyState(family: Family, state: RegistryState): string {
  // A registry still without its status list needs an action (ACA-Py's `entry`) before it can issue.
  if (family === 'anoncreds') return state === 'active' ? 'finished' : state === 'generated' || state === 'posted' ? 'action' : state
  return state === 'finished' ? 'active' : state
}

export function toIssuerRevRegRecord(registry: RevocationRegistry, family: Family = 'anoncreds') {
  return {
    // ACA-Py makes this record up on every read; the registry's id is the stable name.
    record_id: registry.revRegId,
    state: familyState(family, registry.state),
    cred_def_id: registry.credDefId,
    issuer_did: legacyIssuerId(registry.issuerId),
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

/**
 * A status list as ACA-Py's Indy revocation registry delta (`rev_reg_delta`): the revoked indices
 * and the accumulator; `prevAccum` when it says what a new list changed. Registries revoke by
 * issuance-by-default, so nothing is ever listed as issued.
 */
export function toRevRegDelta(state: PublishedState, prevAccum?: string) {
  return {
    ver: '1.0' as const,
    value: { ...(state.accumulator ? { accum: state.accumulator } : {}), ...(prevAccum ? { prevAccum } : {}), issued: [] as number[], revoked: state.revoked },
  }
}

/** ACA-Py's RevRegDefResult for a registry just made, with its definition as registered. */
export function toRevRegDefResult(registry: RevocationRegistry, definition: AnonCredsRevocationRegistryDefinition) {
  return {
    revocation_registry_definition_state: {
      state: 'finished' as const,
      revocation_registry_definition_id: registry.revRegId,
      revocation_registry_definition: {
        issuerId: legacyIssuerId(registry.issuerId),
        revocDefType: 'CL_ACCUM' as const,
        credDefId: registry.credDefId,
        tag: registry.tag,
        value: { publicKeys: definition.value.publicKeys, maxCredNum: registry.maxCredNum, tailsLocation: registry.tailsPublicUri, tailsHash: registry.tailsHash },
      },
    },
    registration_metadata: {},
    revocation_registry_definition_metadata: {},
  }
}

/** ACA-Py's RevListResult: the registry's status list in force, one entry per index (1 = revoked). */
export function toRevListResult(registry: RevocationRegistry, state: PublishedState) {
  const revoked = new Set(state.revoked)
  return {
    revocation_list_state: {
      state: 'finished' as const,
      revocation_list: {
        issuerId: legacyIssuerId(registry.issuerId),
        revRegDefId: registry.revRegId,
        revocationList: Array.from({ length: registry.maxCredNum }, (_, index) => (revoked.has(index) ? 1 : 0)),
        currentAccumulator: state.accumulator ?? '',
        ...(state.timestamp !== undefined ? { timestamp: state.timestamp } : {}),
      },
    },
    registration_metadata: {},
    revocation_list_metadata: {},
  }
}
