// What every room's declarations are given: configuration, the agent, the services, and the app's
// own route list (for its documentation). Types only, apart from rooms.ts, so rooms import it without a cycle.
import type { CredenceAgent } from '../agent/createAgent'
import type { Config } from '../config'
import type { AppLogger } from '../logger'
import type { ApiKeyService } from '../services/apiKeys'
import type { TenantEventBus } from '../events/tenantEvents'
import type { AnonCredsService } from '../services/anoncreds'
import type { RevocationService } from '../services/revocation'
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
import type { Route } from './route'

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
  /** Every route the app serves (for its own documentation, http/docRoutes.ts). */
  routes(): readonly Route[]
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
  revocation: RevocationService
  credentials: CredentialService
  proofs: ProofService
  holderCredentials: HolderCredentialService
  jsonLdContexts: JsonLdContextService
  controllerInvitations: ControllerInvitationService
  controllerMessages: ControllerMessageService
  controllerRequests: ControllerRequestService
  emailVerification: EmailVerificationService
}
