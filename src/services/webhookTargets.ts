// Which targets a wallet's events go to (ACA-Py's wallet_dispatch_type over the wallet's own
// wallet_webhook_urls and the base CREDENCE_WEBHOOK_URL list), and what a tenant may learn about
// its targets: URL, format and signing secret, never the API key.
import { DomainError } from '../errors'
import { parseWebhookTarget, signingSecret, type TargetScope } from '../webhooks/targets'
import type { Wallet, WalletService } from './wallets'

/**
 * Every event asks where it goes. The answer is kept briefly: forgotten at once when this process
 * changes the wallet, and within this long when another process sharing the store does.
 */
const SETTINGS_TTL_MS = 2_000

/** A boolean setting as ACA-Py reads it (true, or the string "true"); undefined when unset. */
export function flagOf(settings: Record<string, unknown>, setting: string): boolean | undefined {
  const value = settings[setting]
  return value === undefined ? undefined : value === true || value === 'true'
}

export function webhookTargetService(deps: { wallets: WalletService; baseTargets: string[]; hmacSecret: string }) {
  const { wallets, baseTargets, hmacSecret } = deps
  const cache = new Map<string, { at: number; wallet: Wallet | undefined }>()
  wallets.onChange((walletId) => cache.delete(walletId))

  /** The wallet's settings, or undefined when it is gone. */
  async function walletOf(walletId: string): Promise<Wallet | undefined> {
    const hit = cache.get(walletId)
    if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.wallet
    let wallet: Wallet | undefined
    try {
      wallet = await wallets.get(walletId)
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'not_found')) throw error
    }
    // Bounded: an entry is dropped before a new one once the map is large (oldest first).
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value!)
    cache.set(walletId, { at: Date.now(), wallet })
    return wallet
  }

  /** The wallet's ACA-Py settings (extra_settings), from the same short-lived cache: read for every event and request. */
  const settingsOf = async (walletId: string): Promise<Record<string, unknown>> => (await walletOf(walletId))?.extraSettings ?? {}

  async function targetsOf(walletId: string): Promise<{ scope: TargetScope; target: string }[]> {
    const wallet = await walletOf(walletId)
    if (!wallet) return []
    const own = wallet.dispatchType === 'base' ? [] : wallet.webhookUrls.map((target) => ({ scope: 'wallet' as const, target }))
    const base = wallet.dispatchType === 'default' ? [] : baseTargets.map((target) => ({ scope: 'base' as const, target }))
    return [...own, ...base]
  }

  const describeTarget = (scope: TargetScope, walletId: string, raw: string) => {
    const { url, format } = parseWebhookTarget(raw)
    return { scope, url, format, signing_secret: signingSecret(hmacSecret, scope, walletId, url) }
  }

  return {
    targetsOf,
    walletOf,
    settingsOf,
    /**
     * Whether the wallet asked for whole exchange records in its webhooks: ACA-Py's
     * --debug-webhooks, as a per-wallet setting (`ACAPY_DEBUG_WEBHOOKS` or `debug.webhooks`).
     */
    async debugWebhooks(walletId: string): Promise<boolean> {
      const settings = await settingsOf(walletId)
      // Wallets stored before extra_settings were mapped may hold the ACAPY_ name itself.
      return [settings.ACAPY_DEBUG_WEBHOOKS, settings['debug.webhooks']].some((value) => value === true || value === 'true')
    },
    /** The wallet's own targets; base targets are the operator's and their secrets are not shown to tenants. */
    async describe(walletId: string) {
      const targets = await targetsOf(walletId)
      return targets.filter(({ scope }) => scope === 'wallet').map(({ scope, target }) => describeTarget(scope, walletId, target))
    },
    describeBase() {
      return baseTargets.map((target) => describeTarget('base', '', target))
    },
  }
}

export type WebhookTargetService = ReturnType<typeof webhookTargetService>
