// The ACA-Py face reads requests as ACA-Py does: unknown keys dropped (its schemas EXCLUDE them),
// null taken as absent (clients generated from its OpenAPI document send null for every unset
// field), `wallet_name` optional; a wrong type is still a 422 naming the field and leaves nothing
// behind. The Proven face keeps its strict rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { degreeOfferFilter } from '../helpers/jsonLdOffers'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'

describe('ACA-Py face request parsing', () => {
  let server: ServerProcess
  let tenant: TestTenant
  let admin: Record<string, string>

  beforeAll(async () => {
    server = await startServerProcess(sqlite.env(tempDataDir()))
    admin = { 'x-api-key': adminKeyOf(server.env as Record<string, string>) }
    tenant = await createTenant(server, 'Lenient')
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('drops unknown keys and takes null as absent, at any depth', async () => {
    const created = await call(server.adminUrl, 'POST', '/multitenancy/wallet', {
      headers: admin,
      body: { wallet_name: `typed-${Date.now()}`, label: 'Typed client', image_url: null, extra_settings: null, some_future_field: 1, wallet_key: null },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).not.toHaveProperty('some_future_field')

    const invitation = await tenant.api('POST', '/out-of-band/create-invitation', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'], alias: null, metadata: null, accept: null, goal: null, mediation_id: null, use_public_did: false, not_in_acapy_either: true },
    })
    expect(invitation.status, JSON.stringify(invitation.body)).toBe(200)
    expect(invitation.body.invitation['@type']).toContain('out-of-band')
  })

  it('creates a wallet without wallet_name, as ACA-Py allows', async () => {
    const unnamed = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin, body: { label: 'No name' } })
    expect(unnamed.status, JSON.stringify(unnamed.body)).toBe(200)
    expect(unnamed.body.token).toEqual(expect.any(String))
    const second = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin, body: {} })
    expect(second.status).toBe(200)
    expect(second.body.wallet_id).not.toBe(unnamed.body.wallet_id)
  })

  it("takes ACA-Py's fields: kanon-anoncreds, order_by/descending, state=deleted, options.verificationMethod, dif.options on proposals, wallet_key refused as ACA-Py refuses it", async () => {
    const kanon = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin, body: { label: 'Kanon', wallet_type: 'kanon-anoncreds' } })
    expect(kanon.status, JSON.stringify(kanon.body)).toBe(200)
    expect(kanon.body.settings['wallet.type']).toBe('kanon-anoncreds')

    const ascending = (await call(server.adminUrl, 'GET', '/multitenancy/wallets?limit=1000&order_by=id', { headers: admin })).body.results
    const descending = (await call(server.adminUrl, 'GET', '/multitenancy/wallets?limit=1000&order_by=id&descending=true', { headers: admin })).body.results
    expect(descending.map((w: { wallet_id: string }) => w.wallet_id)).toEqual(ascending.map((w: { wallet_id: string }) => w.wallet_id).reverse())

    const deleted = await tenant.api('GET', '/out-of-band/records?state=deleted')
    expect(deleted.status).toBe(200)
    expect(deleted.body.results).toEqual([])

    // ACA-Py's 400 for a managed wallet given a key; an unknown wallet is still a 404.
    const withKey = await call(server.adminUrl, 'POST', `/multitenancy/wallet/${kanon.body.wallet_id}/token`, { headers: admin, body: { wallet_key: 'x' } })
    expect(withKey.status).toBe(400)
    expect(withKey.body.field).toBe('wallet_key')
    const unknown = await call(server.adminUrl, 'POST', '/multitenancy/wallet/3fa85f64-5717-4562-b3fc-2c963f66afa6/token', { headers: admin, body: { wallet_key: 'x' } })
    expect(unknown.status).toBe(404)

    // options.verificationMethod names the issuer's signing key: one not in its DID document is refused.
    const issuerDid = (await tenant.api('POST', '/wallet/did/create', { body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result.did
    const holder = await createTenant(server, 'Proposer')
    const { inviterConnection, inviteeConnection } = await connectTenants(tenant, holder)
    const filter = degreeOfferFilter(issuerDid, issuerDid, 'Keyed')
    const wrongKey = await tenant.api('POST', '/issue-credential-2.0/send-offer', {
      body: { connection_id: inviterConnection, filter: { ld_proof: { ...filter.ld_proof, options: { ...filter.ld_proof.options, verificationMethod: `${issuerDid}#not-a-key` } } } },
    })
    expect(wrongKey.status, JSON.stringify(wrongKey.body)).toBe(400)
    expect(wrongKey.body.field).toBe('verification_method')
    const rightKey = await tenant.api('POST', '/issue-credential-2.0/send-offer', {
      body: { connection_id: inviterConnection, filter: { ld_proof: { ...filter.ld_proof, options: { ...filter.ld_proof.options, verificationMethod: `${issuerDid}#${issuerDid.slice('did:key:'.length)}` } } } },
    })
    expect(rightKey.status, JSON.stringify(rightKey.body)).toBe(200)

    const proposal = await holder.api('POST', '/present-proof-2.0/send-proposal', {
      body: {
        connection_id: inviteeConnection,
        presentation_proposal: { dif: { input_descriptors: [{ id: 'degree', schema: [{ uri: 'https://www.w3.org/2018/credentials#VerifiableCredential' }] }], options: { challenge: 'c', domain: 'd' } } },
      },
    })
    expect(proposal.status, JSON.stringify(proposal.body)).toBe(200)
  })

  it('still refuses a wrong type with a 422 naming the field, and writes nothing', async () => {
    const before = (await call(server.adminUrl, 'GET', '/multitenancy/wallets?limit=1000', { headers: admin })).body.results.length
    const wrong = await call(server.adminUrl, 'POST', '/multitenancy/wallet', { headers: admin, body: { wallet_name: 'x', label: 42, unknown: 'dropped' } })
    expect(wrong.status).toBe(422)
    expect(wrong.body).toMatchObject({ field: 'label' })
    expect((await call(server.adminUrl, 'GET', '/multitenancy/wallets?limit=1000', { headers: admin })).body.results.length).toBe(before)
  })

  it('leaves the Proven face strict', async () => {
    const base = { 'x-api-key': (await import('node:fs')).readFileSync(`${server.env.CREDENCE_DATA_DIR}/secrets/base-api-key`, 'utf8').trim() }
    const refused = await call(server.adminUrl, 'POST', '/api/subwallet/create', { headers: base, body: { label: 'strict', surprise: true } })
    expect(refused.status).toBe(422)
  })
})
