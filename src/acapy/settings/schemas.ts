// ACA-Py face, settings room: request and response schemas (reference §2).
import { z } from 'zod'

import { extraSettings, walletSettingsShape } from '../multitenancy/schemas'

export const updateSettingsBody = z.object({ extra_settings: extraSettings }).strict()
/** ACA-Py's UpgradeVerificationSchema: the wallet's own name, as a check. */
export const upgradeQuery = z.object({ wallet_name: z.string().min(1) })
/** ACA-Py's UpgradeResultSchema. */
export const upgradeResult = z.object({ success: z.boolean(), message: z.string() })

/** ACA-Py's flat settings of the profile: the wallet id, then the wallet's settings. */
export const settingsAnswer = walletSettingsShape.extend({ 'wallet.id': z.string() })
