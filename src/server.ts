// Starts and stops a whole Credence instance: agent (with its DIDComm endpoint) and admin API.
// main.ts owns the process (signals, exit codes); tests and benchmarks may use this directly.
import type { Express } from 'express'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

import { openAgent, type CredenceAgent } from './agent/createAgent'
import { InvitationGateway } from './agent/invitationGate'
import { retryReadsOfRecentWrites } from './agent/patches/indyReadYourWrites'
import { signIndyWritesWithTenantTaa } from './agent/patches/indyTaaPerTenant'
import { closeIdleTenantContexts } from './agent/patches/warmTenantContexts'
import { loadIndyNetworks } from './agent/indyNetworks'
import { createApp } from './app'
import { SETTINGS, type Config } from './config'
import { serveAdminSocket } from './http/adminSocket'
import { closeServer } from './http/closeServer'
import { listen } from './http/listen'
import type { Lifecycle, Services } from './http/roomDeps'
import type { AppLogger } from './logger'
import type { BootSecrets } from './secrets'
import { acapyEventMapper } from './acapy/events'
import { flagOf } from './acapy/multitenancy/extraSettings'
import { controllerEventMapper } from './controller/events/mappers'
import { followControllerWorkflow } from './events/controllerWorkflow'
import { bridgeCredoEvents } from './events/credoBridge'
import { beginServerRun, recoverMissedEvents } from './events/recovery'
import { tenantEventBus } from './events/tenantEvents'
import { publicRoutes } from './public/routes'
import { anonCredsService } from './services/anoncreds'
import { revocationService } from './services/revocation'
import { apiKeyService } from './services/apiKeys'
import { connectionService } from './services/connections'
import { controllerInvitationService } from './services/controllerInvitations'
import { controllerMessageService } from './services/controllerMessages'
import { controllerRequestService } from './services/controllerRequests'
import { emailVerificationService } from './services/emailVerification'
import { credentialService } from './services/credentials'
import { didService, publicDidOf } from './services/dids'
import { discoveryService } from './services/discovery'
import { holderCredentialService } from './services/holderCredentials'
import { jsonLdContextService } from './services/jsonLdContexts'
import { invitationLinkService } from './services/invitationLinks'
import { ledgerService } from './services/ledger'
import { outOfBandService } from './services/outOfBand'
import { proofService } from './services/proofs'
import { resolverService } from './services/resolver'
import { stalledExchangeService } from './services/stalledExchanges'
import { acceptImplicitRequests } from './services/implicitRequests'
import { respondAutomatically } from './services/autoResponses'
import { tenantService } from './services/tenants'
import { walletService } from './services/wallets'
import { webhookTargetService } from './services/webhookTargets'
import { claimDataDir } from './store/dataDirLock'
import { openRelationalStore } from './store/open'
import { version } from './version'
import { webhookOutbox } from './webhooks/outbox'

export interface RunningServer {
  agent: CredenceAgent
  /** The admin app, for tests that enumerate its routes. */
  app: Express
  adminAddress: AddressInfo
  inboundAddress: AddressInfo
  stop(): Promise<void>
}

export async function startServer(config: Config, secrets: BootSecrets, logger: AppLogger): Promise<RunningServer> {
  // A SQLite data directory has one owner process at a time; a dead owner's locks are cleared.
  const dataDir = config.databaseUrl ? undefined : claimDataDir(path.resolve(config.dataDir))
  if (dataDir?.reclaimed) logger.warn({ dataDir: config.dataDir }, 'the last run did not stop cleanly; its leftover locks were cleared')
  try {
    const server = await startClaimed(config, secrets, logger)
    return { ...server, stop: () => server.stop().finally(() => dataDir?.release()) }
  } catch (error) {
    dataDir?.release()
    throw error
  }
}

