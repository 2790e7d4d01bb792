// The format labels of AnonCreds attachments in issue-credential v2, as ACA-Py reads and writes them.
//
// 1. Credo 0.5.19 labels its AnonCreds *offer* `anoncreds/credential@v1.0` (the label of the
//    credential itself); RFC 0771 and every other agent say `anoncreds/credential-offer@v1.0`.
//    Fixed upstream in credo-ts#2124 (0.6); here the offer's label is corrected as it is made.
// 2. An ACA-Py holder with an `askar-anoncreds` wallet answers an offer in the legacy `indy` format
//    with a request labelled `anoncreds/credential-request@v1.0` (its indy handler hands the request
//    to its anoncreds handler), and ACA-Py's own issuer then issues in the offer's `indy` format.
//    Credo looked for an anoncreds offer to match the request, found none and failed with a 500.
//    The two requests have the same content (an AnonCreds credential request), so a request whose
//    family differs from the offer's is relabelled to the offer's family when it arrives, and the
//    credential goes out in the offer's format, as ACA-Py's issuer does. The other way round
//    (an anoncreds offer answered with an indy request) is relabelled the same way.
import { V2CredentialProtocol, type InboundMessageContext, type V2RequestCredentialMessage } from '@credo-ts/core'
import { AnonCredsCredentialFormatService } from '@credo-ts/anoncreds'
import { CredentialRole, DidCommMessageRepository, DidCommMessageRole, V2OfferCredentialMessage } from '@credo-ts/core'

import type { CredoPatch } from './patch'

export const anonCredsFormatLabels: CredoPatch = {
  name: 'anonCredsFormatLabels',
  targets: { package: '@credo-ts/anoncreds', version: '0.5.19' },
  why: 'AnonCreds offers went out as anoncreds/credential@v1.0, and an indy offer answered with an anoncreds request (ACA-Py askar-anoncreds) was a 500',
  upstream: 'openwallet-foundation/credo-ts#2124 (offer label, fixed in 0.6); the request relabelling is ACA-Py behaviour, not upstream',
  members: () => [
    { owner: 'AnonCredsCredentialFormatService.prototype', object: AnonCredsCredentialFormatService.prototype, member: 'createAnonCredsOffer' },
    { owner: 'V2CredentialProtocol.prototype', object: V2CredentialProtocol.prototype, member: 'processRequest' },
  ],
}

export const FORMAT_LABELS = {
  anoncreds: { offer: 'anoncreds/credential-offer@v1.0', request: 'anoncreds/credential-request@v1.0', credential: 'anoncreds/credential@v1.0' },
  indy: { offer: 'hlindy/cred-abstract@v2.0', request: 'hlindy/cred-req@v2.0', credential: 'hlindy/cred@v2.0' },
} as const

type Family = keyof typeof FORMAT_LABELS
const familyOfRequest = (label: string): Family | undefined =>
  label === FORMAT_LABELS.anoncreds.request ? 'anoncreds' : label === FORMAT_LABELS.indy.request ? 'indy' : undefined
// Offers Credo made before this patch carry the credential's label: they are anoncreds offers too.
const familyOfOffer = (label: string): Family | undefined =>
  label === FORMAT_LABELS.anoncreds.offer || label === FORMAT_LABELS.anoncreds.credential ? 'anoncreds' : label === FORMAT_LABELS.indy.offer ? 'indy' : undefined

type CreateOffer = (this: unknown, ...args: unknown[]) => Promise<{ format: { format: string } }>
type ProcessRequest = (this: V2CredentialProtocol, messageContext: InboundMessageContext<V2RequestCredentialMessage>) => Promise<unknown>

let installed = false

export function labelAnonCredsAttachmentsAsAcaPy(): void {
  if (installed) return
  installed = true
  const offerPrototype = AnonCredsCredentialFormatService.prototype as unknown as { createAnonCredsOffer: CreateOffer }
  const createOffer = offerPrototype.createAnonCredsOffer
  offerPrototype.createAnonCredsOffer = async function (this: unknown, ...args: unknown[]) {
    const made = await createOffer.apply(this, args)
    made.format.format = FORMAT_LABELS.anoncreds.offer
    return made
  }

  const protocolPrototype = V2CredentialProtocol.prototype as unknown as { processRequest: ProcessRequest }
  const processRequest = protocolPrototype.processRequest
  protocolPrototype.processRequest = async function (this: V2CredentialProtocol, messageContext) {
    await relabelRequestToOfferFamily(this, messageContext)
    return processRequest.call(this, messageContext)
  }
}

async function relabelRequestToOfferFamily(protocol: V2CredentialProtocol, { message, agentContext }: InboundMessageContext<V2RequestCredentialMessage>) {
  const requested = message.formats.map((spec) => familyOfRequest(spec.format))
  if (!requested.some(Boolean)) return
  const record = await protocol.findByProperties(agentContext, { threadId: message.threadId, role: CredentialRole.Issuer })
  if (!record) return
  const offer = await agentContext.dependencyManager.resolve(DidCommMessageRepository).findAgentMessage(agentContext, {
    associatedRecordId: record.id,
    messageClass: V2OfferCredentialMessage,
    role: DidCommMessageRole.Sender,
  })
  const offered = new Set(offer?.formats.map((spec) => familyOfOffer(spec.format)).filter(Boolean))
  // Relabel only when the offer has exactly the other family: a request the offer already matches is left alone.
  message.formats.forEach((spec, index) => {
    const family = requested[index]
    if (!family || offered.has(family)) return
    const other: Family = family === 'anoncreds' ? 'indy' : 'anoncreds'
    if (offered.has(other)) spec.format = FORMAT_LABELS[other].request
  })
}
