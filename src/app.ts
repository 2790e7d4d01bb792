// createApp builds the admin HTTP app from its dependencies and never listens: main.ts does, and
// tests build the very same app.
import express from 'express'

import { requireAdminKey, requireBaseKey, requireKeyManager, requireTenant, requireWalletKey } from './http/auth'
import { errorHandler, notFoundHandler } from './http/errors'
import { requestContext } from './http/requestContext'
import { ROOMS, type RoomDeps } from './http/rooms'

type Guards = 'requireAdmin' | 'requireTenant' | 'requireBaseKey' | 'requireWalletKey' | 'requireKeyManager'
export type AppDeps = Omit<RoomDeps, Guards> & { adminApiKey: string; baseApiKey: string }

export function createApp({ adminApiKey, baseApiKey, ...deps }: AppDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(requestContext(deps.logger))
  app.use(express.json({ limit: '1mb' }))
  const roomDeps: RoomDeps = {
    ...deps,
    requireAdmin: requireAdminKey(adminApiKey),
    requireTenant: requireTenant(deps.services.wallets),
    requireBaseKey: requireBaseKey(baseApiKey),
    requireWalletKey: requireWalletKey(deps.services.apiKeys, baseApiKey, adminApiKey, (walletId) => deps.services.wallets.get(walletId)),
    requireKeyManager: requireKeyManager(deps.services.apiKeys, baseApiKey, adminApiKey),
  }
  for (const room of ROOMS) app.use(room(roomDeps))
  app.use(notFoundHandler)
  app.use(errorHandler(deps.logger))
  return app
}
