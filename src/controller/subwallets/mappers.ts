// Proven face: a subwallet as its routes show it.
import type { Wallet } from '../../services/wallets'

export function toSubwallet(wallet: Wallet) {
  return {
    wallet_id: wallet.walletId,
    wallet_name: wallet.walletName,
    label: wallet.label ?? null,
    created_at: wallet.createdAt,
    updated_at: wallet.updatedAt,
  }
}
