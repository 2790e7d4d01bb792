// Builds the root Credo agent: Askar in multi-wallet ProfilePerWallet mode (each tenant is a
// profile in one store), the tenants module sized from config, a cache that is safe with many
// tenant contexts, and our own inbound transport. Protocol modules arrive with the issues that
// use them; what is here is what every tenant needs from the first start.
import {
  Agent,
  CacheModule,
  ConnectionsModule,
  CredentialsModule,
  AutoAcceptCredential,
  AutoAcceptProof,
  ProofsModule,
  DidsModule,
  HttpOutboundTransport,
  InMemoryLruCache,
  JwkDidRegistrar,
  JwkDidResolver,
  KeyDidRegistrar,
  KeyDerivationMethod,
  KeyDidResolver,
  PeerDidNumAlgo,
  PeerDidRegistrar,
  V2CredentialProtocol,
  WsOutboundTransport,
  type WalletConfig,
} from '@credo-ts/core'
import {
  AnonCredsCredentialFormatService,
  AnonCredsModule,
  AnonCredsProofFormatService,
  LegacyIndyCredentialFormatService,
  LegacyIndyProofFormatService,
} from '@credo-ts/anoncreds'
import { AskarModule, AskarMultiWalletDatabaseScheme } from '@credo-ts/askar'
import { CheqdAnonCredsRegistry, CheqdDidRegistrar, CheqdDidResolver, CheqdModule } from '@credo-ts/cheqd'
import {
  IndyVdrAnonCredsRegistry,
  IndyVdrIndyDidRegistrar,
  IndyVdrIndyDidResolver,
  IndyVdrModule,
  IndyVdrSovDidResolver,
} from '@credo-ts/indy-vdr'
import { agentDependencies } from '@credo-ts/node'
import { TenantsModule } from '@credo-ts/tenants'
import { anoncreds } from '@hyperledger/anoncreds-nodejs'
import { ariesAskar } from '@hyperledger/aries-askar-nodejs'
import { indyVdr } from '@hyperledger/indy-vdr-nodejs'
import fs from 'node:fs'
import path from 'node:path'

import { postgresDatabaseName, type Config } from '../config'
import { CredoPinoLogger, type AppLogger } from '../logger'
import type { BootSecrets } from '../secrets'
import type { Store } from '../store/db'
import { mendAskarWrapper } from './patches/askarWrapper'
import { checkPatches } from './patches'
import { installConnectionBirthHook } from './patches/connectionBirth'
import { handleDidExchangeProblemReports } from './didExchangeProblemReports'
import { HostedAnonCredsRegistry } from './hostedAnonCredsRegistry'
import { cheqdNetworks } from './cheqdNetworks'
import { HostedDidWeb } from './hostedDidWeb'
import { CredenceW3cCredentialsModule, InteropJsonLdCredentialFormatService, offlineDocumentLoader, TenantJsonLdContexts } from './jsonLd'
import { registerMessageHandlersOnce } from './patches/messageHandlers'
import { reuseOnlyCompletedConnections } from './patches/connectionReuse'
import { labelAnonCredsAttachmentsAsAcaPy } from './patches/anonCredsFormatLabels'
import { nameRevocationRegistriesAsCredentialDefinitions } from './patches/legacyRevocationRegistryIds'
import { nameCheqdRegistriesApart } from './patches/cheqdRegistryNames'
import { readCheqdResourcesAsOfTheirTime } from './patches/cheqdResourceVersionTime'
import { keepTenantContextsWarm } from './patches/warmTenantContexts'
import { proveAnyIntervalAtItsEnd } from './patches/revocationIntervals'
import { issueRevocableInTheIndyFormat } from './patches/legacyIndyRevocation'
import { keepInvalidPresentationsAsReceived } from './patches/invalidPresentationsKept'
import { presentUnderEitherIndyName } from './patches/mixedIndyIdentifiers'
import { InteropDifPresentationExchangeProofFormatService, InteropPresentationExchangeModule } from './presentationExchange'
import { InteropV2ProofProtocol } from './proofRequestProblems'
import { poolConfigs } from './indyLedger'
import type { IndyNetwork } from './indyNetworks'
import { threadResponsesToInvitation } from './patches/didExchangeResponses'
import { acceptLegacyDidExchangeRequests, ReceivedLegacyDidResolver } from './patches/legacyDidExchange'
import { DidCommInboundTransport } from './inboundTransport'
import { CachingPeerDidResolver } from './peerDidResolver'
import { CredenceWebDidResolver } from './webDidResolver'
import { CredenceTailsFileService } from './tailsFiles'
import { observeRevocationNotifications } from './revocationNotifications'

