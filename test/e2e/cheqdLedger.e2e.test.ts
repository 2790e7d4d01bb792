// did:cheqd and AnonCreds objects on cheqd, read by a Credence process through its real cheqd
// module over HTTP from a cheqd node's RPC interface on loopback (test/helpers/cheqdLedgerDouble.ts
// says why and what it answers).
import { Key, KeyType } from '@credo-ts/core'
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sqlite, tempDataDir } from '../helpers/backends'
import { CheqdLedgerDouble } from '../helpers/cheqdLedgerDouble'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'

describe("cheqd through its RPC interface", () => {
  const ledger = new CheqdLedgerDouble()
  const id = randomUUID()
  const did = `did:cheqd:testnet:${id}`
  const key = Key.fromPublicKey(randomBytes(32), KeyType.Ed25519)
  const schemaResourceId = randomUUID()
  let server: ServerProcess
  let tenant: TestTenant

  beforeAll(async () => {
    await ledger.start()
    ledger.addDidDoc({
      context: ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/ed25519-2020/v1'],
      id: did,
      controller: [did],
      verificationMethod: [{ id: `${did}#key-1`, verificationMethodType: 'Ed25519VerificationKey2020', controller: did, verificationMaterial: key.fingerprint }],
      authentication: [`${did}#key-1`],
      assertionMethod: [`${did}#key-1`],
      capabilityInvocation: [],
      capabilityDelegation: [],
      keyAgreement: [],
      service: [],
      alsoKnownAs: [],
    })
    ledger.addResource(id, {
      id: schemaResourceId,
      name: 'membership',
      version: '1.0',
      resourceType: 'anonCredsSchema',
      json: { name: 'membership', version: '1.0', attrNames: ['name', 'level'] },
    })
    server = await startServerProcess({
      ...sqlite.env(tempDataDir()),
      CREDENCE_CHEQD_NETWORKS: 'testnet',
      CREDENCE_CHEQD_TESTNET_RPC_URL: ledger.url,
    })
    tenant = await createTenant(server, 'CheqdReader')
  })

  afterAll(async () => {
    await server?.stop()
    await ledger.stop()
  })

  it('resolves a did:cheqd from the network, with its DID-linked resources in the metadata', async () => {
    const resolved = await tenant.api('GET', `/resolver/resolve/${did}`)
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200)
    expect(resolved.body.did_document).toMatchObject({
      id: did,
      verificationMethod: [{ id: `${did}#key-1`, type: 'Ed25519VerificationKey2020', publicKeyMultibase: key.fingerprint }],
      authentication: [`${did}#key-1`],
    })
    expect(resolved.body.document_metadata.linkedResourceMetadata).toEqual([
      expect.objectContaining({ collectionId: id, id: schemaResourceId, resourceType: 'anonCredsSchema', name: 'membership' }),
    ])
    expect(ledger.calls).toContain('/cheqd.did.v2.Query/DidDoc')
  })

  it('answers 404 for a did:cheqd the network does not have', async () => {
    expect((await tenant.api('GET', `/resolver/resolve/did:cheqd:testnet:${randomUUID()}`)).status).toBe(404)
  })

  it('reads an AnonCreds schema kept as a DID-linked resource', async () => {
    const schemaId = `${did}/resources/${schemaResourceId}`
    const read = await tenant.api('GET', `/anoncreds/schema/${encodeURIComponent(schemaId)}`)
    expect(read.status, JSON.stringify(read.body)).toBe(200)
    expect(read.body).toMatchObject({ schema_id: schemaId, schema: { issuerId: did, name: 'membership', version: '1.0', attrNames: ['name', 'level'] } })
    expect((await tenant.api('GET', `/anoncreds/schema/${encodeURIComponent(`${did}/resources/${randomUUID()}`)}`)).status).toBe(404)
  })
})
