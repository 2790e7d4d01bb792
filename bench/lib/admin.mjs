// A controller for any ACA-Py-compatible multitenant admin API: the admin key creates tenants,
// each tenant then calls with its bearer token. The same calls run against Credence and ACA-Py.
import { setTimeout as sleep } from 'node:timers/promises'

export class AdminApi {
  /** @param {{ url: string, adminKey: string }} target */
  constructor(target) {
    this.url = target.url.replace(/\/+$/, '')
    this.adminKey = target.adminKey
    this.system = target.name
    /** The Indy pool the target is on ({ genesisFile, trustee }), if any. */
    this.ledger = target.ledger
  }

  async call(method, route, { token, body } = {}) {
    const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : { 'x-api-key': this.adminKey }) }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${this.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    let parsed = text
    try {
      parsed = text ? JSON.parse(text) : {}
    } catch {
      // not JSON: keep the text for the error
    }
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${typeof parsed === 'string' ? parsed : JSON.stringify(parsed)}`.slice(0, 600))
    return parsed
  }

  /**
   * A tenant whose webhooks go to `webhookUrl`; `api(method, route, body)` calls as the tenant.
   * With `anoncreds`, an ACA-Py tenant is an `askar-anoncreds` wallet (Credence's tenants all do AnonCreds).
   */
  async tenant(label, webhookUrl, { anoncreds = false } = {}) {
    const created = await this.call('POST', '/multitenancy/wallet', {
      body: {
        wallet_name: `bench-${label}-${Math.random().toString(36).slice(2, 10)}`,
        wallet_key: 'bench-tenant-key',
        label,
        ...(webhookUrl ? { wallet_webhook_urls: [webhookUrl] } : {}),
        ...(anoncreds && this.system === 'acapy' ? { wallet_type: 'askar-anoncreds' } : {}),
      },
    })
    const token = created.token
    return { walletId: created.wallet_id, label, api: (method, route, body) => this.call(method, route, { token, body }) }
  }
}

/** Polls `check` until it returns something other than undefined. */
export async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  let delay = 20
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(delay)
    delay = Math.min(delay * 2, 250)
  }
}

/** The first record of a records route in `state` on a thread; an abandoned one is an error. */
export function recordIn(tenant, route, state, threadId) {
  return waitFor(`${route} in ${state}`, async () => {
    const { results } = await tenant.api('GET', `${route}?thread_id=${threadId}`)
    const record = results?.[0]
    const flat = record?.cred_ex_record ?? record
    if (flat?.state === 'abandoned') throw new Error(`${route} abandoned: ${flat.error_msg}`)
    return flat?.state === state ? record : undefined
  })
}
