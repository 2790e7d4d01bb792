// ACA-Py face: the WalletRecord shape (multitenant/admin/routes.py), shared by every response.
import type { Wallet } from '../../services/wallets'
import { withKeyHidden } from '../../webhooks/targets'
import { acapyTimestamp, dropNullish } from '../serialization'
import type { z } from 'zod'

import type { WalletSettings, walletRecord } from './schemas'

/** A wallet's settings as every response shows them: webhook keys hidden (they are write-only). */
export function walletSettings(wallet: Wallet): WalletSettings {
  // dropNullish drops only the optional keys: the first three are always set.
  return dropNullish({
    'wallet.type': wallet.walletType,
    'wallet.name': wallet.walletName,
    'wallet.webhook_urls': wallet.webhookUrls.map(withKeyHidden),
    'wallet.dispatch_type': wallet.dispatchType,
    default_label: wallet.label,
    image_url: wallet.imageUrl,
    ...wallet.extraSettings,
  }) as WalletSettings
}

export function toWalletRecord(wallet: Wallet): z.input<typeof walletRecord> {
  return {
    wallet_id: wallet.walletId,
    key_management_mode: wallet.keyManagementMode,
    settings: walletSettings(wallet),
    created_at: acapyTimestamp(wallet.createdAt),
    updated_at: acapyTimestamp(wallet.updatedAt),
  }
}
