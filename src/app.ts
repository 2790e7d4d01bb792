// createApp builds the admin HTTP app from its dependencies and never listens: main.ts does, and
// tests build the very same app.
import express from 'express'

import { loadConfig } from './config'
import { createLogger } from './logger'
import { requireAdminKey, requireBaseKey, requireKeyManager, requireTenant, requireWalletKey } from './http/auth'
import { authThrottle } from './http/authThrottle'
import { errorHandler, notFoundHandler } from './http/errors'
import { requestContext } from './http/requestContext'
import { refuseNulCharacters } from './http/validate'
import { mountRoutes, type Guards } from './http/route'
import type { RoomDeps } from './http/roomDeps'
import { declaredRooms } from './http/rooms'

export type AppDeps = Omit<RoomDeps, 'routes'> & { adminApiKey: string; baseApiKey: string }

export function createApp({ adminApiKey, baseApiKey, ...deps }: AppDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  // req.ip, which the auth throttle counts by: the socket's peer unless proxies are trusted.
  if (deps.config.trustProxy) app.set('trust proxy', deps.config.trustProxy)
  app.use(requestContext(deps.logger))
  app.use(express.json({ limit: '1mb' }))
  app.use(refuseNulCharacters)
  // One throttle for every guard: a guesser's failures count the same whichever route they hit.
  const throttle = authThrottle({ failuresPerMinute: deps.config.authFailuresPerMinute, logger: deps.logger })
  const walletKey = (options?: { adminWithoutWallet?: boolean }) =>
    requireWalletKey(deps.services.apiKeys, baseApiKey, adminApiKey, (walletId) => deps.services.wallets.get(walletId), throttle, options)
  const guards: Guards = {
    requireAdmin: requireAdminKey(adminApiKey, throttle, deps.config.adminInsecureMode),
    requireTenant: requireTenant(deps.services.wallets, throttle),
    requireBaseKey: requireBaseKey(baseApiKey, throttle),
    requireWalletKey: walletKey(),
    requireWalletKeyOrAdmin: walletKey({ adminWithoutWallet: true }),
    requireKeyManager: requireKeyManager(deps.services.apiKeys, baseApiKey, adminApiKey, throttle),
  }
  for (const { room, routes } of declaredRooms(deps)) {
    if (room.assets) app.use(room.assets())
    app.use(mountRoutes(guards, routes, room.face))
  }
  app.use(notFoundHandler)
  app.use(errorHandler(deps.logger))
  return app
}

/**
 * Dependencies for declaring the routes only to read them (scripts/openapi.mjs, the tests): rooms
 * take their services when they declare routes but use them only when a request arrives, so no
 * agent, store or secret is needed and nothing here ever runs. (A room that used a service while
 * declaring would fail here, and so would test/openapi.test.ts.)
 */
export function routeListingDeps(version: string): AppDeps {
  return {
    config: loadConfig({}),
    logger: createLogger('silent'),
    agent: {} as AppDeps['agent'],
    services: {} as AppDeps['services'],
    lifecycle: { alive: false, ready: false },
    version,
    adminApiKey: 'unused',
    baseApiKey: 'unused',
  }
}
