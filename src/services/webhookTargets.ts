// Which targets a wallet's events go to (ACA-Py's wallet_dispatch_type over the wallet's own
// wallet_webhook_urls and the base CREDENCE_WEBHOOK_URL list), and what a tenant may learn about
// its targets: URL, format and signing secret, never the API key.
import { DomainError } from '../errors'
import { parseWebhookTarget, signingSecret, type TargetScope } from '../webhooks/targets'
import type { WalletService } from './wallets'

export function webhookTargetService(deps: { wallets: WalletService; baseTargets: string[]; hmacSecret: string }) {
  const { wallets, baseTargets, hmacSecret } = deps

  async function targetsOf(walletId: string): Promise<{ scope: TargetScope; target: string }[]> {
    let wallet
    try {
      wallet = await wallets.get(walletId)
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not_found') return []
      throw error
    }
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
