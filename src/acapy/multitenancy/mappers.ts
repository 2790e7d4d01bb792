// ACA-Py face: the WalletRecord shape (multitenant/admin/routes.py), shared by every response.
import type { Wallet } from '../../services/wallets'
import { withKeyHidden } from '../../webhooks/targets'
import { acapyTimestamp, dropNullish } from '../serialization'

/** A wallet's settings as every response shows them: webhook keys hidden (they are write-only). */
export function walletSettings(wallet: Wallet): Record<string, unknown> {
  return dropNullish({
    'wallet.type': wallet.walletType,
    'wallet.name': wallet.walletName,
    'wallet.webhook_urls': wallet.webhookUrls.map(withKeyHidden),
    'wallet.dispatch_type': wallet.dispatchType,
    default_label: wallet.label,
    image_url: wallet.imageUrl,
    ...wallet.extraSettings,
  })
}

export function toWalletRecord(wallet: Wallet) {
  return {
    wallet_id: wallet.walletId,
    key_management_mode: wallet.keyManagementMode,
    settings: walletSettings(wallet),
    created_at: acapyTimestamp(wallet.createdAt),
    updated_at: acapyTimestamp(wallet.updatedAt),
  }
}
