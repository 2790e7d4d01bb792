// ACA-Py face, multitenancy: request schemas (snake_case exactly as ACA-Py spells the fields).
import { z } from 'zod'

import { webhookTarget } from '../../webhooks/targets'
import { paginationQuery } from '../queryParams'
import { toAcaPySettings } from './extraSettings'

const webhookUrls = z.array(webhookTarget).max(20)
const dispatchType = z.enum(['default', 'base', 'both'])
/** Keys Credence sets itself in a wallet's settings; extra_settings may not shadow them. */
const RESERVED_SETTING = /^(wallet\.|default_label$|image_url$)/
export const extraSettings = z
  .record(z.string(), z.unknown())
  .refine((settings) => !Object.keys(settings).some((key) => RESERVED_SETTING.test(key)), {
    message: 'may not set wallet.*, default_label or image_url',
  })
  .transform(toAcaPySettings)

export const createWalletBody = z
  .object({
    // Optional, as in ACA-Py; a wallet created without one is named by a fresh UUID (ACA-Py would
    // fall back to its store's "default", which only one unnamed wallet can have).
    wallet_name: z.string().trim().min(1).max(200).optional(),
    // Accepted for compatibility; tenants are Askar profiles that share the store key.
    wallet_key: z.string().optional(),
    wallet_key_derivation: z.enum(['ARGON2I_MOD', 'ARGON2I_INT', 'RAW']).optional(),
    // kanon-anoncreds (ACA-Py's PostgreSQL-backed store) is served by the same Askar store.
    wallet_type: z.enum(['askar', 'askar-anoncreds', 'kanon-anoncreds']).optional(),
    label: z.string().max(200).optional(),
    image_url: z.string().url().optional(),
    wallet_webhook_urls: webhookUrls.optional(),
    wallet_dispatch_type: dispatchType.optional(),
    key_management_mode: z.literal('managed', { message: 'only "managed" is supported' }).optional(),
    extra_settings: extraSettings.optional(),
  })
  .strict()

export const updateWalletBody = z
  .object({
    label: z.string().max(200).optional(),
    image_url: z.string().url().optional(),
    wallet_webhook_urls: webhookUrls.optional(),
    wallet_dispatch_type: dispatchType.optional(),
    extra_settings: extraSettings.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })

export const walletIdParams = z.object({ wallet_id: z.string().uuid('must be a wallet id') })
export const walletIdField = walletIdParams.shape.wallet_id

export const listWalletsQuery = z.object({ wallet_name: z.string().optional(), ...paginationQuery })

/** DELETE/remove/token take an optional {wallet_key}; a managed wallet is refused one (ACA-Py's 400). */
export const walletKeyBody = z.object({ wallet_key: z.string().max(2000).optional() }).strict()

/** A wallet's settings as ACA-Py shows them (in a wallet record, and in /settings): its own keys, then extra_settings. */
export const walletSettingsShape = z
  .object({
    'wallet.type': z.string(),
    'wallet.name': z.string(),
    'wallet.webhook_urls': z.array(z.string()),
    'wallet.dispatch_type': z.string().optional(),
    default_label: z.string().optional(),
    image_url: z.string().optional(),
  })
  .catchall(z.unknown())
export type WalletSettings = z.input<typeof walletSettingsShape>

/** ACA-Py's WalletRecord (multitenant/admin/routes.py); every Credence wallet is managed. */
export const walletRecord = z.object({
  wallet_id: z.string(),
  key_management_mode: z.enum(['managed', 'unmanaged']),
  settings: walletSettingsShape,
  created_at: z.string(),
  updated_at: z.string(),
})
export const createdWallet = walletRecord.extend({ token: z.string() })
export const walletList = z.object({ results: z.array(walletRecord) })
export const walletToken = z.object({ token: z.string() })
export const walletRemoved = z.object({})
