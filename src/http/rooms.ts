// The explicit list of route rooms mounted on the admin app; a room is added here, never autoloaded.
import type { RequestHandler, Router } from 'express'

import type { CredenceAgent } from '../agent/createAgent'
import { anonCredsRoutes } from '../acapy/anoncreds/routes'
import { connectionRoutes } from '../acapy/connections/routes'
import { didExchangeRoutes } from '../acapy/didexchange/routes'
import { discoveryRoutes } from '../acapy/discovery/routes'
import { credentialRoutes } from '../acapy/credentials/routes'
import { issueCredentialRoutes } from '../acapy/issueCredential/routes'
import { jsonLdRoutes } from '../acapy/jsonld/routes'
import { legacyAnonCredsRoutes } from '../acapy/legacyAnonCreds/routes'
import { presentProofRoutes } from '../acapy/presentProof/routes'
import { ledgerRoutes } from '../acapy/ledger/routes'
import { multitenancyRoutes } from '../acapy/multitenancy/routes'
import { outOfBandRoutes } from '../acapy/outOfBand/routes'
import { resolverRoutes } from '../acapy/resolver/routes'
import { settingsRoutes } from '../acapy/settings/routes'
import { statusRoutes } from '../acapy/status/routes'
import { walletRoutes } from '../acapy/wallet/routes'
import { webhookRoutes } from '../acapy/webhooks/routes'
import { controllerAnonCredsRoutes } from '../controller/anoncreds/routes'
import { controllerConnectionRoutes } from '../controller/connections/routes'
import { controllerCredentialRoutes } from '../controller/credentials/routes'
import { controllerVerificationRoutes } from '../controller/verifications/routes'
import { controllerPresentationRoutes } from '../controller/presentations/routes'
import { controllerEmailRoutes } from '../controller/emails/routes'
import { controllerEventRoutes } from '../controller/events/routes'
import { controllerInvitationRoutes } from '../controller/invitations/routes'
import { controllerMessageRoutes } from '../controller/messages/routes'
import { controllerWalletRoutes } from '../controller/wallet/routes'
import { controllerApiKeyRoutes } from '../controller/apikeys/routes'
import { controllerSubwalletRoutes } from '../controller/subwallets/routes'
import { consoleRoutes } from './consoleRoutes'
import { docRoutes } from './docRoutes'
import { landingRoutes } from './landingRoutes'
import type { Config } from '../config'
import type { AppLogger } from '../logger'
import type { ApiKeyService } from '../services/apiKeys'
import type { TenantEventBus } from '../events/tenantEvents'
import type { AnonCredsService } from '../services/anoncreds'
import type { ConnectionService } from '../services/connections'
import type { ControllerInvitationService } from '../services/controllerInvitations'
import type { ControllerMessageService } from '../services/controllerMessages'
import type { ControllerRequestService } from '../services/controllerRequests'
import type { EmailVerificationService } from '../services/emailVerification'
import type { CredentialService } from '../services/credentials'
import type { DidService } from '../services/dids'
import type { DiscoveryService } from '../services/discovery'
import type { HolderCredentialService } from '../services/holderCredentials'
import type { InvitationLinkService } from '../services/invitationLinks'
import type { JsonLdContextService } from '../services/jsonLdContexts'
import type { LedgerService } from '../services/ledger'
import type { OutOfBandService } from '../services/outOfBand'
import type { ProofService } from '../services/proofs'
import type { ResolverService } from '../services/resolver'
import type { WalletService } from '../services/wallets'
import type { WebhookTargetService } from '../services/webhookTargets'
import type { WebhookDeliveries } from '../webhooks/deliveryLog'
import { namingErrorsAs } from './route'
import { acapyFace } from '../acapy/face'

export interface Lifecycle {
  /** False once shutdown has closed the servers. */
  alive: boolean
  /** True between a finished start and the beginning of shutdown. */
  ready: boolean
}

export interface RoomDeps {
  config: Config
  logger: AppLogger
  agent: CredenceAgent
  lifecycle: Lifecycle
  version: string
  services: Services
  /** Admin key in `x-api-key`. */
  requireAdmin: RequestHandler
  /** A tenant credential; sets res.locals.principal (see http/auth.ts). */
  requireTenant: RequestHandler
  /** Proven base API key in `x-api-key`. */
  requireBaseKey: RequestHandler
  /** Proven wallet API key in `x-api-key` (or the admin key with `x-wallet-id`); sets res.locals.principal. */
  requireWalletKey: RequestHandler
  /** requireWalletKey, but the admin key may come without a wallet (then no principal is set). */
  requireWalletKeyOrAdmin: RequestHandler
  /** Base key, admin key or a wallet key; sets res.locals.keyActor for the API key service to authorize. */
  requireKeyManager: RequestHandler
}

export interface Services {
  wallets: WalletService
  apiKeys: ApiKeyService
  connections: ConnectionService
  outOfBand: OutOfBandService
  dids: DidService
  discovery: DiscoveryService
  invitationLinks: InvitationLinkService
  events: TenantEventBus
  webhookTargets: WebhookTargetService
  webhookDeliveries: WebhookDeliveries
  resolver: ResolverService
  ledger: LedgerService
  anoncreds: AnonCredsService
  credentials: CredentialService
  proofs: ProofService
  holderCredentials: HolderCredentialService
  jsonLdContexts: JsonLdContextService
  controllerInvitations: ControllerInvitationService
  controllerMessages: ControllerMessageService
  controllerRequests: ControllerRequestService
  emailVerification: EmailVerificationService
}

export const ROOMS: ReadonlyArray<(deps: RoomDeps) => Router> = [
  statusRoutes,
  multitenancyRoutes,
  settingsRoutes,
  outOfBandRoutes,
  didExchangeRoutes,
  connectionRoutes,
  walletRoutes,
  discoveryRoutes,
  resolverRoutes,
  ledgerRoutes,
  anonCredsRoutes,
  legacyAnonCredsRoutes,
  // Until these two are declared, their errors are named here as mountRoutes names the others'.
  (deps) => namingErrorsAs(acapyFace, issueCredentialRoutes(deps)),
  (deps) => namingErrorsAs(acapyFace, presentProofRoutes(deps)),
  credentialRoutes,
  jsonLdRoutes,
  webhookRoutes,
  controllerSubwalletRoutes,
  controllerApiKeyRoutes,
  controllerConnectionRoutes,
  controllerInvitationRoutes,
  controllerMessageRoutes,
  controllerCredentialRoutes,
  controllerVerificationRoutes,
  controllerPresentationRoutes,
  controllerEmailRoutes,
  controllerEventRoutes,
  controllerWalletRoutes,
  controllerAnonCredsRoutes,
  docRoutes,
  consoleRoutes,
  landingRoutes,
]
