// ACA-Py multitenancy face over real HTTP against the server process, on both backends:
// wallet lifecycle, tenant tokens (only the newest is valid), and refusals with JSON reasons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { startWebhookSink } from '../helpers/webhookSink'

const ACAPY_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

describe.each(BACKENDS)('ACA-Py multitenancy on $name', (backend) => {
  let env: Record<string, string>
  let server: ServerProcess
  let admin: Record<string, string>
  const api = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
    call(server.adminUrl, method, path, options)
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

  beforeAll(async () => {
    env = backend.env(tempDataDir())
    server = await startServerProcess(env)
    admin = { 'x-api-key': adminKeyOf(env) }
  })

  afterAll(async () => {
    await server?.stop()
    await backend.cleanup(env)
  })

  it('creates a wallet: WalletRecord plus a token that opens tenant routes', async () => {
    const created = await api('POST', '/multitenancy/wallet', {
      headers: admin,
      body: {
        wallet_name: 'issuer-one',
        wallet_key: 'ignored-for-managed-profiles',
        label: 'Issuer One',
        image_url: 'https://example.org/logo.png',
        wallet_webhook_urls: ['http://127.0.0.1:9/webhooks'],
        wallet_dispatch_type: 'both',
        key_management_mode: 'managed',
        extra_settings: { ACAPY_AUTO_ACCEPT_INVITES: true },
      },
    })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({
      wallet_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key_management_mode: 'managed',
      settings: {
        'wallet.type': 'askar-anoncreds',
        'wallet.name': 'issuer-one',
        'wallet.webhook_urls': ['http://127.0.0.1:9/webhooks'],
        'wallet.dispatch_type': 'both',
        default_label: 'Issuer One',
        image_url: 'https://example.org/logo.png',
        // Stored as the setting it stands for, as ACA-Py does.
        'debug.auto_accept_invites': true,
      },
      created_at: expect.stringMatching(ACAPY_TIMESTAMP),
      updated_at: expect.stringMatching(ACAPY_TIMESTAMP),
      token: expect.any(String),
    })
    expect(JSON.stringify(created.body)).not.toContain('ignored-for-managed-profiles')

    const settings = await api('GET', '/settings', { headers: bearer(created.body.token) })
    expect(settings.status).toBe(200)
    expect(settings.body).toMatchObject({ 'wallet.id': created.body.wallet_id, default_label: 'Issuer One' })
  })

  it('without webhook URLs a wallet dispatches to the base targets, as ACA-Py does', async () => {
    const created = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'no-hooks' } })
    expect(created.status).toBe(200)
    expect(created.body.settings).toMatchObject({ 'wallet.dispatch_type': 'base', 'wallet.webhook_urls': [] })
  })

  it('lists wallets with a name filter and pagination', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      expect((await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: name } })).status).toBe(200)
    }
    const all = await api('GET', '/multitenancy/wallets', { headers: admin })
    expect(all.status).toBe(200)
    const names = all.body.results.map((w: any) => w.settings['wallet.name'])
    expect(names).toEqual(expect.arrayContaining(['issuer-one', 'page-a', 'page-b', 'page-c']))
    expect(all.body.results.every((w: any) => !('token' in w))).toBe(true)

    const filtered = await api('GET', '/multitenancy/wallets?wallet_name=page-b', { headers: admin })
    expect(filtered.body.results.map((w: any) => w.settings['wallet.name'])).toEqual(['page-b'])

    const page = await api('GET', '/multitenancy/wallets?limit=2&offset=1', { headers: admin })
    expect(page.body.results).toHaveLength(2)
    expect(page.body.results[0].wallet_id).toBe(all.body.results[1].wallet_id)

    const badLimit = await api('GET', '/multitenancy/wallets?limit=0', { headers: admin })
    expect(badLimit.status).toBe(422)
    expect(badLimit.body.field).toBe('limit')
    const hugeOffset = await api('GET', '/multitenancy/wallets?offset=1e20', { headers: admin })
    expect(hugeOffset).toMatchObject({ status: 422, body: { field: 'offset' } })
  })

  it('updates a wallet and the change shows to the tenant', async () => {
    const created = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'to-update', label: 'Before' } })
    const id = created.body.wallet_id
    // Used once before the change: its agent context (which holds the label) stays open between requests.
    const invitationLabel = async () =>
      (await api('POST', '/out-of-band/create-invitation', { headers: bearer(created.body.token), body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })).body.invitation.label
    expect(await invitationLabel()).toBe('Before')
    const updated = await api('PUT', `/multitenancy/wallet/${id}`, {
      headers: admin,
      body: { label: 'Renamed', wallet_webhook_urls: ['http://127.0.0.1:9/a'], wallet_dispatch_type: 'default' },
    })
    expect(updated.status).toBe(200)
    expect(updated.body.settings).toMatchObject({
      default_label: 'Renamed',
      'wallet.webhook_urls': ['http://127.0.0.1:9/a'],
      'wallet.dispatch_type': 'default',
    })
    expect((await api('GET', `/multitenancy/wallet/${id}`, { headers: admin })).body).toEqual(updated.body)
    expect(await invitationLabel()).toBe('Renamed')

    const own = await api('PUT', '/settings', { headers: bearer(created.body.token), body: { extra_settings: { 'auto-accept-invites': true } } })
    expect(own.status).toBe(200)
    expect(own.body).toMatchObject({ default_label: 'Renamed', 'debug.auto_accept_invites': true })

    for (const reserved of ['wallet.id', 'wallet.name', 'default_label']) {
      const shadow = await api('PUT', '/settings', { headers: bearer(created.body.token), body: { extra_settings: { [reserved]: 'x' } } })
      expect({ reserved, status: shadow.status, field: shadow.body.field }).toEqual({ reserved, status: 422, field: 'extra_settings' })
    }

    const empty = await api('PUT', `/multitenancy/wallet/${id}`, { headers: admin, body: {} })
    expect(empty.status).toBe(422)
    expect(empty.body.error).toContain('at least one field is required')
  })

  it("upgrades an askar wallet to askar-anoncreds as ACA-Py's /anoncreds/wallet/upgrade does, once, naming itself", async () => {
    const created = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'to-upgrade', wallet_type: 'askar' } })
    const tenant = bearer(created.body.token)
    expect((await api('GET', '/settings', { headers: tenant })).body['wallet.type']).toBe('askar')
    const wrongName = await api('POST', '/anoncreds/wallet/upgrade?wallet_name=someone-else', { headers: tenant })
    expect(wrongName).toMatchObject({ status: 400, body: { field: 'wallet_name' } })
    const upgraded = await api('POST', '/anoncreds/wallet/upgrade?wallet_name=to-upgrade', { headers: tenant })
    expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200)
    expect(upgraded.body).toEqual({ success: true, message: 'Upgrade to anoncreds has been triggered for wallet to-upgrade' })
    expect((await api('GET', '/settings', { headers: tenant })).body['wallet.type']).toBe('askar-anoncreds')
    expect((await api('GET', `/multitenancy/wallet/${created.body.wallet_id}`, { headers: admin })).body.settings['wallet.type']).toBe('askar-anoncreds')
    const again = await api('POST', '/anoncreds/wallet/upgrade?wallet_name=to-upgrade', { headers: tenant })
    expect(again).toMatchObject({ status: 400, body: { error: expect.stringContaining('already anoncreds') } })
  })

  it('webhook target keys are write-only: shown as ***, kept when written back, sent to the target', async () => {
    const sink = await startWebhookSink()
    try {
      const given = [`${sink.url}/plain#plain-secret-key`, `${sink.url}/env#format=envelope&api_key=envelope-secret-key`, `${sink.url}/nokey#format=envelope`]
      const shown = [`${sink.url}/plain#***`, `${sink.url}/env#format=envelope&api_key=***`, `${sink.url}/nokey#format=envelope`]
      const created = await api('POST', '/multitenancy/wallet', {
        headers: admin,
        body: { wallet_name: 'keyed-hooks', wallet_webhook_urls: given, wallet_dispatch_type: 'default' },
      })
      expect(created.status).toBe(200)
      const id = created.body.wallet_id
      const tenant = bearer(created.body.token)
      // No response shows the keys, the creating one included: the caller already has them.
      const views = [
        created.body.settings,
        (await api('GET', `/multitenancy/wallet/${id}`, { headers: admin })).body.settings,
        (await api('GET', '/multitenancy/wallets?wallet_name=keyed-hooks', { headers: admin })).body.results[0].settings,
        (await api('GET', '/settings', { headers: tenant })).body,
      ]
      for (const settings of views) expect(settings['wallet.webhook_urls']).toEqual(shown)
      expect(JSON.stringify((await api('GET', '/webhooks/targets', { headers: tenant })).body)).not.toContain('secret-key')

      // A controller that reads the wallet and writes its targets back keeps the keys.
      const roundTrip = await api('PUT', `/multitenancy/wallet/${id}`, { headers: admin, body: { wallet_webhook_urls: shown.slice(0, 2) } })
      expect(roundTrip.status).toBe(200)
      expect(roundTrip.body.settings['wallet.webhook_urls']).toEqual(shown.slice(0, 2))
      await api('POST', '/out-of-band/create-invitation', { headers: tenant, body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
      const deliveries = await sink.waitFor('an invitation event at both keyed targets', (all) =>
        ['/plain/', '/env'].every((prefix) => all.some((d) => d.path.startsWith(prefix))),
      )
      expect(deliveries.find((d) => d.path.startsWith('/plain/'))!.headers['x-api-key']).toBe('plain-secret-key')
      expect(deliveries.find((d) => d.path.startsWith('/env'))!.headers['x-api-key']).toBe('envelope-secret-key')

      // *** for a URL that has no key stored is refused, not stored as the key.
      const unknown = await api('PUT', `/multitenancy/wallet/${id}`, { headers: admin, body: { wallet_webhook_urls: [`${sink.url}/other#***`] } })
      expect(unknown).toMatchObject({ status: 422, body: { field: 'wallet_webhook_urls' } })
      // A new key replaces the old one, and is hidden in turn.
      const replaced = await api('PUT', `/multitenancy/wallet/${id}`, { headers: admin, body: { wallet_webhook_urls: [`${sink.url}/plain#new-secret-key`] } })
      expect(replaced.body.settings['wallet.webhook_urls']).toEqual([`${sink.url}/plain#***`])
    } finally {
      await sink.stop()
    }
  })

  it('a new token supersedes the old one', async () => {
    const created = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'tokens' } })
    const first = created.body.token
    const second = await api('POST', `/multitenancy/wallet/${created.body.wallet_id}/token`, { headers: admin })
    expect(second.status).toBe(200)
    expect(second.body.token).not.toBe(first)

    const old = await api('GET', '/settings', { headers: bearer(first) })
    expect(old.status).toBe(401)
    expect(old.body).toEqual({ error: 'Authorization token missing or invalid' })
    expect((await api('GET', '/settings', { headers: bearer(second.body.token) })).status).toBe(200)

    const withKey = await api('POST', `/multitenancy/wallet/${created.body.wallet_id}/token`, {
      headers: admin,
      body: { wallet_key: 'x' },
    })
    expect(withKey.status).toBe(400)
    expect(withKey.body.field).toBe('wallet_key')
  })

  it('refuses bad credentials with 401 and a JSON reason', async () => {
    const created = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'creds' } })
    const token: string = created.body.token

    expect((await api('GET', '/multitenancy/wallets')).status).toBe(401)
    expect((await api('GET', '/multitenancy/wallets', { headers: { 'x-api-key': 'wrong' } })).body).toEqual({
      error: 'API Key invalid or missing',
    })
    // A tenant token is not an admin credential.
    expect((await api('GET', '/multitenancy/wallets', { headers: bearer(token) })).status).toBe(401)

    const cases: [Record<string, string>, string][] = [
      [{}, 'Authorization token missing or invalid'],
      [{ authorization: `Basic ${token}` }, 'Invalid Authorization header structure'],
      [{ authorization: 'Bearer' }, 'Invalid Authorization header structure'],
      [{ authorization: 'Bearer not.a.jwt' }, 'Authorization token missing or invalid'],
      [{ authorization: `Bearer ${token.slice(0, -2)}xx` }, 'Authorization token missing or invalid'],
      [{ authorization: `Bearer ${forgeToken(token)}` }, 'Authorization token missing or invalid'],
      [admin, 'Authorization token missing or invalid'],
    ]
    for (const [headers, reason] of cases) {
      const response = await api('GET', '/settings', { headers })
      expect({ headers, status: response.status, body: response.body }).toEqual({ headers, status: 401, body: { error: reason } })
    }
  })

  it('refuses bad bodies with 422 naming the field, and duplicates with 409', async () => {
    const bad: [unknown, string][] = [
      [{ wallet_name: '' }, 'wallet_name'],
      [{ wallet_name: 'x', image_url: 'not a url' }, 'image_url'],
      [{ wallet_name: 'x', wallet_webhook_urls: 'http://a' }, 'wallet_webhook_urls'],
      [{ wallet_name: 'x', wallet_dispatch_type: 'everywhere' }, 'wallet_dispatch_type'],
      [{ wallet_name: 'x', key_management_mode: 'unmanaged' }, 'key_management_mode'],
      // Unknown keys are dropped (as ACA-Py's schemas do), not what is wrong here.
      [{ wallet_name: 'x', surprise: 1, label: 7 }, 'label'],
    ]
    for (const [body, field] of bad) {
      const response = await api('POST', '/multitenancy/wallet', { headers: admin, body })
      expect({ body, status: response.status, field: response.body.field }).toEqual({ body, status: 422, field })
    }
    const malformed = await api('POST', '/multitenancy/wallet', { headers: admin, rawBody: '{"wallet_name":' })
    expect(malformed.status).toBe(400)

    const before = (await api('GET', '/multitenancy/wallets', { headers: admin })).body.results.length
    expect((await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'unique-name' } })).status).toBe(200)
    const duplicate = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'unique-name' } })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toEqual({ error: 'A wallet named "unique-name" already exists', field: 'wallet_name' })
    // The refused requests left nothing behind.
    expect((await api('GET', '/multitenancy/wallets', { headers: admin })).body.results.length).toBe(before + 1)

    expect((await api('GET', '/multitenancy/wallet/not-a-uuid', { headers: admin })).status).toBe(422)
    const missing = await api('GET', '/multitenancy/wallet/00000000-0000-4000-8000-000000000000', { headers: admin })
    expect(missing.status).toBe(404)
  })

  it('deletes a wallet with its tenant and token, by DELETE and by the legacy remove', async () => {
    for (const [method, suffix] of [['DELETE', ''], ['POST', '/remove']] as const) {
      const created = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: `gone${suffix}` } })
      const id = created.body.wallet_id
      // In use a moment before: its agent context is still open when it goes.
      expect((await api('GET', '/connections', { headers: bearer(created.body.token) })).status).toBe(200)
      const removed = await api(method, `/multitenancy/wallet/${id}${suffix}`, { headers: admin })
      expect(removed).toEqual({ status: 200, body: {} })
      expect((await api('GET', `/multitenancy/wallet/${id}`, { headers: admin })).status).toBe(404)
      expect((await api('GET', '/settings', { headers: bearer(created.body.token) })).status).toBe(401)
      expect((await api(method, `/multitenancy/wallet/${id}${suffix}`, { headers: admin })).status).toBe(404)
    }
  })

  it('keeps wallets and their current token across a restart, and never answered 500', async () => {
    const created = await api('POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'durable' } })
    expect(await server.stop()).toBe(0)
    expect(server.output()).not.toContain('"request failed"')
    // Tokens appear only in the responses that create them, never in the log.
    expect(server.output()).not.toContain(created.body.token)
    expect(server.output()).not.toContain(created.body.token.split('.')[2])
    server = await startServerProcess(env)
    const settings = await api('GET', '/settings', { headers: bearer(created.body.token) })
    expect(settings.status).toBe(200)
    expect(settings.body['wallet.name']).toBe('durable')
  })
})

/** Same header and claims shape, signed with another secret. */
function forgeToken(token: string): string {
  const [header, payload] = token.split('.')
  return `${header}.${payload}.${Buffer.from('forged-signature-forged-signature').toString('base64url')}`
}
