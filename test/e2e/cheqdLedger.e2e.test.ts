// did:cheqd and AnonCreds objects on cheqd, read by a Credence process through its real cheqd
// module over HTTP from a cheqd node's RPC interface on loopback (test/helpers/cheqdLedgerDouble.ts
// says why and what it answers).
import { Key, KeyType } from '@credo-ts/core'
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { issueCredential, proveCredential } from '../helpers/anonCredsFlows'
import { sqlite, tempDataDir } from '../helpers/backends'
import { CheqdLedgerDouble } from '../helpers/cheqdLedgerDouble'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'

describe("cheqd through its RPC interface", () => {
  const ledger = new CheqdLedgerDouble()
  const id = randomUUID()
  const did = `did:cheqd:testnet:${id}`
  const key = Key.fromPublicKey(randomBytes(32), KeyType.Ed25519)
  const schemaResourceId = randomUUID()
  let server: ServerProcess
  let tenant: TestTenant
  let cheqdDid: string

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
      // The holder fetches the issuer's tails files from its public port on loopback http.
      CREDENCE_DID_WEB_ALLOW_HTTP: 'true',
      CREDENCE_CHEQD_TESTNET_RPC_URL: ledger.url,
      // The BIP39 test mnemonic: the payer account the double accepts (it charges no fees).
      CREDENCE_CHEQD_COSMOS_PAYER_SEED: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
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

  it('creates a did:cheqd on the network and publishes a schema and a credential definition under it', async () => {
    const created = await tenant.api('POST', '/did/cheqd/create', { body: { options: { network: 'testnet' } } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).toEqual({ success: true, did: expect.stringMatching(/^did:cheqd:testnet:[0-9a-f-]{36}$/), verkey: expect.any(String) })
    cheqdDid = created.body.did
    expect([...ledger.transactions.values()].map((t) => t.messages)).toContainEqual(['/cheqd.did.v2.MsgCreateDidDoc'])
    const onLedger = ledger.didDocs.get(cheqdDid)!
    expect(onLedger.didDoc.verificationMethod[0].verificationMethodType).toBe('Ed25519VerificationKey2020')
    expect((await tenant.api('GET', `/wallet/did?did=${cheqdDid}`)).body.results).toEqual([
      expect.objectContaining({ did: cheqdDid, verkey: created.body.verkey, method: 'cheqd' }),
    ])
    const resolved = await tenant.api('GET', `/resolver/resolve/${cheqdDid}`)
    expect(resolved.body.did_document.id).toBe(cheqdDid)

    const schema = await tenant.api('POST', '/anoncreds/schema', {
      body: { schema: { issuerId: cheqdDid, name: 'diploma', version: '1.0', attrNames: ['name', 'degree'] } },
    })
    expect(schema.status, JSON.stringify(schema.body)).toBe(200)
    const schemaId = schema.body.schema_state.schema_id as string
    expect(schemaId).toMatch(new RegExp(`^${cheqdDid}/resources/[0-9a-f-]{36}$`))
    const definition = await tenant.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: cheqdDid, schemaId, tag: 'default' } },
    })
    expect(definition.status, `${JSON.stringify(definition.body)} ${JSON.stringify(ledger.errors)}`).toBe(200)
    const credDefId = definition.body.credential_definition_state.credential_definition_id as string
    expect(credDefId).toMatch(new RegExp(`^${cheqdDid}/resources/[0-9a-f-]{36}$`))
    const resourceTypes = [...ledger.resources.values()].filter((r) => cheqdDid.endsWith(r.metadata.collectionId)).map((r) => r.metadata.resourceType)
    expect(resourceTypes.sort()).toEqual(['anonCredsCredDef', 'anonCredsSchema'])

    // Read back from the network by another tenant, in the AnonCreds shape.
    const reader = await createTenant(server, 'CheqdVerifier')
    const read = await reader.api('GET', `/anoncreds/credential-definition/${encodeURIComponent(credDefId)}`)
    expect(read.status, JSON.stringify(read.body)).toBe(200)
    expect(read.body.credential_definition).toMatchObject({ issuerId: cheqdDid, schemaId, type: 'CL', tag: 'default', value: { primary: expect.any(Object) } })
  })

  it('revokes on cheqd: each registry has its own resource name and status lists, so a proof on the second registry reads its own list', async () => {
    const schema = await tenant.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: cheqdDid, name: 'badge', version: '1.0', attrNames: ['name', 'level'] } } })
    expect(schema.status, JSON.stringify(schema.body)).toBe(200)
    const definition = await tenant.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: cheqdDid, schemaId: schema.body.schema_state.schema_id, tag: 'revocable' }, options: { support_revocation: true, revocation_registry_size: 4 } },
    })
    expect(definition.status, `${JSON.stringify(definition.body)} ${JSON.stringify(ledger.errors)}`).toBe(200)
    const credDefId = definition.body.credential_definition_state.credential_definition_id as string
    const registries = (await tenant.api('GET', `/anoncreds/revocation/registries?cred_def_id=${encodeURIComponent(credDefId)}`)).body.rev_reg_ids as string[]
    expect(registries).toHaveLength(2)
    for (const id of registries) expect(id).toMatch(new RegExp(`^${cheqdDid}/resources/[0-9a-f-]{36}$`))
    // On the ledger: two definitions with names of their own, and each one's first status list under its name.
    const onLedger = [...ledger.resources.values()].filter((r) => cheqdDid.endsWith(r.metadata.collectionId))
    const definitions = onLedger.filter((r) => r.metadata.resourceType === 'anonCredsRevocRegDef')
    expect(new Set(definitions.map((r) => r.metadata.name)).size).toBe(2)
    const lists = onLedger.filter((r) => r.metadata.resourceType === 'anonCredsStatusList')
    expect(lists.map((r) => r.metadata.name).sort()).toEqual(definitions.map((r) => r.metadata.name).sort())

    const holder = await createTenant(server, 'CheqdHolder')
    const { inviterConnection } = await connectTenants(tenant, holder)
    const pair = { issuer: tenant, holder, issuerConnection: inviterConnection, credDefId }
    const now = () => Math.floor(Date.now() / 1000)
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    const recordOf = async (credExId: string) => (await tenant.api('GET', `/anoncreds/revocation/credential-record?cred_ex_id=${credExId}`)).body.result
    const revoke = async (credExId: string) => expect((await tenant.api('POST', '/anoncreds/revocation/revoke', { body: { cred_ex_id: credExId, publish: true } })).status).toBe(200)

    const alice = await issueCredential(pair, 'Alice')
    expect(await proveCredential(pair, 'Alice', { to: now() })).toMatchObject({ verified: 'true' })
    await sleep(1100)
    const beforeRevocation = now()
    await sleep(1100)
    await revoke(alice.issuerCredExId)
    await sleep(1100)
    expect(await proveCredential(pair, 'Alice', { to: now() })).toMatchObject({ verified: 'false' })
    expect(await proveCredential(pair, 'Alice', { from: beforeRevocation, to: beforeRevocation })).toMatchObject({ verified: 'true' })

    // The first registry (of four: three credentials) fills; the next credential is on the second.
    await issueCredential(pair, 'Bob')
    await issueCredential(pair, 'Carol')
    const dan = await issueCredential(pair, 'Dan')
    expect((await recordOf(dan.issuerCredExId)).rev_reg_id).not.toBe((await recordOf(alice.issuerCredExId)).rev_reg_id)
    expect(await proveCredential(pair, 'Dan', { to: now() })).toMatchObject({ verified: 'true' })
    await revoke(dan.issuerCredExId)
    await sleep(1100)
    expect(await proveCredential(pair, 'Dan', { to: now() })).toMatchObject({ verified: 'false' })
    // Publishing on the second registry left the first one's list alone.
    expect(await proveCredential(pair, 'Bob', { to: now() })).toMatchObject({ verified: 'true' })
    expect((await holder.api('GET', `/credential/revoked/${alice.credentialId}`)).body).toEqual({ revoked: true })
  })

  it('answers a refused transaction with a 502 naming the reason, and keeps no DID', async () => {
    ledger.funded = false
    try {
      const before = (await tenant.api('GET', '/wallet/did?method=cheqd')).body.results.length
      const refused = await tenant.api('POST', '/did/cheqd/create', { body: { options: { network: 'testnet' } } })
      expect(refused.status).toBe(502)
      expect(refused.body.error).toContain('did not take the DID')
      expect((await tenant.api('GET', '/wallet/did?method=cheqd')).body.results.length).toBe(before)

      const schemas = (await tenant.api('GET', '/anoncreds/schemas')).body.schema_ids
      const unpaid = await tenant.api('POST', '/anoncreds/schema', {
        body: { schema: { issuerId: cheqdDid, name: 'unpaid', version: '1.0', attrNames: ['a'] } },
      })
      expect(unpaid.status).toBe(502)
      expect(unpaid.body.error).toContain('did not take the schema')
      expect((await tenant.api('GET', '/anoncreds/schemas')).body.schema_ids).toEqual(schemas)
    } finally {
      ledger.funded = true
    }
    const unconfigured = await tenant.api('POST', '/did/cheqd/create', { body: { options: { network: 'mainnet' } } })
    expect(unconfigured.status).toBe(501)
    const bad = await tenant.api('POST', '/did/cheqd/create', { body: { options: { network: 'moonnet' } } })
    expect(bad.status).toBe(422)
    const other = await createTenant(server, 'NotTheIssuer')
    const foreign = await other.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: cheqdDid, name: 'x', version: '1.0', attrNames: ['a'] } } })
    expect(foreign).toMatchObject({ status: 400, body: { field: 'schema.issuerId', error: expect.stringContaining('not a DID of this wallet') } })
  })

  it('answers 502 when the cheqd node cannot be reached (run last: it stops the node)', async () => {
    await ledger.stop()
    const unreachable = await tenant.api('GET', `/resolver/resolve/did:cheqd:testnet:${randomUUID()}`)
    expect(unreachable.status).toBe(502)
    expect(unreachable.body.error).toContain('could not be reached')
  })
})
