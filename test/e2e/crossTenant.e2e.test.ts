// One tenant never sees another's data. This test enumerates every route the admin app has
// registered (so a route added later is covered without editing it), calls each with wallet A's
// credentials aimed at wallet B's ids, and checks that nothing of B comes back or changes.
// It runs the server in-process (same startServer as main.ts, real ports) to read its routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { loadConfig } from '../../src/config'
import type { AuthKind } from '../../src/http/auth'
import { routeListingDeps } from '../../src/app'
import { authKindOf } from '../../src/http/route'
import { routeTable } from '../../src/http/rooms'
import { createLogger } from '../../src/logger'
import { resolveBootSecrets } from '../../src/secrets'
import { startServer, type RunningServer } from '../../src/server'
import { BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { degreeOfferFilter } from '../helpers/jsonLdOffers'
import { freePort } from '../helpers/ports'
import { waitFor } from '../helpers/waitFor'

/** Routes anyone may call. Anything else without a guard fails this test. */
const OPEN_ROUTES = ['GET /status/live', 'GET /status/ready', 'GET /api/doc', 'GET /api/doc/openapi.json', 'GET /console', 'GET /'] // the landing page holds links only
/** Routes that answer with a stream that stays open: only their status and headers are read. */
const STREAMING_ROUTES = ['GET /events/stream', 'GET /api/v1/events/stream']
/** A JSON-LD context only tenant B uploaded. */
const B_CONTEXT = 'https://example.com/contexts/b-only/v1'

interface Wallet {
  walletId: string
  name: string
  token: string
  apiKey: string
}

describe.each(BACKENDS)('cross-tenant isolation on $name', (backend) => {
  let env: Record<string, string>
  let server: RunningServer
  let baseUrl: string
  /** Every route the app serves, with the credential it takes (none for the open ones). */
  const routes: { method: string; path: string; auth?: AuthKind }[] = routeTable(routeListingDeps('test')).map((route) => ({
    method: route.method,
    path: route.path,
    auth: authKindOf(route),
  }))
  let a: Wallet
  let b: Wallet
  let admin: Record<string, string>
  let baseKey: Record<string, string>

  async function makeWallet(name: string): Promise<Wallet> {
    const created = await call(baseUrl, 'POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: name } })
    const key = await call(baseUrl, 'POST', '/api/apikey/create', {
      headers: baseKey,
      body: { wallet_id: created.body.wallet_id, name: 'full', roles: ['admin', 'technician', 'viewer'] },
    })
    return { walletId: created.body.wallet_id, name, token: created.body.token, apiKey: key.body.api_key }
  }

  /**
   * Records of B (with a third wallet, so that A knows nothing of B): a connection, an invitation,
   * a credential offer under B's own schema and credential definition, and a proof request.
   */
  let bRecords: {
    connectionId: string
    oobId: string
    invitationMsgId: string
    credExId: string
    presExId: string
    w3cCredentialId: string
    invitationId: number
    contactId: string
    messageId: number
    requestId: number
    verificationId: number
  }

  /** Ids that belong to B, by path parameter name; later issues add their record kinds here. */
  const idsOfB = (): Record<string, string> => ({
    wallet_id: b.walletId,
    conn_id: bRecords.connectionId,
    oob_id: bRecords.oobId,
    invi_msg_id: bRecords.invitationMsgId,
    cred_ex_id: bRecords.credExId,
    pres_ex_id: bRecords.presExId,
    credential_id: bRecords.w3cCredentialId,
    connection_id: bRecords.connectionId,
    invitation_id: String(bRecords.invitationId),
    contact_id: bRecords.contactId,
    id: String(bRecords.messageId),
    request_id: String(bRecords.requestId),
    verification_id: String(bRecords.verificationId),
  })

  async function giveBRecords(): Promise<void> {
    const c = await makeWallet('tenant-c')
    const invitation = await call(baseUrl, 'POST', '/out-of-band/create-invitation?auto_accept=true', {
      headers: { authorization: `Bearer ${b.token}` },
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
    })
    await call(baseUrl, 'POST', '/out-of-band/receive-invitation?auto_accept=true', {
      headers: { authorization: `Bearer ${c.token}` },
      body: invitation.body.invitation,
    })
    const asB = { authorization: `Bearer ${b.token}` }
    const connection = await waitFor("B's connection", async () => {
      const { body } = await call(baseUrl, 'GET', '/connections?state=completed', { headers: asB })
      return body.results?.[0]
    })
    const did = (await call(baseUrl, 'POST', '/wallet/did/create', { headers: asB, body: { method: 'web' } })).body.result.did
    const schema = await call(baseUrl, 'POST', '/anoncreds/schema', { headers: asB, body: { schema: { issuerId: did, name: 'b-only', version: '1.0', attrNames: ['x'] } } })
    const definition = await call(baseUrl, 'POST', '/anoncreds/credential-definition', {
      headers: asB,
      body: { credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: 'default' } },
    })
    const offer = await call(baseUrl, 'POST', '/issue-credential-2.0/send-offer', {
      headers: asB,
      body: {
        connection_id: connection.connection_id,
        filter: { anoncreds: { cred_def_id: definition.body.credential_definition_state.credential_definition_id } },
        credential_preview: { attributes: [{ name: 'x', value: '1' }] },
        auto_remove: false,
      },
    })
    const proofRequest = await call(baseUrl, 'POST', '/present-proof-2.0/send-request', {
      headers: asB,
      body: { connection_id: connection.connection_id, presentation_request: { anoncreds: { requested_attributes: { a: { name: 'x' } } } }, auto_remove: false },
    })
    // A JSON-LD credential B holds (issued by C), and a JSON-LD context B uploaded.
    const asC = { authorization: `Bearer ${c.token}` }
    const didKey = async (headers: Record<string, string>) =>
      (await call(baseUrl, 'POST', '/wallet/did/create', { headers, body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
    const [cDid, bDid] = [await didKey(asC), await didKey(asB)]
    const cConnection = await waitFor("C's connection", async () => {
      const { body } = await call(baseUrl, 'GET', '/connections?state=completed', { headers: asC })
      return body.results?.[0]?.connection_id
    })
    const ldOffer = await call(baseUrl, 'POST', '/issue-credential-2.0/send', {
      headers: asC,
      body: {
        connection_id: cConnection,
        filter: degreeOfferFilter(cDid, bDid, 'B only'),
      },
    })
    const ldAtB = await waitFor("B's JSON-LD offer", async () => {
      const { body } = await call(baseUrl, 'GET', `/issue-credential-2.0/records?state=offer-received&thread_id=${ldOffer.body.thread_id}`, { headers: asB })
      return body.results?.[0]
    })
    await call(baseUrl, 'POST', `/issue-credential-2.0/records/${ldAtB.cred_ex_record.cred_ex_id}/send-request`, { headers: asB, body: {} })
    const ldArrived = await waitFor("B's JSON-LD credential", async () => {
      const { body } = await call(baseUrl, 'GET', `/issue-credential-2.0/records?state=credential-received&thread_id=${ldOffer.body.thread_id}`, { headers: asB })
      return body.results?.[0]
    })
    const ldStored = await call(baseUrl, 'POST', `/issue-credential-2.0/records/${ldArrived.cred_ex_record.cred_ex_id}/store`, { headers: asB, body: {} })
    await call(baseUrl, 'POST', '/jsonld/contexts', { headers: asB, body: { url: B_CONTEXT, context: { '@context': { bOnly: 'https://example.com/b#only' } } } })
    // The controller API's records of B: an invitation with its contact, a message waiting for it.
    const keyOfB = { 'x-api-key': b.apiKey }
    const controllerInvitation = await call(baseUrl, 'POST', '/api/v1/invitations', { headers: keyOfB, body: { contact_id: 'b-contact', alias: 'b-only' } })
    const waiting = await call(baseUrl, 'POST', '/api/v1/messages', { headers: keyOfB, body: { contact_id: 'b-contact', message: 'for b-contact only' } })
    const issuance = await call(baseUrl, 'POST', '/api/v1/credentials', {
      headers: keyOfB,
      body: { contact_id: 'b-contact', schema_id: schema.body.schema_state.schema_id, attributes: [{ name: 'x', value: '1' }] },
    })
    const verification = await call(baseUrl, 'POST', '/api/v1/verifications', {
      headers: keyOfB,
      body: { contact_id: 'b-contact', schemas: [{ schema_id: schema.body.schema_state.schema_id, schema_attributes: ['x'] }] },
    })
    bRecords = {
      requestId: issuance.body[0].request_id,
      verificationId: verification.body[0].verification_id,
      invitationId: controllerInvitation.body.invitation_id,
      contactId: controllerInvitation.body.contact_id,
      messageId: waiting.body.id,
      w3cCredentialId: ldStored.body.ld_proof.cred_id_stored,
      connectionId: connection.connection_id,
      oobId: invitation.body.oob_id,
      invitationMsgId: invitation.body.invi_msg_id,
      credExId: offer.body.cred_ex_id,
      presExId: proofRequest.body.pres_ex_id,
    }
  }

  beforeAll(async () => {
    env = backend.env(tempDataDir())
    const inboundPort = await freePort()
    const config = loadConfig({
      ...env,
      CREDENCE_ADMIN_PORT: '0',
      CREDENCE_INBOUND_PORT: String(inboundPort),
      CREDENCE_INBOUND_HOST: '127.0.0.1',
      CREDENCE_ENDPOINT: `http://127.0.0.1:${inboundPort}`,
    })
    const secrets = resolveBootSecrets(config)
    server = await startServer(config, secrets, createLogger('error'))
    baseUrl = `http://127.0.0.1:${server.adminAddress.port}`
    admin = { 'x-api-key': secrets.adminApiKey }
    baseKey = { 'x-api-key': secrets.baseApiKey }
    a = await makeWallet('tenant-a')
    b = await makeWallet('tenant-b')
    await giveBRecords()
  })

  afterAll(async () => {
    await server?.stop()
    await backend.cleanup(env)
  })

  it('every registered route declares its credential, except the open probes', () => {
    expect(routes.length).toBeGreaterThan(10)
    const unguarded = routes.filter((r) => !r.auth).map((r) => `${r.method} ${r.path}`)
    expect(unguarded.sort()).toEqual([...OPEN_ROUTES].sort())
  })

  it("tenant A's credentials never reach tenant B's data on any route", async () => {
    const tenantRoutes = routes.filter((r) => r.auth === 'tenant-token' || r.auth === 'wallet-key' || r.auth === 'base-or-wallet-key')
    expect(tenantRoutes.length).toBeGreaterThan(0)
    const bIds = idsOfB()
    for (const route of tenantRoutes) {
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1])
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => bIds[name] ?? '00000000-0000-4000-8000-00000000000b')
      const headers: Record<string, string> = route.auth === 'tenant-token' ? { authorization: `Bearer ${a.token}` } : { 'x-api-key': a.apiKey }
      // A body that aims at B wherever a body can name a wallet.
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method)
        ? { wallet_id: b.walletId, name: 'cross', roles: ['viewer'], extra_settings: { cross: true } }
        : undefined
      if (STREAMING_ROUTES.includes(`${route.method} ${route.path}`)) {
        const stream = await fetch(`${baseUrl}${path}`, { headers, signal: AbortSignal.timeout(2000) })
        expect(stream.status, `${route.method} ${route.path}`).toBe(200)
        await stream.body?.cancel()
        continue
      }
      const response = await call(baseUrl, route.method, path, { headers, body })
      const what = `${route.method} ${route.path} → ${response.status} ${JSON.stringify(response.body)}`
      expect(response.status, what).not.toBe(500)
      expect(JSON.stringify(response.body ?? ''), what).not.toContain(b.walletId)
      expect(JSON.stringify(response.body ?? ''), what).not.toContain(b.name)
      if (params.length > 0 || body) {
        if (response.status < 400) {
          // A success is only allowed when the route acted on A's own wallet.
          expect(JSON.stringify(response.body ?? ''), what).not.toContain('cross')
        }
      }
    }
  })

  it("B's JSON-LD credential and uploaded context stay B's", async () => {
    const asA = { authorization: `Bearer ${a.token}` }
    const asB = { authorization: `Bearer ${b.token}` }
    expect((await call(baseUrl, 'GET', `/credential/w3c/${bRecords.w3cCredentialId}`, { headers: asA })).status).toBe(404)
    expect((await call(baseUrl, 'DELETE', `/credential/w3c/${bRecords.w3cCredentialId}`, { headers: asA })).status).toBe(404)
    expect((await call(baseUrl, 'POST', '/credentials/w3c', { headers: asA, body: {} })).body.results).toEqual([])
    expect((await call(baseUrl, 'GET', '/jsonld/contexts', { headers: asA })).body.uploaded).toEqual([])
    expect((await call(baseUrl, 'DELETE', `/jsonld/contexts?url=${encodeURIComponent(B_CONTEXT)}`, { headers: asA })).status).toBe(404)
    expect((await call(baseUrl, 'GET', `/credential/w3c/${bRecords.w3cCredentialId}`, { headers: asB })).status).toBe(200)
    expect((await call(baseUrl, 'GET', '/jsonld/contexts', { headers: asB })).body.uploaded.map((c: any) => c.url)).toEqual([B_CONTEXT])
  })

  it("B's controller records answer 404 to A's key and are unchanged afterwards", async () => {
    const asA = { 'x-api-key': a.apiKey }
    const asB = { 'x-api-key': b.apiKey }
    const paths = [
      `/api/v1/invitations/${bRecords.invitationId}`,
      `/api/v1/contacts/${bRecords.contactId}`,
      `/api/v1/messages/${bRecords.messageId}`,
      `/api/v1/connections/${bRecords.connectionId}`,
      `/api/v1/credential-records/${bRecords.requestId}`,
      `/api/v1/verifications/${bRecords.verificationId}`,
    ]
    for (const path of paths) expect((await call(baseUrl, 'GET', path, { headers: asA })).status, path).toBe(404)
    const update = await call(baseUrl, 'PUT', `/api/v1/invitations/${bRecords.invitationId}`, { headers: asA, body: { workflow_status: 'inactive', description: 'cross' } })
    expect(update.status).toBe(404)
    expect((await call(baseUrl, 'DELETE', `/api/v1/invitations/${bRecords.invitationId}`, { headers: asA })).status).toBe(404)
    const message = await call(baseUrl, 'POST', '/api/v1/messages', { headers: asA, body: { contact_id: bRecords.contactId, message: 'cross' } })
    expect(message.status).toBe(404)
    expect((await call(baseUrl, 'GET', '/api/v1/invitations', { headers: asA })).body.rows).toEqual([])
    expect((await call(baseUrl, 'GET', '/api/v1/messages', { headers: asA })).body).toEqual([])
    const invitation = await call(baseUrl, 'GET', `/api/v1/invitations/${bRecords.invitationId}`, { headers: asB })
    expect(invitation.body).toMatchObject({ workflow_status: 'active', description: '', contact_id: 'b-contact' })
    expect((await call(baseUrl, 'GET', `/api/v1/messages/${bRecords.messageId}`, { headers: asB })).body).toMatchObject({ state: 'pending', message: 'for b-contact only' })
    expect((await call(baseUrl, 'GET', `/api/v1/credential-records/${bRecords.requestId}`, { headers: asB })).body).toMatchObject({ complete: false, contact_id: 'b-contact' })
    const aIssuance = await call(baseUrl, 'POST', '/api/v1/credentials', { headers: asA, body: { contact_id: bRecords.contactId, schema_id: 'x', attributes: [{ name: 'x', value: '1' }] } })
    expect(aIssuance.status).toBe(404)
  })

  it("B is untouched: its credentials still work and its settings and keys are unchanged", async () => {
    const settings = await call(baseUrl, 'GET', '/settings', { headers: { authorization: `Bearer ${b.token}` } })
    expect(settings.status).toBe(200)
    expect(settings.body).not.toHaveProperty('cross')
    expect((await call(baseUrl, 'GET', '/api/v1/connections', { headers: { 'x-api-key': b.apiKey } })).status).toBe(200)
    const crossKey = await call(baseUrl, 'POST', '/api/apikey/revoke', { headers: baseKey, body: { wallet_id: b.walletId, name: 'cross' } })
    expect(crossKey.status).toBe(404)
    const exchange = await call(baseUrl, 'GET', `/issue-credential-2.0/records/${bRecords.credExId}`, { headers: { authorization: `Bearer ${b.token}` } })
    expect(exchange.body.cred_ex_record).toMatchObject({ state: 'offer-sent' })
    expect(exchange.body.cred_ex_record).not.toHaveProperty('error_msg')
    const presentation = await call(baseUrl, 'GET', `/present-proof-2.0/records/${bRecords.presExId}`, { headers: { authorization: `Bearer ${b.token}` } })
    expect(presentation.body).toMatchObject({ state: 'request-sent' })
    expect(presentation.body).not.toHaveProperty('error_msg')
  })

  it('tenant credentials are refused on admin and base-key routes', async () => {
    const privileged = routes.filter((r) => r.auth === 'admin' || r.auth === 'base-key')
    for (const route of privileged) {
      const path = route.path.replace(/:(\w+)/g, () => a.walletId)
      const credentials: Record<string, string>[] = [{ authorization: `Bearer ${a.token}` }, { 'x-api-key': a.apiKey }]
      for (const headers of credentials) {
        const response = await call(baseUrl, route.method, path, { headers, body: route.method === 'GET' ? undefined : {} })
        expect(response.status, `${route.method} ${route.path} with ${Object.keys(headers)[0]}`).toBe(401)
      }
    }
  })
})
