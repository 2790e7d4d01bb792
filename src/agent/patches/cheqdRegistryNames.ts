// The names of revocation registries on cheqd.
//
// Credo 0.5's cheqd registry (@credo-ts/cheqd 0.5.13, the newest 0.5 the registry here serves)
// publishes every revocation registry definition of a credential definition as a DID-linked
// resource named like the credential definition itself, and each status list under its
// definition's name; a status list is found by that name and a time. With more than
// one registry per credential definition (Credence keeps one active and one waiting behind it), a
// holder or issuer reading a registry's status list got the newest list of whichever registry
// wrote last: the holder built its proof against the wrong accumulator ("Issuer is sending
// incorrect data"), and revocations of one registry were published into another's list.
//
// Each definition is named here, as later Credo releases name it, by the SHA-256 (hex) of
// `<credential definition's resource name>-<registry tag>`, so each registry's status lists have a
// name of their own. Readers need no change: they take the name from the definition's resource
// metadata (ACA-Py's cheqd plugin does the same, with `<name>-<tag>` unhashed).
import { CheqdAnonCredsRegistry, CheqdDidRegistrar } from '@credo-ts/cheqd'
import { CredoError, Hasher, TypedArrayEncoder, utils, type AgentContext } from '@credo-ts/core'
import type { RegisterRevocationRegistryDefinitionOptions, RegisterRevocationRegistryDefinitionReturn } from '@credo-ts/anoncreds'

import type { CredoPatch } from './patch'

export const cheqdRegistryNames: CredoPatch = {
  name: 'cheqdRegistryNames',
  targets: { package: '@credo-ts/cheqd', version: '0.5.13' },
  why: "every revocation registry of a credential definition on cheqd had the same resource name, so a status list read by name and time could be another registry's",
  upstream: 'fixed in later Credo releases (the definition named by the hash of `<credential definition name>-<tag>`); not in 0.5.x',
  members: () => [
    { owner: 'CheqdAnonCredsRegistry.prototype', object: CheqdAnonCredsRegistry.prototype, member: 'registerRevocationRegistryDefinition' },
    { owner: 'CheqdAnonCredsRegistry.prototype', object: CheqdAnonCredsRegistry.prototype, member: 'getCredentialDefinition' },
    { owner: 'CheqdDidRegistrar.prototype', object: CheqdDidRegistrar.prototype, member: 'createResource' },
  ],
}

/** The resource name of one revocation registry definition: its own, shared by nothing else. */
export const cheqdRevocationRegistryName = (credentialDefinitionName: string, tag: string) =>
  TypedArrayEncoder.toHex(Hasher.hash(TypedArrayEncoder.fromString(`${credentialDefinitionName}-${tag}`), 'sha-256'))

let installed = false

export function nameCheqdRegistriesApart(): void {
  if (installed) return
  installed = true
  CheqdAnonCredsRegistry.prototype.registerRevocationRegistryDefinition = async function (
    this: CheqdAnonCredsRegistry,
    agentContext: AgentContext,
    { revocationRegistryDefinition, options }: RegisterRevocationRegistryDefinitionOptions,
  ): Promise<RegisterRevocationRegistryDefinitionReturn> {
    try {
      const credentialDefinition = await this.getCredentialDefinition(agentContext, revocationRegistryDefinition.credDefId)
      const credentialDefinitionName = credentialDefinition.credentialDefinitionMetadata.name
      if (!credentialDefinition.credentialDefinition || typeof credentialDefinitionName !== 'string') {
        throw new CredoError(`Credential definition ${revocationRegistryDefinition.credDefId} (or its resource name) not found`)
      }
      const resource = {
        id: utils.uuid(),
        name: cheqdRevocationRegistryName(credentialDefinitionName, revocationRegistryDefinition.tag),
        resourceType: 'anonCredsRevocRegDef',
        data: {
          credDefId: revocationRegistryDefinition.credDefId,
          revocDefType: revocationRegistryDefinition.revocDefType,
          tag: revocationRegistryDefinition.tag,
          value: revocationRegistryDefinition.value,
        },
        version: utils.uuid(),
      }
      const response = await agentContext.dependencyManager.resolve(CheqdDidRegistrar).createResource(agentContext, revocationRegistryDefinition.issuerId, resource)
      if (response.resourceState.state !== 'finished') throw new CredoError(response.resourceState.reason ?? 'Unknown error')
      return {
        revocationRegistryDefinitionState: {
          state: 'finished',
          revocationRegistryDefinition,
          revocationRegistryDefinitionId: `${revocationRegistryDefinition.issuerId}/resources/${resource.id}`,
        },
        registrationMetadata: {},
        revocationRegistryDefinitionMetadata: response.resourceMetadata ?? {},
      }
    } catch (error) {
      agentContext.config.logger.error(`Error registering revocation registry definition for did '${revocationRegistryDefinition.issuerId}'`, { error, options })
      return {
        revocationRegistryDefinitionMetadata: {},
        registrationMetadata: {},
        revocationRegistryDefinitionState: { state: 'failed', revocationRegistryDefinition, reason: `unknownError: ${(error as Error).message}` },
      }
    }
  }
}
