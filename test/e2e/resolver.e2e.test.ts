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
    server = await startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' })
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
