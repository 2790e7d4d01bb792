// ACA-Py face, settings room: a wallet as its profile's flat settings.
import type { Wallet } from '../../services/wallets'
import { walletSettings } from '../multitenancy/mappers'

export const toProfileSettings = (wallet: Wallet) => ({ 'wallet.id': wallet.walletId, ...walletSettings(wallet) })
