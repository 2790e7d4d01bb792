// ACA-Py face, settings room: a tenant reads and updates its own wallet settings (reference §2), and
// upgrades its wallet type to AnonCreds (ACA-Py's /anoncreds/wallet/upgrade).
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toProfileSettings } from './mappers'
import { settingsAnswer, updateSettingsBody, upgradeQuery, upgradeResult } from './schemas'

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
  route({
    method: 'POST',
    path: '/anoncreds/wallet/upgrade',
    auth: 'requireTenant',
    summary: 'Report the wallet as askar-anoncreds from now on (its objects are AnonCreds already: nothing is migrated)',
    query: upgradeQuery,
    response: upgradeResult,
    async handle({ query, principal }) {
      const wallet = await services.wallets.upgradeToAnonCreds(principal().walletId, query.wallet_name)
      return { success: true, message: `Upgrade to anoncreds has been triggered for wallet ${wallet.walletName}` }
    },
  }),
]
