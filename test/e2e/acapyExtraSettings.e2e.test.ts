// Per-tenant settings as ACA-Py takes them (extra_settings on the wallet and PUT /settings): stored
// as ACA-Py's setting keys, unknown names dropped, endorser flags only with the author role, and
// the auto-accept pair acted on: a tenant set to auto-accept requests and another set to
// auto-accept invitations connect with no auto_accept parameter and no manual step; and seed 000:
// a tenant set to auto-accept requests, with a public did:web, takes DID exchange requests to it
// from two tenants (one on another server) to completed with no manual step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

describe('extra_settings', () => {
  let server: ServerProcess
  let other: ServerProcess
  let admin: Record<string, string>

  beforeAll(async () => {
    ;[server, other] = await Promise.all([
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }),
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }),
    ])
    admin = { 'x-api-key': adminKeyOf(server.env as Record<string, string>) }
  })

  afterAll(async () => {
    await Promise.all([server?.stop(), other?.stop()])
  })

  async function tenantWith(label: string, extraSettings: Record<string, unknown>): Promise<TestTenant & { settings: Record<string, unknown> }> {
    const created = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin, body: { label, extra_settings: extraSettings } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const token = created.body.token as string
    return {
      walletId: created.body.wallet_id,
      token,
      settings: created.body.settings,
      api: (method, path, options = {}) => call(server.adminUrl, method, path, { ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } }),
      connectionReaches: async () => undefined,
    }
  }

  it("stores ACA-Py's setting keys, drops unknown names, and sets endorser flags only for an author", async () => {
    const tenant = await tenantWith('Mapped', { ACAPY_AUTO_ACCEPT_INVITES: true, 'auto-accept-requests': true, ACAPY_LOG_LEVEL: 'debug', bogus: 1, ACAPY_AUTO_WRITE_TRANSACTIONS: true })
    expect(tenant.settings).toMatchObject({ 'debug.auto_accept_invites': true, 'debug.auto_accept_requests': true, 'log.level': 'debug' })
    expect(tenant.settings).not.toHaveProperty('bogus')
    expect(tenant.settings).not.toHaveProperty('endorser.auto_write')
    const author = await tenant.api('PUT', '/settings', { body: { extra_settings: { ACAPY_ENDORSER_ROLE: 'author', ACAPY_AUTO_WRITE_TRANSACTIONS: true } } })
    expect(author.status).toBe(200)
    expect(author.body).toMatchObject({ 'endorser.author': true, 'endorser.auto_write': true, 'debug.auto_accept_invites': true })
  })

  it('acts on auto-accept-requests and auto-accept-invites: a connection with no manual step and no auto_accept parameter', async () => {
    const inviter = await tenantWith('Auto inviter', { ACAPY_AUTO_ACCEPT_REQUESTS: true })
    const invitee = await tenantWith('Auto invitee', { ACAPY_AUTO_ACCEPT_INVITES: true })
    const invitation = await inviter.api('POST', '/out-of-band/create-invitation', { body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
    expect(invitation.status).toBe(200)
    const received = await invitee.api('POST', '/out-of-band/receive-invitation', { body: invitation.body.invitation })
    expect(received.status).toBe(200)
    await waitFor('both sides completed', async () => {
      const theirs = (await invitee.api('GET', `/connections/${received.body.connection_id}`)).body
      const ours = (await inviter.api('GET', `/connections?invitation_msg_id=${invitation.body.invi_msg_id}`)).body.results?.[0]
      return theirs?.rfc23_state === 'completed' && ours?.rfc23_state === 'completed' ? true : undefined
    })
  })

  it('seed 000: requests to a public DID of a wallet that auto-accepts requests complete with no manual step', async () => {
    const issuer = await tenantWith('Public issuer', { ACAPY_AUTO_ACCEPT_REQUESTS: true })
    const publicDid = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did as string
    expect((await issuer.api('POST', `/wallet/did/public?did=${encodeURIComponent(publicDid)}`)).status).toBe(200)
    const near = await createTenant(server, 'Near')
    const far = await createTenant(other, 'Far')
    for (const requester of [near, far]) {
      const requested = await requester.api('POST', `/v1/connections/did-exchange/create-request?their_public_did=${encodeURIComponent(publicDid)}`)
      expect(requested.status, JSON.stringify(requested.body)).toBe(200)
      await requester.connectionReaches(requested.body.connection_id, 'completed')
    }
    await waitFor("both of the issuer's connections completed", async () => {
      const { body } = await issuer.api('GET', '/connections?state=completed')
      return body.results?.length === 2 ? true : undefined
    })
  })
})
