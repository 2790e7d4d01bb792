// A credential issued under unqualified Indy ids, presented in the `anoncreds` format.
//
// Credo 0.5.19 keeps such a credential with both names of its ids. Asked for it in the anoncreds
// format (as an ACA-Py verifier on an askar-anoncreds wallet asks), its holder looks the schema and
// credential definition up by their did:indy names but hands anoncreds-rs the credential with its
// unqualified ones, and the proof fails ("Schema not provided for ID …"). Both names of each object
// are handed over, so anoncreds-rs finds the one the credential carries: the objects are the same.
import { AnonCredsRsHolderService } from '../credoInternals'
import { legacyCredentialDefinitionId, legacySchemaId } from '../indyIdentifiers'
import type { CredoPatch } from './patch'

export const mixedIndyIdentifiers: CredoPatch = {
  name: 'mixedIndyIdentifiers',
  targets: { package: '@credo-ts/anoncreds', version: '0.5.19' },
  why: 'a credential issued under unqualified Indy ids could not be presented in the anoncreds format ("Schema not provided")',
  upstream: 'none known',
  members: () => [{ owner: 'AnonCredsRsHolderService.prototype', object: AnonCredsRsHolderService.prototype, member: 'createProof' }],
}

type CreateProof = (this: unknown, agentContext: unknown, options: { schemas: Record<string, unknown>; credentialDefinitions: Record<string, unknown> }) => Promise<unknown>

/** The map with each did:indy key also under its unqualified name. */
function withLegacyNames<T>(byId: Record<string, T>, legacy: (id: string) => string): Record<string, T> {
  const named = { ...byId }
  for (const [id, value] of Object.entries(byId)) named[legacy(id)] ??= value
  return named
}

let installed = false

export function presentUnderEitherIndyName(): void {
  if (installed) return
  installed = true
  const prototype = AnonCredsRsHolderService.prototype as unknown as { createProof: CreateProof }
  const createProof = prototype.createProof
  prototype.createProof = function (agentContext, options) {
    return createProof.call(this, agentContext, {
      ...options,
      schemas: withLegacyNames(options.schemas, legacySchemaId),
      credentialDefinitions: withLegacyNames(options.credentialDefinitions, legacyCredentialDefinitionId),
    })
  }
}
