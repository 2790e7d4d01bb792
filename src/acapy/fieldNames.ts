// The names the ACA-Py face's requests give the fields services name in their errors (the face:
// http/rooms.ts). A route that names one otherwise says so in
// its own `errorFields`.

/** A service error's field (its input's path) → the ACA-Py request's field. */
export const ACAPY_FIELD_NAMES: Readonly<Record<string, string>> = {
  connectionId: 'conn_id',
  theirPublicDid: 'their_public_did',
  useDid: 'use_did',
  usePublicDid: 'use_public_did',
  publicDid: 'public_did',
  invitationUrl: 'invitation_url',
  handshakeProtocols: 'handshake_protocols',
  walletName: 'wallet_name',
  webhookUrls: 'wallet_webhook_urls',
  expiresAt: 'expires_at',
  credentialExchangeId: 'cred_ex_id',
  presentationExchangeId: 'pres_ex_id',
  // An AnonCreds offer: its filter and preview.
  credentialDefinitionId: 'filter.cred_def_id',
  'indy.credentialDefinitionId': 'filter.indy.cred_def_id',
  attributes: 'credential_preview.attributes',
  proposal: 'filter',
  // Answering a proposal with an offer of one's own.
  counter: 'filter',
  // A JSON-LD offer is the issue-credential filter's ld_proof.
  offer: 'filter.ld_proof',
  'offer.verificationMethod': 'verification_method',
  'credential_definition.supportRevocation': 'options.support_revocation',
  // A presentation request (also the shape of a proposal) and the DIF presentation that answers one.
  request: 'presentation_request',
  'request.presentationDefinition': 'presentation_request.dif.presentation_definition',
  format: 'body',
  presentation: 'dif',
  recordIds: 'dif.record_ids',
}
