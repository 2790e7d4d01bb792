// The explicit list of route rooms mounted on the admin app; a room is added here, never autoloaded.
import type { RequestHandler, Router } from 'express'

import type { CredenceAgent } from '../agent/createAgent'
import { multitenancyRoutes } from '../acapy/multitenancy/routes'
import { settingsRoutes } from '../acapy/settings/routes'
import { statusRoutes } from '../acapy/status/routes'
import type { Config } from '../config'
import type { AppLogger } from '../logger'
import type { WalletService } from '../services/wallets'

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
  services: { wallets: WalletService }
  /** Admin key in `x-api-key`. */
  requireAdmin: RequestHandler
  /** A tenant credential; sets res.locals.principal (see http/auth.ts). */
  requireTenant: RequestHandler
}

export const ROOMS: ReadonlyArray<(deps: RoomDeps) => Router> = [statusRoutes, multitenancyRoutes, settingsRoutes]
