// The names the controller face's (/api/v1) requests give the fields services name in their errors
// (the face: http/rooms.ts). A route that names one otherwise says so in
// its own `errorFields`.

/** A service error's field (its input's path) → the controller request's field. */
export const CONTROLLER_FIELD_NAMES: Readonly<Record<string, string>> = {
  connectionId: 'connection_id',
  theirPublicDid: 'their_public_did',
  useDid: 'use_did',
  usePublicDid: 'use_public_did',
  publicDid: 'public_did',
  invitationUrl: 'invitation_url',
  handshakeProtocols: 'handshake_protocols',
  walletName: 'wallet_name',
  webhookUrls: 'wallet_webhook_urls',
  expiresAt: 'expires_at',
  contactId: 'contact_id',
  handshakeProtocol: 'handshake_protocol',
  usesAllowed: 'uses_allowed',
  activeEndingAt: 'invitation_active_ending_at',
  credentialExchangeId: 'credential_exchange_id',
  presentationExchangeId: 'presentation_exchange_id',
  credentialDefinitionId: 'credential_definition_id',
  schemaId: 'schema_id',
  schemaIds: 'schemas',
}
