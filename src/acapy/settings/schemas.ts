// ACA-Py face, settings room: request and response schemas (reference §2).
import { z } from 'zod'

import { extraSettings, walletSettingsShape } from '../multitenancy/schemas'

export const updateSettingsBody = z.object({ extra_settings: extraSettings }).strict()
/** ACA-Py's flat settings of the profile: the wallet id, then the wallet's settings. */
export const settingsAnswer = walletSettingsShape.extend({ 'wallet.id': z.string() })
