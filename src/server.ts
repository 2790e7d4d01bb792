// Starts and stops a whole Credence instance: agent (with its DIDComm endpoint) and admin API.
// main.ts owns the process (signals, exit codes); tests and benchmarks may use this directly.
import type { Express } from 'express'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { createAgent, type CredenceAgent } from './agent/createAgent'
import { createApp } from './app'
import type { Config } from './config'
import { closeServer } from './http/closeServer'
import type { Lifecycle, Services } from './http/rooms'
import type { AppLogger } from './logger'
import type { BootSecrets } from './secrets'
import { apiKeyService } from './services/apiKeys'
import { connectionService } from './services/connections'
import { tenantService } from './services/tenants'
import { walletService } from './services/wallets'
import { openRelationalStore } from './store/open'
import { version } from './version'

export interface RunningServer {
  agent: CredenceAgent
  /** The admin app, for tests that enumerate its routes. */
  app: Express
  adminAddress: AddressInfo
  inboundAddress: AddressInfo
  stop(): Promise<void>
}

export async function startServer(config: Config, secrets: BootSecrets, logger: AppLogger): Promise<RunningServer> {
  const lifecycle: Lifecycle = { alive: true, ready: false }
  const { agent, inbound } = await createAgent(config, secrets, logger)
  // Opened after the agent: on PostgreSQL, Askar is what creates the database.
  const store = await openRelationalStore(config, logger)
  const tenants = tenantService(agent)
  const services: Services = {
    wallets: walletService({ store, tenants, jwtSecret: secrets.jwtSecret }),
    apiKeys: apiKeyService({ store, hmacSecret: secrets.hmacSecret }),
    connections: connectionService(tenants),
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
  try {
    await new Promise<void>((resolve, reject) => {
      adminServer.once('error', reject)
      adminServer.listen(config.adminPort, config.adminHost, () => resolve())
    })
  } catch (error) {
    await store.close()
    await agent.shutdown()
    throw error
  }
  const adminAddress = adminServer.address() as AddressInfo
  lifecycle.ready = true
  logger.info({ admin: adminAddress, inbound: inbound.address, endpoint: config.endpoint }, 'Credence ready')

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      lifecycle.ready = false
      // Admin first (no new work), then the agent, which stops the DIDComm endpoint after its
      // in-flight messages and closes the Askar store, then our store whatever happened before.
      try {
        await closeServer(adminServer, config.shutdownTimeoutMs)
        await agent.shutdown()
      } finally {
        await store.close()
        lifecycle.alive = false
      }
      logger.info('Credence stopped')
    })())

  return { agent, app, adminAddress, inboundAddress: inbound.address, stop }
}
