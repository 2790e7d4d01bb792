// The two names of an Indy AnonCreds object. Credo registers and keeps Indy objects under did:indy
// ids (`did:indy:<namespace>:<did>/anoncreds/v0/…`); ACA-Py, its controllers and the credentials
// themselves use the unqualified ids (`<did>:2:…`, `<did>:3:CL:…`, `<did>:4:<did>:3:CL:…:CL_ACCUM:<tag>`).
// Non-Indy ids (did:web, did:cheqd) have one name and pass through unchanged.
import {
  getUnqualifiedCredentialDefinitionId,
  getUnqualifiedRevocationRegistryDefinitionId,
  getUnqualifiedSchemaId,
  isDidIndyCredentialDefinitionId,
  isDidIndyRevocationRegistryId,
  isDidIndySchemaId,
  isUnqualifiedCredentialDefinitionId,
  isUnqualifiedRevocationRegistryId,
  parseIndyCredentialDefinitionId,
  parseIndyDid,
  parseIndyRevocationRegistryId,
  parseIndySchemaId,
} from './credo'
import { getDidIndyCredentialDefinitionId, getDidIndyRevocationRegistryDefinitionId } from './credoInternals'

export const legacySchemaId = (id: string) => {
  if (!isDidIndySchemaId(id)) return id
  const { namespaceIdentifier, schemaName, schemaVersion } = parseIndySchemaId(id)
  return getUnqualifiedSchemaId(namespaceIdentifier, schemaName, schemaVersion)
}

export const legacyCredentialDefinitionId = (id: string) => {
  if (!isDidIndyCredentialDefinitionId(id)) return id
  const { namespaceIdentifier, schemaSeqNo, tag } = parseIndyCredentialDefinitionId(id)
  return getUnqualifiedCredentialDefinitionId(namespaceIdentifier, schemaSeqNo, tag)
}

export const legacyRevocationRegistryId = (id: string) => {
  if (!isDidIndyRevocationRegistryId(id)) return id
  const { namespaceIdentifier, schemaSeqNo, credentialDefinitionTag, revocationRegistryTag } = parseIndyRevocationRegistryId(id)
  return getUnqualifiedRevocationRegistryDefinitionId(namespaceIdentifier, schemaSeqNo, credentialDefinitionTag, revocationRegistryTag)
}

/** The did:indy name of an unqualified credential definition id, from its issuer's did:indy DID; other ids as they are. */
export function didIndyCredentialDefinitionId(id: string, issuerId: string): string {
  if (!isUnqualifiedCredentialDefinitionId(id) || !issuerId.startsWith('did:indy:')) return id
  const { namespace } = parseIndyDid(issuerId)
  const { namespaceIdentifier, schemaSeqNo, tag } = parseIndyCredentialDefinitionId(id)
  return getDidIndyCredentialDefinitionId(namespace, namespaceIdentifier, schemaSeqNo, tag)
}

/**
 * The did:indy name Credo keeps a registry under, from its unqualified id and its issuer's did:indy
 * DID (which names the ledger); other ids as they are.
 */
export function didIndyRevocationRegistryId(id: string, issuerId: string): string {
  if (!isUnqualifiedRevocationRegistryId(id) || !issuerId.startsWith('did:indy:')) return id
  const { namespace } = parseIndyDid(issuerId)
  const { namespaceIdentifier, schemaSeqNo, credentialDefinitionTag, revocationRegistryTag } = parseIndyRevocationRegistryId(id)
  return getDidIndyRevocationRegistryDefinitionId(namespace, namespaceIdentifier, schemaSeqNo, credentialDefinitionTag, revocationRegistryTag)
}

/** The unqualified DID of a did:indy issuer (ACA-Py's `issuer_did`); other ids as they are. */
export const legacyIssuerId = (issuerId: string) => (issuerId.startsWith('did:indy:') ? parseIndyDid(issuerId).namespaceIdentifier : issuerId)

/**
 * A credential definition this wallet created, named by either of its names (Credo keeps an Indy
 * one under its did:indy id and finds it by the unqualified one only as such).
 */
export async function findCreatedCredentialDefinition<T>(
  anoncreds: { getCreatedCredentialDefinitions(query: { credentialDefinitionId?: string; unqualifiedCredentialDefinitionId?: string }): Promise<T[]> },
  id: string,
): Promise<T | undefined> {
  const [found] = [
    ...(await anoncreds.getCreatedCredentialDefinitions({ credentialDefinitionId: id })),
    ...(await anoncreds.getCreatedCredentialDefinitions({ unqualifiedCredentialDefinitionId: id })),
  ]
  return found
}
