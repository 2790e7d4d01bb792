// Bad input on the connection routes and the public port: every refusal is a clear 4xx JSON error
// naming the field or reason, nothing is left half-written, and the server keeps serving. Also the
// invitation QR codes and short links, and what the public port serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

describe('connections: bad input, QR codes and short links', () => {
  let server: ServerProcess
  let tenant: TestTenant
  let invitation: any

  beforeAll(async () => {
    server = await startServerProcess(sqlite.env(tempDataDir()))
    tenant = await createTenant(server, 'Tenant')
    const created = await tenant.api('POST', '/out-of-band/create-invitation', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
    })
    invitation = created.body
  })

  afterAll(async () => {
    await server?.stop()
  })

  const recordCounts = async () => ({
    oob: (await tenant.api('GET', '/out-of-band/records')).body.results.length,
    connections: (await tenant.api('GET', '/connections')).body.results.length,
  })

  it('refuses malformed, truncated and service-less invitations with 4xx and keeps no record', async () => {
    const before = await recordCounts()
    const oob = invitation.invitation_url.split('?oob=')[1] as string
    const cases: [unknown, number, string][] = [
      [{ invitation_url: 'not a url' }, 422, 'invitation_url'],
      [{ invitation_url: 'https://example.org/invite' }, 422, 'invitation_url'],
      [{ invitation_url: `https://example.org?oob=${oob.slice(0, oob.length / 2)}` }, 422, 'invitation_url'],
      [{ invitation_url: 'https://example.org?oob=%%%' }, 422, 'invitation_url'],
      [{ invitation_url: 'https://example.org?c_i=bm90IGpzb24' }, 422, 'invitation_url'],
      [{ ...invitation.invitation, services: [] }, 422, 'invitation'],
      [{ '@type': 'https://didcomm.org/out-of-band/1.1/invitation', '@id': 'x' }, 422, 'invitation'],
      [{ '@type': 'https://didcomm.org/issue-credential/2.0/offer-credential', '@id': 'x' }, 422, 'invitation'],
      [[1, 2, 3], 422, 'body'],
      [{ hello: 'world' }, 422, 'body'],
    ]
    for (const [body, status, field] of cases) {
      const response = await tenant.api('POST', '/out-of-band/receive-invitation', { body })
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status)
      expect(response.body, JSON.stringify(response.body)).toMatchObject({ error: expect.any(String), field })
    }
    const truncatedJson = await tenant.api('POST', '/out-of-band/receive-invitation', { rawBody: '{"@type": "https://didcomm.org/out-of' })
    expect(truncatedJson.status).toBe(400)
    expect(await recordCounts()).toEqual(before)
  })

  it('answers malformed queries and bodies on every route of this work with a 4xx naming the field', async () => {
    const before = await recordCounts()
    const id = '6b1c1f0e-0000-4000-8000-000000000000'
    const cases: [string, string, unknown, string][] = [
      ['GET', '/connections?state=bogus', undefined, 'state'],
      ['GET', '/connections?their_role=boss', undefined, 'their_role'],
      ['GET', '/connections?limit=0', undefined, 'limit'],
      ['GET', '/connections?order_by=alias', undefined, 'order_by'],
      ['POST', `/connections/${id}/metadata`, { metadata: 'x' }, 'metadata'],
      ['POST', `/connections/${id}/send-ping`, { comment: 5 }, 'comment'],
      ['POST', `/connections/${id}/send-message`, { content: 7, extra: 1 }, 'content'],
      ['GET', '/out-of-band/records?role=boss', undefined, 'role'],
      ['GET', '/out-of-band/invitations', undefined, 'oob_id'],
      ['POST', '/out-of-band/receive-invitation?use_existing_connection=maybe', invitation.invitation, 'use_existing_connection'],
      ['POST', `/didexchange/create-request?their_public_did=did:web:example.org&use_did_method=did:peer:9`, undefined, 'use_did_method'],
      ['POST', `/didexchange/${id}/reject`, { reason: 5 }, 'reason'],
      ['GET', '/discover-features-2.0/queries?connection_id=not%20an%20id', undefined, 'connection_id'],
      ['GET', '/wallet/did?posture=famous', undefined, 'posture'],
      ['POST', '/wallet/did/public', undefined, 'did'],
      ['POST', '/wallet/did/create', { method: 'key', options: 'x' }, 'options'],
      ['GET', '/resolver/resolve/notadid', undefined, 'did'],
      ['POST', '/anoncreds/schema', {}, 'schema'],
      ['POST', '/anoncreds/credential-definition', { credential_definition: {} }, 'credential_definition.issuerId'],
      ['POST', '/schemas', { schema_name: 'x' }, 'schema_version'],
      ['POST', '/credential-definitions', {}, 'schema_id'],
      ['GET', `/out-of-band/invitations/${invitation.oob_id}/qr?content=x`, undefined, 'content'],
    ]
    for (const [method, path, body, field] of cases) {
      const response = await tenant.api(method, path, { body })
      const what = `${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`
      expect(response.status >= 400 && response.status < 500, what).toBe(true)
      expect(response.body, what).toMatchObject({ error: expect.any(String), field })
    }
    expect(await recordCounts()).toEqual(before)
  })

  it('refuses invalid create-invitation bodies as ACA-Py does', async () => {
    const cases: [string, unknown, number, string][] = [
      ['', {}, 400, 'handshake_protocols'],
      ['', { handshake_protocols: ['https://didcomm.org/didexchange/2.0'] }, 422, 'handshake_protocols.0'],
      ['', { handshake_protocols: ['didexchange/1.1'], use_did: 'did:key:z6Mk', use_public_did: true }, 400, 'use_did'],
      ['?create_unique_did=true', { handshake_protocols: ['didexchange/1.1'] }, 400, 'create_unique_did'],
      ['', { handshake_protocols: ['didexchange/1.1'], use_public_did: true }, 400, 'use_public_did'],
      ['', { handshake_protocols: ['didexchange/1.1'], use_did: 'did:web:example.org' }, 400, 'use_did'],
      ['?multi_use=maybe', { handshake_protocols: ['didexchange/1.1'] }, 422, 'multi_use'],
      // An unknown key is dropped as ACA-Py drops it: the wrong type beside it is what is refused.
      ['', { handshake_protocols: ['didexchange/1.1'], surprise: true, alias: 7 }, 422, 'alias'],
    ]
    for (const [query, body, status, field] of cases) {
      const response = await tenant.api('POST', `/out-of-band/create-invitation${query}`, { body })
      expect(response.status, `${query} ${JSON.stringify(body)}`).toBe(status)
      expect(response.body).toMatchObject({ error: expect.any(String), field })
    }
  })

  it('answers 404 for unknown ids and 400 for sends on a connection that is not active', async () => {
    const unknown = '6b1c1f0e-0000-4000-8000-000000000000'
    for (const [method, path] of [
      ['GET', `/connections/${unknown}`],
      ['DELETE', `/connections/${unknown}`],
      ['GET', `/connections/${unknown}/endpoints`],
      ['GET', `/connections/${unknown}/metadata`],
      ['POST', `/connections/${unknown}/send-message`],
      ['POST', `/connections/${unknown}/send-ping`],
      ['POST', `/didexchange/${unknown}/accept-request`],
      ['POST', `/didexchange/${unknown}/accept-invitation`],
      ['POST', `/didexchange/${unknown}/reject`],
      ['GET', `/out-of-band/invitations?oob_id=${unknown}`],
      ['DELETE', `/out-of-band/invitations/${unknown}`],
      ['GET', `/out-of-band/invitations/${unknown}/qr`],
    ]) {
      const body = method === 'POST' ? (path.endsWith('send-message') ? { content: 'x' } : {}) : undefined
      const response = await tenant.api(method, path, { body })
      expect(response.status, `${method} ${path} → ${JSON.stringify(response.body)}`).toBe(404)
      expect(response.body.error).toEqual(expect.any(String))
    }

    // An invitation received without auto-accept: a connection that exists but is not active.
    const other = await createTenant(server, 'Other')
    const created = await other.api('POST', '/out-of-band/create-invitation', { body: { handshake_protocols: ['didexchange/1.1'] } })
    const received = await tenant.api('POST', '/out-of-band/receive-invitation?auto_accept=false', { body: created.body.invitation })
    const connectionId = received.body.connection_id
    const message = await tenant.api('POST', `/connections/${connectionId}/send-message`, { body: { content: 'too early' } })
    expect(message.status).toBe(400)
    expect(message.body).toMatchObject({ field: 'conn_id', error: expect.stringContaining('not ready') })
    const ping = await tenant.api('POST', `/connections/${connectionId}/send-ping`, { body: {} })
    expect(ping.status).toBe(400)
    const acceptRequest = await tenant.api('POST', `/didexchange/${connectionId}/accept-request`)
    expect(acceptRequest).toMatchObject({ status: 400, body: { field: 'conn_id' } })
    const emptyMessage = await tenant.api('POST', `/connections/${connectionId}/send-message`, { body: { content: '' } })
    expect(emptyMessage).toMatchObject({ status: 422, body: { field: 'content' } })
    const bothDids = await tenant.api('POST', `/didexchange/${connectionId}/accept-invitation?use_did=did:key:z&use_did_method=did:peer:2`)
    expect(bothDids).toMatchObject({ status: 400, body: { field: 'use_did' } })
    // Rejecting a waiting invitation forgets it.
    const rejected = await tenant.api('POST', `/didexchange/${connectionId}/reject`, { body: { reason: 'no thanks' } })
    expect(rejected.body).toMatchObject({ rfc23_state: 'abandoned', error_msg: 'no thanks' })
    expect((await tenant.api('GET', `/connections/${connectionId}`)).status).toBe(404)
  })

  it('refuses bad DID requests: unresolvable public DIDs, unsupported methods, seeds', async () => {
    const unresolvable = await tenant.api('POST', `/didexchange/create-request?their_public_did=${encodeURIComponent('did:web:127.0.0.1%3A1:nobody')}`)
    expect(unresolvable).toMatchObject({ status: 400, body: { field: 'their_public_did' } })
    const unqualified = await tenant.api('POST', '/didexchange/create-request?their_public_did=WgWxqztrNooG92RXvxSTWv')
    expect(unqualified).toMatchObject({ status: 422, body: { field: 'their_public_did' } })
    const missing = await tenant.api('POST', '/didexchange/create-request')
    expect(missing).toMatchObject({ status: 422, body: { field: 'their_public_did' } })
    expect((await tenant.api('POST', '/wallet/did/create', { body: { method: 'indy' } })).status).toBe(403) // refused here since ACA-Py 1.3
    expect((await tenant.api('POST', '/wallet/did/create', { body: { method: 'key', seed: '0'.repeat(32) } })).status).toBe(400)
    expect((await tenant.api('POST', '/wallet/did/create', { body: { method: 'key', options: { did: 'did:key:z6Mk' } } })).status).toBe(400)
    expect((await tenant.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'bls12381g2' } } })).status).toBe(403)
    expect((await tenant.api('POST', '/wallet/did/create', { body: { method: 'web', options: { did: 'https://example.org' } } })).status).toBe(400)
    expect((await tenant.api('POST', '/wallet/did/public?did=did:key:z6MkunknownDid')).status).toBe(404)
    const key = await tenant.api('POST', '/wallet/did/create', { body: { method: 'key' } })
    expect(key.body.result).toMatchObject({ method: 'key', posture: 'wallet_only', key_type: 'ed25519', did: expect.stringMatching(/^did:key:z6Mk/) })
    const peer = await tenant.api('POST', '/wallet/did/create', { body: { method: 'did:peer:2' } })
    expect(peer.body.result).toMatchObject({ method: 'did:peer:2', did: expect.stringMatching(/^did:peer:2/) })
    const userWeb = await tenant.api('POST', '/wallet/did/create', { body: { method: 'web', options: { did: 'did:web:example.org:alice' } } })
    expect(userWeb.body.result).toMatchObject({ method: 'web', did: 'did:web:example.org:alice' })

    // A did:web this server hosts resolves for its other tenants from where it is kept, with no
    // HTTP (this server does not even allow did:web over http): the offline, single-server case.
    const hosted = await tenant.api('POST', '/wallet/did/create', { body: { method: 'web' } })
    const other = await createTenant(server, 'Requester')
    const toHosted = await other.api('POST', `/didexchange/create-request?their_public_did=${encodeURIComponent(hosted.body.result.did)}`)
    expect(toHosted).toMatchObject({ status: 200, body: { rfc23_state: 'request-sent' } })
    await waitFor('the request to reach the hosted DID', async () => {
      const { body } = await tenant.api('GET', '/connections?state=request-received')
      return body.results.length > 0 ? true : undefined
    })
  })

  it('keeps serving after garbage on the DIDComm port, and creates nothing', async () => {
    const before = await recordCounts()
    const inbound = (body: string, type = 'application/didcomm-envelope-enc') =>
      call(server.inboundUrl, 'POST', '/', { rawBody: body, headers: { 'content-type': type } })
    const fakeProtected = Buffer.from(JSON.stringify({ enc: 'xchacha20poly1305_ietf', typ: 'JWM/1.0', alg: 'Authcrypt', recipients: [{ encrypted_key: 'AAAA', header: { kid: '8gb4DnAx7xyB1mbXUt5LZQQrpbrBiGQSHmDn3diabZgq' } }] })).toString('base64url')
    for (const [body, status] of [
      ['garbage', 400],
      ['{"protected": 1}', 400],
      [JSON.stringify({ protected: fakeProtected, iv: 'AAAA', ciphertext: 'AAAA', tag: 'AAAA' }), 400],
      [JSON.stringify({ '@type': 'https://didcomm.org/basicmessage/1.0/message', content: 'plaintext' }), 400],
    ] as const) {
      const response = await inbound(body)
      expect(response.status, body.slice(0, 40)).toBe(status)
      expect(response.body.error).toEqual(expect.any(String))
    }
    expect((await inbound('{}', 'text/plain')).status).toBe(415)
    expect((await call(server.adminUrl, 'GET', '/status/ready')).status).toBe(200)
    expect(await recordCounts()).toEqual(before)
  })

  it('serves a QR code (SVG and PNG) and a short link for an invitation it created', async () => {
    const svg = await fetch(`${server.adminUrl}/out-of-band/invitations/${invitation.oob_id}/qr`, { headers: { authorization: `Bearer ${tenant.token}` } })
    expect(svg.headers.get('content-type')).toContain('image/svg+xml')
    expect(await svg.text()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    const png = await fetch(`${server.adminUrl}/out-of-band/invitations/${invitation.oob_id}/qr?format=png&content=full`, { headers: { authorization: `Bearer ${tenant.token}` } })
    expect(png.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect((await tenant.api('GET', `/out-of-band/invitations/${invitation.oob_id}/qr?format=gif`)).body).toMatchObject({ field: 'format' })

    const links = await tenant.api('GET', `/out-of-band/invitations/${invitation.oob_id}/short-url`)
    expect(links.body).toEqual({
      oob_id: invitation.oob_id,
      invitation_url: invitation.invitation_url,
      short_url: expect.stringMatching(new RegExp(`^${server.inboundUrl}/i/[A-Za-z0-9_-]{12}$`)),
    })
    const redirect = await fetch(links.body.short_url, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toBe(invitation.invitation_url)
    const asJson = await fetch(links.body.short_url, { headers: { accept: 'application/json' } })
    expect(await asJson.json()).toEqual(invitation.invitation)
    expect((await fetch(`${server.inboundUrl}/i/unknown-code`)).status).toBe(404)
    expect((await fetch(`${server.inboundUrl}/wallets/00000000-0000-4000-8000-000000000000/did.json`)).status).toBe(404)
    expect((await fetch(`${server.inboundUrl}/wallets/..%2F..%2Fetc/did.json`)).status).toBe(404)
  })
})