const KEY_DERIVATION: Record<Config['walletKeyDerivation'], KeyDerivationMethod> = {
  'argon2i-mod': KeyDerivationMethod.Argon2IMod,
  'argon2i-int': KeyDerivationMethod.Argon2IInt,
  raw: KeyDerivationMethod.Raw,
}

/** Where the base wallet lives: a SQLite file in the data dir, or the PostgreSQL database named in the URL. */
export function baseWalletConfig(config: Config, secrets: BootSecrets): WalletConfig {
  const keyDerivationMethod = KEY_DERIVATION[secrets.walletKeyDerivation]
  const maxConnections = config.dbMaxConnections
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl)
    const database = postgresDatabaseName(config.databaseUrl)
    const account = decodeURIComponent(url.username)
    const password = decodeURIComponent(url.password)
    return {
      // Askar's PostgreSQL backend names the database after the wallet id.
      id: database,
      key: secrets.walletKey,
      keyDerivationMethod,
      storage: {
        type: 'postgres',
        config: { host: url.port ? `${url.hostname}:${url.port}` : url.hostname, maxConnections },
        credentials: { account, password, adminAccount: account, adminPassword: password },
      },
    }
  }
  return {
    id: 'credence',
    key: secrets.walletKey,
    keyDerivationMethod,
    storage: { type: 'sqlite', config: { path: sqliteStorePath(config), maxConnections } },
  }
}

export function sqliteStorePath(config: Config): string {
  return path.resolve(config.dataDir, 'askar', 'credence.sqlite')
}

function buildModules(
  config: Config,
  hosted: HostedDidWeb,
  jsonLdContexts: TenantJsonLdContexts,
  tailsFiles: CredenceTailsFileService,
  indyNetworks: IndyNetwork[],
  rootContextId: () => string | undefined,
) {
  const cache = new CacheModule({ cache: new InMemoryLruCache({ limit: config.cacheSize }) })
  const [firstPool, ...morePools] = poolConfigs(indyNetworks)
  // Indy VDR only when a network is configured: with none, did:indy is an unsupported method and
  // did:sov resolves only the documents legacy peers gave us.
  const indy = firstPool
    ? {
        module: new IndyVdrModule({ indyVdr, networks: [firstPool, ...morePools] }),
        sovResolver: new IndyVdrSovDidResolver(),
        resolvers: [new IndyVdrIndyDidResolver()],
        registrars: [new IndyVdrIndyDidRegistrar()],
        registries: [new IndyVdrAnonCredsRegistry()],
      }
    : undefined
  // cheqd likewise only when a network is chosen: its module dials the RPC nodes at start.
  const cheqdConfigured = cheqdNetworks(config)
  const cheqd = cheqdConfigured.length
    ? {
        module: new CheqdModule({ networks: cheqdConfigured }),
        resolvers: [new CheqdDidResolver()],
        registrars: [new CheqdDidRegistrar()],
        registries: [new CheqdAnonCredsRegistry()],
      }
    : undefined
  const shared = {
    // The default cache is bound to one agent context and throws once a second tenant uses it.
    cache,
    // did:peer:4 for our requests, as ACA-Py 1.x uses; responses follow the requester's choice.
    connections: new ConnectionsModule({
      autoAcceptConnections: false,
      peerNumAlgoForDidExchangeRequests: PeerDidNumAlgo.ShortFormAndLongForm,
    }),
    // issue-credential 2.0 in the AnonCreds formats (`anoncreds`, and ACA-Py's legacy `indy`) and
    // JSON-LD (ACA-Py's `ld_proof`); each exchange says whether it auto-accepts (ACA-Py's
    // auto_issue), so the default is never.
    credentials: new CredentialsModule({
      autoAcceptCredentials: AutoAcceptCredential.Never,
      credentialProtocols: [
        new V2CredentialProtocol({
          credentialFormats: [new LegacyIndyCredentialFormatService(), new AnonCredsCredentialFormatService(), new InteropJsonLdCredentialFormatService()],
        }),
      ],
    }),
    // present-proof 2.0 in the same formats, JSON-LD through DIF presentation exchange (`dif`);
    // ACA-Py's auto_verify is per exchange.
    proofs: new ProofsModule({
      autoAcceptProofs: AutoAcceptProof.Never,
      proofProtocols: [
        new InteropV2ProofProtocol({
          proofFormats: [new LegacyIndyProofFormatService(), new AnonCredsProofFormatService(), new InteropDifPresentationExchangeProofFormatService()],
        }),
      ],
    }),
    // DIF presentation definitions read as ACA-Py writes them (expanded types as schema URIs).
    pex: new InteropPresentationExchangeModule(),
    // JSON-LD signing and verifying, offline: shipped and tenant-uploaded contexts, DIDs resolved.
    w3cCredentials: new CredenceW3cCredentialsModule({ documentLoader: offlineDocumentLoader(jsonLdContexts, rootContextId) }),
    // Passing resolvers and registrars replaces the defaults, so every method is listed.
    dids: new DidsModule({
      resolvers: [
        new CachingPeerDidResolver(),
        new KeyDidResolver(),
        new JwkDidResolver(),
        new CredenceWebDidResolver({ allowHttp: config.didWebAllowHttp, hosted }),
        new ReceivedLegacyDidResolver(indy?.sovResolver),
        ...(indy?.resolvers ?? []),
        ...(cheqd?.resolvers ?? []),
      ],
      registrars: [new KeyDidRegistrar(), new PeerDidRegistrar(), new JwkDidRegistrar(), ...(indy?.registrars ?? []), ...(cheqd?.registrars ?? [])],
    }),
    // AnonCreds objects live, by default, under the tenants' hosted did:web (no ledger needed);
    // the issuer id's method picks the registry.
    anoncreds: new AnonCredsModule({
      registries: [
        new HostedAnonCredsRegistry(hosted, { allowHttp: config.didWebAllowHttp }),
        ...(indy?.registries ?? []),
        ...(cheqd?.registries ?? []),
      ],
      anoncreds,
      tailsFileService: tailsFiles,
    }),
    ...(indy ? { indyVdr: indy.module } : {}),
    ...(cheqd ? { cheqd: cheqd.module } : {}),
  }
  return {
    ...shared,
    askar: new AskarModule({
      ariesAskar,
      multiWalletDatabaseScheme: AskarMultiWalletDatabaseScheme.ProfilePerWallet,
    }),
    tenants: new TenantsModule<typeof shared>({
      sessionLimit: config.tenantSessionLimit,
      sessionAcquireTimeout: config.tenantSessionAcquireTimeoutMs,
    }),
  }
}

