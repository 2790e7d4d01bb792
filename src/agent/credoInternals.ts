// Everything Credence takes from inside Credo's packages (paths under `build/`, which their public
// index does not export in 0.5), in one place: services and adapters import these from here, so an
// upgrade that moves one fails to compile in this file, not somewhere in a service.
import { createRequire } from 'node:module'

// How Credo resolves a DID's DIDComm services: the same lookup for a connection's peer (services/
// connections.ts) and for the service a refused request is answered at (invitationGate.ts).
export { DidCommDocumentService, type ResolvedDidCommService } from '@credo-ts/core/build/modules/didcomm'
// The reasons of DID exchange and RFC 0160 problem reports, as Credo's own protocols send them.
export { ConnectionProblemReportReason, DidExchangeProblemReportReason } from '@credo-ts/core/build/modules/connections/errors'
// DID parsing that answers null rather than throwing, for DIDs a peer sends.
export { tryParseDid } from '@credo-ts/core/build/modules/dids/domain/parse'
// The did:peer:2 an inline out-of-band service stands for, which Credo searches connections by.
export { outOfBandServiceToInlineKeysNumAlgo2Did } from '@credo-ts/core/build/modules/dids/methods/peer/peerDidNumAlgo2'
export { isShortFormDidPeer4 } from '@credo-ts/core/build/modules/dids/methods/peer/peerDidNumAlgo4'
// Out-of-band and legacy invitations parsed as Credo's receive does, for receive-invitation's body.
export { parseInvitationJson } from '@credo-ts/core/build/utils/parseInvitation'
// The JSON-LD contexts Credo ships, which Credence's offline document loader serves first.
export { DEFAULT_CONTEXTS } from '@credo-ts/core/build/modules/vc/data-integrity/libraries/contexts'
// The tenants module's routing records: which tenant a recipient key belongs to (services/dids.ts
// registers hosted did:web keys, which the module would not).
export { TenantRoutingRecord, TenantRoutingRepository } from '@credo-ts/tenants/build/repository'
// An Indy VDR pool: its write preparation (patches/indyTaaPerTenant.ts) and TAA reads.
export { IndyVdrPool, type AuthorAgreement } from '@credo-ts/indy-vdr/build/pool/IndyVdrPool'
// Revocation notification messages (RFC 0183 v1, RFC 0721 v2) and Credo's handlers of them, which
// agent/revocationNotifications.ts replaces.
export { V1RevocationNotificationMessage, V2RevocationNotificationMessage } from '@credo-ts/core/build/modules/credentials/protocol/revocation-notification/messages'
export { V1RevocationNotificationHandler, V2RevocationNotificationHandler } from '@credo-ts/core/build/modules/credentials/protocol/revocation-notification/handlers'
// The AnonCreds issuer on anoncreds-rs, whose credentials patches/legacyRevocationRegistryIds.ts names.
export { AnonCredsRsIssuerService } from '@credo-ts/anoncreds/build/anoncreds-rs/AnonCredsRsIssuerService'
// The RFC 0441 interval check every AnonCreds proof path calls through this module's exports,
// which patches/revocationIntervals.ts relaxes: the module object itself (CommonJS, writable), not
// an import's namespace copy.
export const credoRevocationInterval = createRequire(__filename)('@credo-ts/anoncreds/build/utils/revocationInterval') as {
  assertBestPracticeRevocationInterval: (interval: { from?: number; to?: number }) => void
}
// The AnonCreds holder on anoncreds-rs, whose proofs patches/mixedIndyIdentifiers.ts completes.
export { AnonCredsRsHolderService } from '@credo-ts/anoncreds/build/anoncreds-rs/AnonCredsRsHolderService'
// How Credo's Indy VDR registry spells the did:indy names it registers objects under
// (agent/indyIdentifiers.ts turns unqualified ids back into them).
export { getDidIndyCredentialDefinitionId, getDidIndyRevocationRegistryDefinitionId } from '@credo-ts/indy-vdr/build/anoncreds/utils/identifiers'
// How Credo's cheqd resolver picks the version of a DID-linked resource in force at a time, which
// patches/cheqdResourceVersionTime.ts corrects: the module object (CommonJS, writable), which the
// resolver reads the function from at each call.
export const credoCheqdResourceVersions = createRequire(__filename)('@credo-ts/cheqd/build/dids/didCheqdUtil') as {
  getClosestResourceVersion: <T extends { created?: Date }>(resources: T[], date: Date) => T | undefined
}
// The tenants module's session coordinator and context provider, which patches/warmTenantContexts.ts
// makes keep a tenant's context open between requests, and the storage version check every agent
// (a tenant agent at each request) runs on initialize.
export { TenantSessionCoordinator } from '@credo-ts/tenants/build/context/TenantSessionCoordinator'
export { TenantAgentContextProvider } from '@credo-ts/tenants/build/context/TenantAgentContextProvider'
export { StorageUpdateService } from '@credo-ts/core/build/storage/migration/StorageUpdateService'
