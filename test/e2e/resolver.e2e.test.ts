// GET /resolver/resolve/{did} (ACA-Py §13): a tenant resolves another tenant's did:key, did:peer:2,
// did:peer:4 and hosted did:web (over loopback http, allowed for this server); an unknown method
// is a 501, an absent DID a 404, a malformed one a 400.
import { Key, KeyType } from '@credo-ts/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'

describe('DID resolution route', () => {
  let server: ServerProcess
  let owner: TestTenant
  let resolver: TestTenant

  beforeAll(async () => {
    server = await startServerProcess({
      ...sqlite.env(tempDataDir()),
      CREDENCE_DID_WEB_ALLOW_HTTP: 'true',
      CREDENCE_WALLET_ALLOW_INSECURE_SEED: 'true',
    })
    ;[owner, resolver] = await Promise.all([createTenant(server, 'Owner'), createTenant(server, 'Resolver')])
  })

  afterAll(async () => {
    await server?.stop()
  })

  const resolve = (did: string) => resolver.api('GET', `/resolver/resolve/${encodeURIComponent(did)}`)

  it("resolves another tenant's did:key, did:peer:2, did:peer:4 and hosted did:web", async () => {
    for (const method of ['key', 'did:peer:2', 'did:peer:4', 'web']) {
      const created = await owner.api('POST', '/wallet/did/create', { body: { method } })
      expect(created.status, method).toBe(200)
      const { did, verkey } = created.body.result
      const resolved = await resolve(did)
      expect(resolved.status, `${method}: ${JSON.stringify(resolved.body)}`).toBe(200)
      expect(resolved.body).toMatchObject({
        metadata: { resolver_type: 'native', resolver: expect.any(String), retrieved_time: expect.any(String), duration: expect.any(Number) },
        document_metadata: expect.any(Object),
      })
      const document = resolved.body.did_document
      expect([did, did.split(':').slice(0, 3).join(':')]).toContain(document.id)
      // The key the wallet reported is the one the document publishes (base58 or multibase).
      const multibase = Key.fromPublicKeyBase58(verkey, KeyType.Ed25519).fingerprint
      const text = JSON.stringify(document)
      expect(text.includes(verkey) || text.includes(multibase), `${method}: ${text}`).toBe(true)
    }
  })

  it('creates did:sov DIDs in the wallet as ACA-Py does: unqualified, from a seed when allowed', async () => {
    // The well-known Trustee1 seed of Indy test networks gives the well-known DID and verkey.
    const seeded = await owner.api('POST', '/wallet/did/create', { body: { method: 'sov', seed: '000000000000000000000000Trustee1' } })
    expect(seeded.body).toEqual({
      result: { did: 'V4SGRU86Z58d6TV7PBUe6f', verkey: 'GJ1SzoWzavQYfNL9XkaJdrQejfztN4XqdsiV4ct3LXKL', posture: 'wallet_only', method: 'sov', key_type: 'ed25519', metadata: {} },
    })
    const again = await owner.api('POST', '/wallet/did/create', { body: { method: 'sov', seed: '000000000000000000000000Trustee1' } })
    expect(again).toMatchObject({ status: 400, body: { field: 'seed' } })
    expect((await owner.api('POST', '/wallet/did/create', { body: { method: 'sov', seed: 'short' } })).status).toBe(400)
    expect((await owner.api('POST', '/wallet/did/create', { body: { method: 'key', seed: '000000000000000000000000Trustee2' } })).status).toBe(400)
    const random = await owner.api('POST', '/wallet/did/create', { body: {} }) // sov is ACA-Py's default method
    expect(random.body.result).toMatchObject({ method: 'sov', did: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{21,22}$/) })
    const listed = await owner.api('GET', '/wallet/did?did=V4SGRU86Z58d6TV7PBUe6f')
    expect(listed.body.results).toEqual([seeded.body.result])
    const published = await owner.api('POST', '/wallet/did/public?did=V4SGRU86Z58d6TV7PBUe6f')
    expect(published.body.result).toMatchObject({ did: 'V4SGRU86Z58d6TV7PBUe6f', posture: 'public' })
  })

  it('answers 501 for an unknown method, 404 for an absent DID, 400 for a malformed one', async () => {
    const port = new URL(server.inboundUrl).port
    const cases: [string, number][] = [
      ['did:example:123456', 501],
      [`did:web:127.0.0.1%3A${port}:wallets:00000000-0000-4000-8000-000000000000`, 404],
      ['not-a-did', 400],
      ['did:key', 400],
      ['did:key:zNotAKey', 404],
    ]
    for (const [did, status] of cases) {
      const response = await resolve(did)
      expect(response.status, `${did}: ${JSON.stringify(response.body)}`).toBe(status)
      expect(response.body.error).toEqual(expect.any(String))
    }
  })
})
