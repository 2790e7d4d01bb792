// The revocation registry id inside an Indy credential issued under unqualified ids.
//
// Credo 0.5.19 registers an Indy revocation registry under its did:indy id and hands that id to
// anoncreds-rs when it issues, so a credential whose `cred_def_id` is unqualified (`<did>:3:CL:…`,
// as ACA-Py and its controllers name it) came out with a did:indy `rev_reg_id`: two naming schemes
// in one credential. An ACA-Py holder or verifier resolves only the unqualified one, and refused it.
// The id is not signed (it only names where the registry is), so it is rewritten to its unqualified
// form as the credential is made, as ACA-Py's issuer writes it.
import { AnonCredsRsIssuerService } from '../credoInternals'
import { isUnqualifiedCredentialDefinitionId } from '@credo-ts/anoncreds'

import { legacyRevocationRegistryId } from '../indyIdentifiers'
import type { CredoPatch } from './patch'

export const legacyRevocationRegistryIds: CredoPatch = {
  name: 'legacyRevocationRegistryIds',
  targets: { package: '@credo-ts/anoncreds', version: '0.5.19' },
  why: 'a revocable credential issued under an unqualified Indy credential definition id carried a did:indy rev_reg_id, which ACA-Py cannot resolve',
  upstream: 'none known; Credo 0.5 registers Indy objects under did:indy ids only',
  members: () => [{ owner: 'AnonCredsRsIssuerService.prototype', object: AnonCredsRsIssuerService.prototype, member: 'createCredential' }],
}

type CreateCredential = (
  this: AnonCredsRsIssuerService,
  agentContext: unknown,
  options: { credentialRequest: { cred_def_id: string } },
) => Promise<{ credential: { rev_reg_id?: string | null }; credentialRevocationId?: string }>

let installed = false

export function nameRevocationRegistriesAsCredentialDefinitions(): void {
  if (installed) return
  installed = true
  const prototype = AnonCredsRsIssuerService.prototype as unknown as { createCredential: CreateCredential }
  const createCredential = prototype.createCredential
  prototype.createCredential = async function (this: AnonCredsRsIssuerService, agentContext, options) {
    const made = await createCredential.call(this, agentContext, options)
    const revRegId = made.credential.rev_reg_id
    if (revRegId && isUnqualifiedCredentialDefinitionId(options.credentialRequest.cred_def_id)) {
      made.credential.rev_reg_id = legacyRevocationRegistryId(revRegId)
    }
    return made
  }
}
