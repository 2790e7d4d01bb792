// The controller face (/api/v1): its requests read strictly (http/validate.ts), and the names its
// requests give the fields services name in their errors. A route that names one otherwise says so
// in its own `errorFields`.
import type { Face } from '../http/route'
import { parse } from '../http/validate'

/** A service error's field (its input's path) → the controller request's field. */
export const CONTROLLER_FIELD_NAMES: Readonly<Record<string, string>> = {
  connectionId: 'connection_id',
  theirPublicDid: 'their_public_did',
  useDid: 'use_did',
  credentialExchangeId: 'credential_exchange_id',
  presentationExchangeId: 'presentation_exchange_id',
  credentialDefinitionId: 'credential_definition_id',
  schemaId: 'schema_id',
  schemaIds: 'schemas',
}

export const controllerFace: Face = { parse, fieldNames: CONTROLLER_FIELD_NAMES }