async function startClaimed(config: Config, secrets: BootSecrets, logger: AppLogger): Promise<RunningServer> {
  const lifecycle: Lifecycle = { alive: true, ready: false }
  const indyNetworks = await loadIndyNetworks(config)
  // The stores first: the relational store (on PostgreSQL it makes the database, which Askar shares),
  // then the agent with its wallet open; the agent takes no messages until everything that hears
  // of them is in place (agent.start below).
  const store = await openRelationalStore(config, logger)
  const opened = await openAgent(config, secrets, logger, indyNetworks, store).catch(async (error: unknown) => {
    await store.close()
    throw error
  })
  const { agent, inbound, hosted, tailsFiles, jsonLdContexts } = opened
  const tenants = tenantService(agent)
  const { endpoint } = config
  const wallets = walletService({ store, tenants, jwtSecret: secrets.jwtSecret, tokenTtlSeconds: config.tenantTokenTtl })
  const webhookTargets = webhookTargetService({ wallets, baseTargets: config.webhookUrls ?? [], hmacSecret: secrets.hmacSecret })
  const outbox = webhookOutbox({
    store,
    logger,
    hmacSecret: secrets.hmacSecret,
    origin: config.label,
    retryMs: config.webhookRetryMs,
    maxAttempts: config.webhookMaxAttempts,
    logHours: config.webhookLogHours,
    targetsOf: webhookTargets.targetsOf,
  })
  // Where events go and how they are shown follow the wallet's settings.
  const events = tenantEventBus({
    sink: outbox,
    hasTargets: async (walletId) => (await webhookTargets.targetsOf(walletId)).length > 0,
    logger,
    faces: [acapyEventMapper({ debugWebhooks: webhookTargets.debugWebhooks, walletType: async (walletId) => (await webhookTargets.walletOf(walletId))?.walletType }), controllerEventMapper],
  })
  wallets.onCredentialsRevoked((walletId) => events.closeWallet(walletId))
  const bridge = bridgeCredoEvents({ agent, tenants, bus: events })
  const run = await beginServerRun(store)
  const stalled = stalledExchangeService({
    wallets,
    tenants,
    logger,
    handshakeTimeoutMs: config.handshakeTimeoutSeconds * 1000,
    exchangeTimeoutMs: config.exchangeTimeoutSeconds * 1000,
  })
  const ledger = ledgerService({ agent, tenants, store, networks: indyNetworks, publicDidOf: (walletId) => publicDidOf(store, walletId) })
  if (ledger.configured()) {
    signIndyWritesWithTenantTaa(agent.context, ledger.acceptanceOf)
    retryReadsOfRecentWrites(agent.context)
  }
  const dids = didService({ agent, tenants, store, hosted, endpoint, ledger, cheqdNetworks: config.cheqdNetworks ?? [] })
  const invitationLinks = invitationLinkService({ store, endpoint })
  const connections = connectionService({ tenants, dids, events, endpoint })
  const stopImplicitRequests = acceptImplicitRequests({
    agent,
    connections,
    tenants,
    autoAccepts: async (walletId) => flagOf(await webhookTargets.settingsOf(walletId), 'debug.auto_accept_requests') ?? config.autoAcceptRequests,
    logger,
  })
  const outOfBand = outOfBandService({ tenants, dids, events, links: invitationLinks, endpoint })
  const discovery = discoveryService({ tenants, events })
  const controllerInvitations = controllerInvitationService({ store, outOfBand, connections, discovery })
  const controllerMessages = controllerMessageService({ store, connections, invitations: controllerInvitations, logger })
  const revocation = revocationService({ tenants, store, tailsFiles, events, logger })
  const anoncreds = anonCredsService({
    tenants,
    revocation,
    publicDidOf: dids.publicDidOf,
    hostOf: (did) => hosted.ownerOf(did),
    indyIssuer: ledger.anonCredsIssuer,
    cheqdNetworks: config.cheqdNetworks ?? [],
  })
  const credentials = credentialService({ tenants, events, revocation })
  const proofs = proofService({ tenants, events })
  const stopAutoResponses = respondAutomatically({ agent, connections, credentials, walletOf: webhookTargets.walletOf, logger })
  const controllerRequests = controllerRequestService({
    store,
    invitations: controllerInvitations,
    credentials,
    proofs,
    anoncreds,
    events,
    logger,
  })
  const emailVerification = emailVerificationService({
    smtpUrl: config.smtpUrl,
    from: config.smtpFrom,
    invitations: controllerInvitations,
    requests: controllerRequests,
    anoncreds,
    links: invitationLinks,
    publicDidOf: dids.publicDidOf,
    logger,
  })
  new InvitationGateway(logger, controllerInvitations.admit).install(agent)
  const workflow = followControllerWorkflow({ agent, records: { invitations: controllerInvitations, messages: controllerMessages, requests: controllerRequests }, logger })
  const services: Services = {
    wallets,
    apiKeys: apiKeyService({ store, hmacSecret: secrets.hmacSecret }),
    connections,
    outOfBand,
    dids,
    discovery,
    invitationLinks,
    events,
    webhookTargets,
    webhookDeliveries: outbox.deliveries,
    resolver: resolverService(tenants),
    ledger,
    anoncreds,
    revocation,
    credentials,
    proofs,
    holderCredentials: holderCredentialService({ tenants, events }),
    jsonLdContexts: jsonLdContextService({ contexts: jsonLdContexts }),
    controllerInvitations,
    controllerMessages,
    controllerRequests,
    emailVerification,
  }
  inbound.servePublic(
    publicRoutes({
      links: invitationLinks,
      hosted,
      endpoint,
      tailsFile: revocation.publicTailsFile,
    }),
  )
  /** Undoes what started, for a boot that fails part way. */
  const abandon = async () => {
    bridge.stop()
    stopImplicitRequests()
    stopAutoResponses()
    await workflow.stop()
    await outbox.stop()
    await agent.shutdown().catch(() => undefined)
    await store.close()
  }
  const app = createApp({
    config,
    logger,
    agent,
    services,
    lifecycle,
    version,
    adminApiKey: secrets.adminApiKey,
    baseApiKey: secrets.baseApiKey,
  })
  const adminServer = http.createServer(app)
  const closeAdminSockets = serveAdminSocket(adminServer, {
    events,
    wallets,
    adminApiKey: secrets.adminApiKey,
    insecureMode: config.adminInsecureMode,
    settings: { label: config.label, endpoint: config.endpoint },
    logger,
  })
  try {
    await opened.start()
    outbox.start()
    await listen(adminServer, {
      port: config.adminPort,
      host: config.adminHost,
      portSetting: SETTINGS.adminPort.env,
      hostSetting: SETTINGS.adminHost.env,
    })
  } catch (error) {
    await abandon()
    throw error
  }
  const adminAddress = adminServer.address() as AddressInfo
  lifecycle.ready = true
  // Messages that became deliverable while the server was down; not awaited: they may take a while.
  void controllerMessages.sweep().catch((error: Error) => logger.error({ err: error }, 'controller message sweep failed'))
  void controllerRequests.sweep().catch((error: Error) => logger.error({ err: error }, 'controller request record sweep failed'))
  void stalled.resume().catch((error: Error) => logger.error({ err: error }, 'resuming interrupted handshakes failed'))
  stalled.start()
  if (run.crashedSince) {
    void recoverMissedEvents({ store, wallets, tenants, bridge, events, revocation, hasTargets: async (walletId) => (await webhookTargets.targetsOf(walletId)).length > 0, since: run.crashedSince, logger }).catch(
      (error: Error) => logger.error({ err: error }, 'recovering the events of the last run failed'),
    )
  }
  logger.info({ admin: adminAddress, inbound: inbound.address, endpoint: config.endpoint }, 'Credence ready')

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      lifecycle.ready = false
      // Admin first (no new work), then the agent, which stops the DIDComm endpoint after its
      // in-flight messages and closes the Askar store; the events those produced are written to
      // the outbox, and then our store is closed whatever happened before.
      try {
        events.close()
        closeAdminSockets()
        await closeServer(adminServer, config.shutdownTimeoutMs)
        await stalled.stop()
        await events.drain()
        await closeIdleTenantContexts()
        await agent.shutdown()
      } finally {
        bridge.stop()
        stopImplicitRequests()
        stopAutoResponses()
        await workflow.stop()
        await events.drain()
        await outbox.stop()
        // Everything reported is in the outbox now: the next boot need not look for missed events.
        await run.end().catch((error: Error) => logger.error({ err: error }, 'could not record the clean stop'))
        await store.close()
        lifecycle.alive = false
      }
      logger.info('Credence stopped')
    })())

  return { agent, app, adminAddress, inboundAddress: inbound.address, stop }
}
