// ACA-Py face, settings room: a tenant reads and updates its own wallet settings (reference §2).
// Declared as data (http/route.ts).
import { z } from 'zod'

import { mountRoutes, route } from '../../http/route'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'
import { walletSettings } from '../multitenancy/mappers'
import { extraSettings, walletSettingsShape } from '../multitenancy/schemas'

const updateSettingsBody = z.object({ extra_settings: extraSettings }).strict()
/** ACA-Py's flat settings of the profile: the wallet id, then the wallet's settings. */
const settingsAnswer = walletSettingsShape.extend({ 'wallet.id': z.string() })

export const settingsRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/settings',
    auth: 'requireTenant',
    summary: "The wallet's settings",
    response: settingsAnswer,
    async handle({ principal }) {
      const wallet = await services.wallets.get(principal().walletId)
      return { 'wallet.id': wallet.walletId, ...walletSettings(wallet) }
    },
  }),
  route({
    method: 'PUT',
    path: '/settings',
    auth: 'requireTenant',
    summary: "Update the wallet's extra settings (merged into those it has)",
    body: updateSettingsBody,
    response: settingsAnswer,
    async handle({ body, principal }) {
      const wallet = await services.wallets.mergeExtraSettings(principal().walletId, body.extra_settings)
      return { 'wallet.id': wallet.walletId, ...walletSettings(wallet) }
    },
  }),
]

export const settingsRoutes = (deps: RoomDeps) => mountRoutes(deps, settingsRouteDeclarations(deps), parse)
