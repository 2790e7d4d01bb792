// Webhook targets and how each is written to. A target is a URL as ACA-Py takes it
// (`wallet_webhook_urls`, `--webhook-url`), where a `#<key>` suffix becomes the `x-api-key`
// header. Credence adds one option in the same place: `#format=envelope` (or
// `#format=envelope&api_key=<key>`) selects the acapy-cloud envelope instead of ACA-Py's bare record.
import { createHmac } from 'node:crypto'
import { z } from 'zod'

export type WebhookFormat = 'acapy' | 'envelope'
/** Whose target it is: the wallet's own, or the base wallet's (CREDENCE_WEBHOOK_URL). */
export type TargetScope = 'wallet' | 'base'

export interface WebhookTarget {
  url: string
  apiKey?: string
  format: WebhookFormat
}

export function parseWebhookTarget(raw: string): WebhookTarget {
  const hash = raw.indexOf('#')
  if (hash < 0) return { url: raw, format: 'acapy' }
  const url = raw.slice(0, hash)
  const fragment = raw.slice(hash + 1)
  if (!/(^|&)format=/.test(fragment)) return { url, apiKey: fragment || undefined, format: 'acapy' }
  const options = new URLSearchParams(fragment)
  return { url, apiKey: options.get('api_key') ?? undefined, format: options.get('format') as WebhookFormat }
}

/**
 * What responses show in place of a target's API key. The key is write-only: once stored it is
 * sent to the target and never shown again, while the URL and non-secret options such as
 * `format=envelope` stay visible. The shape stays a string, as ACA-Py controllers read
 * `wallet_webhook_urls` as a list of strings.
 */
export const KEY_SET_MARKER = '***'

/** Splits a target into what comes before its key, the key, and what comes after. */
function keyPosition(raw: string): { before: string; key: string; after: string } | undefined {
  const hash = raw.indexOf('#')
  if (hash < 0) return undefined
  const fragment = raw.slice(hash + 1)
  if (!/(^|&)format=/.test(fragment)) {
    return fragment ? { before: raw.slice(0, hash + 1), key: fragment, after: '' } : undefined
  }
  const option = /(^|&)api_key=([^&]*)/.exec(fragment)
  if (!option || !option[2]) return undefined
  const start = hash + 1 + option.index + option[1].length + 'api_key='.length
  return { before: raw.slice(0, start), key: option[2], after: raw.slice(start + option[2].length) }
}

/** The target as responses show it: its API key, if any, replaced by KEY_SET_MARKER. */
export function withKeyHidden(raw: string): string {
  const position = keyPosition(raw)
  return position ? `${position.before}${KEY_SET_MARKER}${position.after}` : raw
}

/**
 * A target given in an update, with KEY_SET_MARKER replaced by the key stored for the same URL,
 * so a controller that reads the targets and writes them back keeps their keys. Undefined when
 * the marker stands for no stored key; a target without the marker is returned as given.
 */
export function withStoredKey(raw: string, stored: string[]): string | undefined {
  const position = keyPosition(raw)
  if (!position || position.key !== KEY_SET_MARKER) return raw
  const url = parseWebhookTarget(raw).url
  const key = stored.map(parseWebhookTarget).find((target) => target.url === url && target.apiKey)?.apiKey
  return key === undefined ? undefined : `${position.before}${key}${position.after}`
}

/** Whether a configured target string is usable; the reason when it is not. */
export function whyNotWebhookTarget(raw: string): string | undefined {
  const { url, format } = parseWebhookTarget(raw)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `${url} is not a URL`
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${url} is not an http(s) URL`
  if (format !== 'acapy' && format !== 'envelope') return `${raw}: format must be acapy or envelope`
  return undefined
}

/** A target string as configuration and wallet settings take it. */
export const webhookTarget = z.string().superRefine((raw, ctx) => {
  const problem = whyNotWebhookTarget(raw)
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem })
})

/**
 * The secret a target's deliveries are signed with: derived from the server's HMAC secret, the
 * target URL and, for a wallet's own target, the wallet, so no tenant learns another's secret.
 */
export function signingSecret(hmacSecret: string, scope: TargetScope, walletId: string, url: string): string {
  const subject = scope === 'base' ? `base ${url}` : `wallet ${walletId} ${url}`
  return createHmac('sha256', hmacSecret).update(`credence webhook signing: ${subject}`).digest('base64url')
}

/** `x-credence-signature`: HMAC-SHA256 over `<timestamp>.<body>`, hex, prefixed `sha256=`. */
export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}