export type CredenceAgent = Agent<ReturnType<typeof buildModules>>

export interface AgentHandle {
  agent: CredenceAgent
  inbound: DidCommInboundTransport
  hosted: HostedDidWeb
  tailsFiles: CredenceTailsFileService
  jsonLdContexts: TenantJsonLdContexts
}

/** An agent whose base wallet is open and which takes no messages yet: `start` starts it. */
export interface OpenedAgent extends AgentHandle {
  /**
   * Starts the agent (storage update, modules, the DIDComm endpoint). Event listeners and the
   * invitation gate are installed before this, so nothing the agent does goes unseen.
   */
  start(): Promise<void>
}

/**
 * Askar's PostgreSQL driver sometimes fails to connect on a loaded machine ("error communicating
 * with database: Transport endpoint is not connected"); such a step is retried.
 */
const BOOT_ATTEMPTS = 3
const isTransientStoreError = (error: unknown): boolean => {
  for (let current = error as { message?: string; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (current.message?.includes('error communicating with database')) return true
  }
  return false
}

async function withRetry<T>(logger: AppLogger, what: string, attempt: () => Promise<T>): Promise<T> {
  for (let number = 1; ; number++) {
    try {
      return await attempt()
    } catch (error) {
      if (number >= BOOT_ATTEMPTS || !isTransientStoreError(error)) throw error
      logger.warn({ err: error, attempt: number }, `store connection failed while ${what}; retrying`)
      await new Promise((resolve) => setTimeout(resolve, 1000 * number))
    }
  }
}

/**
 * Builds the agent and opens its base wallet (made on first start, reopened after); the agent is
 * started later by `start`. `store` is the relational store, already open: the hosted did:web
 * documents and uploaded JSON-LD contexts live there (without it, none are).
 */
export async function openAgent(config: Config, secrets: BootSecrets, logger: AppLogger, indyNetworks: IndyNetwork[], store?: Store): Promise<OpenedAgent> {
  // Before any patch is installed: a patched member an upgrade removed stops the boot here.
  for (const warning of checkPatches()) logger.warn(warning)
  mendAskarWrapper()
  // A failed open leaves nothing behind; the next attempt builds a fresh agent.
  const handle = await withRetry(logger, 'opening the base wallet', () => openAgentOnce(config, secrets, logger, indyNetworks, store))
  const { agent } = handle
  return {
    ...handle,
    start: () =>
      withRetry(logger, 'starting the agent', async () => {
        try {
          await agent.initialize()
        } catch (error) {
          if (!isTransientStoreError(error)) await agent.shutdown().catch(() => undefined)
          throw error
        }
      }),
  }
}

/** Opens and starts an agent on its own (no relational store, no invitation rules). */
export async function createAgent(config: Config, secrets: BootSecrets, logger: AppLogger, indyNetworks: IndyNetwork[]): Promise<AgentHandle> {
  const { start, ...handle } = await openAgent(config, secrets, logger, indyNetworks)
  await start()
  return handle
}

/**
 * On PostgreSQL the relational store made the database before the agent, so a first start finds
 * it without Askar's tables, which Askar's open takes for a broken store rather than a missing
 * one: then the wallet is made rather than opened.
 */
async function hasAskarTables(config: Config, store?: Store): Promise<boolean> {
  if (!config.databaseUrl || !store) return true
  const row = await store.get<{ found: number | string }>(
    "SELECT COUNT(*) AS found FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'config'",
  )
  return Number(row?.found) > 0
}

/** Tails files live in the data dir, per wallet; the public endpoint serves the issuers' ones. */
const tailsFileService = (config: Config) =>
  new CredenceTailsFileService({
    directory: path.resolve(config.dataDir, 'tails'),
    publicEndpoint: config.endpoint,
    allowHttp: config.didWebAllowHttp,
    ...(config.tailsServerBaseUrl ? { tailsServer: { baseUrl: config.tailsServerBaseUrl, uploadUrl: config.tailsServerUploadUrl ?? config.tailsServerBaseUrl } } : {}),
  })

async function openAgentOnce(config: Config, secrets: BootSecrets, logger: AppLogger, indyNetworks: IndyNetwork[], store?: Store): Promise<AgentHandle> {
  if (!config.databaseUrl) fs.mkdirSync(path.dirname(sqliteStorePath(config)), { recursive: true, mode: 0o700 })
  const hosted = new HostedDidWeb(store)
  const jsonLdContexts = new TenantJsonLdContexts(store)
  const tailsFiles = tailsFileService(config)
  // The root context has no uploaded contexts; known once the agent exists.
  let rootContextId: string | undefined
  const walletConfig = baseWalletConfig(config, secrets)
  const agent: CredenceAgent = new Agent({
    config: {
      label: config.label,
      walletConfig,
      endpoints: [config.endpoint, ...(config.wsEndpoint ? [config.wsEndpoint] : [])],
      logger: new CredoPinoLogger(logger),
      processDidCommMessagesConcurrently: config.processMessagesConcurrently,
      autoUpdateStorageOnStartup: true,
    },
    dependencies: agentDependencies,
    modules: buildModules(config, hosted, jsonLdContexts, tailsFiles, indyNetworks, () => rootContextId),
  })
  rootContextId = agent.context.contextCorrelationId
  const inbound = new DidCommInboundTransport({
    host: config.inboundHost,
    port: config.inboundPort,
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    limits: {
      maxMessageBytes: config.inboundMaxMessageBytes,
      maxConnectionsPerAddress: config.inboundMaxConnectionsPerAddress,
      idleTimeoutMs: config.inboundIdleTimeoutSeconds * 1000,
      requestTimeoutMs: config.inboundRequestTimeoutSeconds * 1000,
    },
    processConcurrently: config.processMessagesConcurrently,
  })
  agent.registerInboundTransport(inbound)
  agent.registerOutboundTransport(new HttpOutboundTransport())
  agent.registerOutboundTransport(new WsOutboundTransport())
  installConnectionBirthHook(agent)
  registerMessageHandlersOnce(agent)
  observeRevocationNotifications(agent)
  reuseOnlyCompletedConnections()
  handleDidExchangeProblemReports(agent)
  threadResponsesToInvitation(agent)
  acceptLegacyDidExchangeRequests(agent)
  labelAnonCredsAttachmentsAsAcaPy()
  nameRevocationRegistriesAsCredentialDefinitions()
  proveAnyIntervalAtItsEnd()
  issueRevocableInTheIndyFormat()
  keepInvalidPresentationsAsReceived()
  presentUnderEitherIndyName()
  nameCheqdRegistriesApart()
  readCheqdResourcesAsOfTheirTime()
  keepTenantContextsWarm({ idleMs: config.tenantContextIdleSeconds * 1000, maxIdle: config.tenantContextsIdleMax, logger })
  // The base wallet opens now; agent.initialize (start) then finds it open.
  try {
    if (await hasAskarTables(config, store)) await agent.wallet.initialize(walletConfig)
    else await agent.wallet.createAndOpen(walletConfig)
  } catch (error) {
    await agent.shutdown().catch(() => undefined)
    throw error
  }
  return { agent, inbound, hosted, tailsFiles, jsonLdContexts }
}
