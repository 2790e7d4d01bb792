// Revocable credentials in the legacy `indy` format of issue-credential v2 (`hlindy/cred@v2.0`).
//
// Credo 0.5.19's indy format issuer knows nothing of revocation: its offer drops the registry and
// index it is given and its credential is made without them, so a credential definition with
// revocation issued in the `indy` format gave a credential that can never be revoked, silently.
// ACA-Py issues revocable credentials in both formats. The two formats carry the same AnonCreds
// objects: the offer keeps the registry and index as the anoncreds format's offer does, and the
// credential is made by the anoncreds format's code (revocation included) under the indy label.
import { AnonCredsCredentialFormatService, AnonCredsCredentialMetadataKey, LegacyIndyCredentialFormatService } from '@credo-ts/anoncreds'
import type { AgentContext, CredentialExchangeRecord } from '@credo-ts/core'

import { FORMAT_LABELS } from './anonCredsFormatLabels'
import type { CredoPatch } from './patch'

export const legacyIndyRevocation: CredoPatch = {
  name: 'legacyIndyRevocation',
  targets: { package: '@credo-ts/anoncreds', version: '0.5.19' },
  why: 'a revocable credential definition issued in the indy format gave credentials that could not be revoked',
  upstream: 'none known; Credo 0.5 supports revocation in the anoncreds format only',
  members: () => [
    { owner: 'LegacyIndyCredentialFormatService.prototype', object: LegacyIndyCredentialFormatService.prototype, member: 'createOffer' },
    { owner: 'LegacyIndyCredentialFormatService.prototype', object: LegacyIndyCredentialFormatService.prototype, member: 'acceptRequest' },
    { owner: 'AnonCredsCredentialFormatService.prototype', object: AnonCredsCredentialFormatService.prototype, member: 'acceptRequest' },
  ],
}

interface OfferOptions {
  credentialRecord: CredentialExchangeRecord
  credentialFormats: { indy?: { revocationRegistryDefinitionId?: string; revocationRegistryIndex?: number } }
}
type Method = (this: unknown, agentContext: AgentContext, options: unknown) => Promise<{ format: { format: string } }>

let installed = false

export function issueRevocableInTheIndyFormat(): void {
  if (installed) return
  installed = true
  const indy = LegacyIndyCredentialFormatService.prototype as unknown as { createOffer: Method; acceptRequest: Method }
  const anoncreds = AnonCredsCredentialFormatService.prototype as unknown as { acceptRequest: Method }

  const createOffer = indy.createOffer
  indy.createOffer = async function (this: unknown, agentContext, options) {
    const made = await createOffer.call(this, agentContext, options)
    const { credentialRecord, credentialFormats } = options as OfferOptions
    const revRegId = credentialFormats.indy?.revocationRegistryDefinitionId
    const index = credentialFormats.indy?.revocationRegistryIndex
    if (revRegId && index !== undefined) {
      // What the anoncreds format's offer keeps, and where its acceptRequest reads it.
      const metadata = credentialRecord.metadata.get(AnonCredsCredentialMetadataKey) ?? {}
      credentialRecord.metadata.set(AnonCredsCredentialMetadataKey, { ...metadata, revocationRegistryId: revRegId, credentialRevocationId: String(index) })
      credentialRecord.setTags({ anonCredsRevocationRegistryId: revRegId, anonCredsCredentialRevocationId: String(index) })
    }
    return made
  }

  indy.acceptRequest = async function (this: unknown, agentContext, options) {
    const made = await anoncreds.acceptRequest.call(this, agentContext, options)
    made.format.format = FORMAT_LABELS.indy.credential
    return made
  }
}
