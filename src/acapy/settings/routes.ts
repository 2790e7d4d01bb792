// ACA-Py face, settings room: a tenant reads and updates its own wallet settings (reference §2).
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toProfileSettings } from './mappers'
import { settingsAnswer, updateSettingsBody } from './schemas'

export const settingsRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/settings',
    auth: 'requireTenant',
    summary: "The wallet's settings",
    response: settingsAnswer,
    async handle({ principal }) {
      return toProfileSettings(await services.wallets.get(principal().walletId))
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
      return toProfileSettings(await services.wallets.mergeExtraSettings(principal().walletId, body.extra_settings))
    },
  }),
]
