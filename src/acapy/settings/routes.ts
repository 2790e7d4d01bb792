// ACA-Py face, settings room: a tenant reads and updates its own wallet settings (reference §2).
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { walletSettings } from '../multitenancy/mappers'
import { extraSettings } from '../multitenancy/schemas'

const updateSettingsBody = z.object({ extra_settings: extraSettings }).strict()

describeRequest('PUT /settings', { body: updateSettingsBody })

export function settingsRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()

  router.get('/settings', requireTenant, handler(async (_req, res) => {
    const wallet = await services.wallets.get(principalOf(res).walletId)
    res.json({ 'wallet.id': wallet.walletId, ...walletSettings(wallet) })
  }))

  router.put('/settings', requireTenant, handler(async (req, res) => {
    const body = parse(updateSettingsBody, req.body, 'body')
    const wallet = await services.wallets.mergeExtraSettings(principalOf(res).walletId, body.extra_settings)
    res.json({ 'wallet.id': wallet.walletId, ...walletSettings(wallet) })
  }))

  return router
}
