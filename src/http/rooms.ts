// The explicit list of route rooms of the admin app, by face; a room is added here, never
// autoloaded. The app mounts them (app.ts) and the OpenAPI document reads them (routeTable), so
// what is served and what is documented come from the same declarations.
import type { RequestHandler } from 'express'

import { ACAPY_FIELD_NAMES } from '../acapy/fieldNames'
import { parse as acapyParse } from '../acapy/requestParsing'
import { CONTROLLER_FIELD_NAMES } from '../controller/fieldNames'
import type { FaceReading, Route } from './route'
import type { RoomDeps } from './roomDeps'
import { parse as strictParse } from './validate'

import { anonCredsRouteDeclarations } from '../acapy/anoncreds/routes'
import { connectionRouteDeclarations } from '../acapy/connections/routes'
import { didExchangeRouteDeclarations } from '../acapy/didexchange/routes'
import { discoveryRouteDeclarations } from '../acapy/discovery/routes'
import { credentialRouteDeclarations } from '../acapy/credentials/routes'
import { issueCredentialRouteDeclarations } from '../acapy/issueCredential/routes'
import { jsonLdRouteDeclarations } from '../acapy/jsonld/routes'
import { legacyAnonCredsRouteDeclarations } from '../acapy/legacyAnonCreds/routes'
import { presentProofRouteDeclarations } from '../acapy/presentProof/routes'
import { ledgerRouteDeclarations } from '../acapy/ledger/routes'
import { multitenancyRouteDeclarations } from '../acapy/multitenancy/routes'
import { outOfBandRouteDeclarations } from '../acapy/outOfBand/routes'
import { resolverRouteDeclarations } from '../acapy/resolver/routes'
import { legacyRevocationRouteDeclarations, revocationRouteDeclarations } from '../acapy/revocation/routes'
import { settingsRouteDeclarations } from '../acapy/settings/routes'
import { statusRouteDeclarations } from '../acapy/status/routes'
import { walletRouteDeclarations } from '../acapy/wallet/routes'
import { webhookRouteDeclarations } from '../acapy/webhooks/routes'
import { controllerAnonCredsRouteDeclarations } from '../controller/anoncreds/routes'
import { controllerConnectionRouteDeclarations } from '../controller/connections/routes'
import { controllerCredentialRouteDeclarations } from '../controller/credentials/routes'
import { controllerVerificationRouteDeclarations } from '../controller/verifications/routes'
import { controllerPresentationRouteDeclarations } from '../controller/presentations/routes'
import { controllerEmailRouteDeclarations } from '../controller/emails/routes'
import { controllerEventRouteDeclarations } from '../controller/events/routes'
import { controllerInvitationRouteDeclarations } from '../controller/invitations/routes'
import { controllerMessageRouteDeclarations } from '../controller/messages/routes'
import { controllerWalletRouteDeclarations } from '../controller/wallet/routes'
import { controllerApiKeyRouteDeclarations } from '../controller/apikeys/routes'
import { controllerSubwalletRouteDeclarations } from '../controller/subwallets/routes'
import { consoleAssets, consoleRouteDeclarations } from './consoleRoutes'
import { docAssets, docRouteDeclarations } from './docRoutes'
import { landingRouteDeclarations } from './landingRoutes'

/**
 * How a face reads requests (the ACA-Py face leniently, as ACA-Py does; the others strictly), and
 * what its requests call the fields services name in their errors.
 */
export type Face = FaceReading
const ACAPY: Face = { parse: acapyParse, fieldNames: ACAPY_FIELD_NAMES }
const CONTROLLER: Face = { parse: strictParse, fieldNames: CONTROLLER_FIELD_NAMES }
const SITE: Face = { parse: strictParse }

export interface Room {
  face: Face
  routes(deps: RoomDeps): readonly Route[]
  /** Static files served beside the room's routes (Swagger UI's, the console's). */
  assets?(): RequestHandler
}

const rooms = (face: Face, routes: Room['routes'][]): Room[] => routes.map((room) => ({ face, routes: room }))

/** In the order Express matches them. */
export const ROOMS: readonly Room[] = [
  ...rooms(ACAPY, [
    statusRouteDeclarations,
    multitenancyRouteDeclarations,
    settingsRouteDeclarations,
    outOfBandRouteDeclarations,
    didExchangeRouteDeclarations,
    connectionRouteDeclarations,
    walletRouteDeclarations,
    discoveryRouteDeclarations,
    resolverRouteDeclarations,
    ledgerRouteDeclarations,
    anonCredsRouteDeclarations,
    revocationRouteDeclarations,
    legacyAnonCredsRouteDeclarations,
    legacyRevocationRouteDeclarations,
    issueCredentialRouteDeclarations,
    presentProofRouteDeclarations,
    credentialRouteDeclarations,
    jsonLdRouteDeclarations,
    webhookRouteDeclarations,
  ]),
  ...rooms(CONTROLLER, [
    controllerSubwalletRouteDeclarations,
    controllerApiKeyRouteDeclarations,
    controllerConnectionRouteDeclarations,
    controllerInvitationRouteDeclarations,
    controllerMessageRouteDeclarations,
    controllerCredentialRouteDeclarations,
    controllerVerificationRouteDeclarations,
    controllerPresentationRouteDeclarations,
    controllerEmailRouteDeclarations,
    controllerEventRouteDeclarations,
    controllerWalletRouteDeclarations,
    controllerAnonCredsRouteDeclarations,
  ]),
  { face: SITE, routes: docRouteDeclarations, assets: docAssets },
  { face: SITE, routes: consoleRouteDeclarations, assets: consoleAssets },
  { face: SITE, routes: landingRouteDeclarations },
]

/** Each room with its routes declared for these dependencies; `deps.routes()` answers all of them. */
export function declaredRooms(deps: Omit<RoomDeps, 'routes'>): { room: Room; routes: readonly Route[] }[] {
  const full: RoomDeps = { ...deps, routes: () => declared.flatMap((entry) => entry.routes) }
  const declared = ROOMS.map((room) => ({ room, routes: room.routes(full) }))
  return declared
}

/** Every route of the app, in order: what the OpenAPI document and the route tests read. */
export const routeTable = (deps: Omit<RoomDeps, 'routes'>): readonly Route[] => declaredRooms(deps).flatMap((entry) => entry.routes)
