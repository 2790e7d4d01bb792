// The Indy ledger room and ledger-backed DIDs against a real four-node indy-node 1.13.2 pool on
// loopback (scripts/ensure-indy-pool.sh; test/helpers/indyPool.ts). Onboarding as ACA-Py users do
// it: a DID from a seed, a NYM registered by the trustee's wallet, the public DID's endpoint
// ATTRIB; schemas and credential definitions under ACA-Py's unqualified ids and did:indy ids;
// did:sov and did:indy resolution; the ledger's transaction author agreement — absent, then set
// by the trustee, accepted per tenant and carried on every write, then replaced; refusals by the
// ledger and bad input as 4xx naming the field; a ledger that is down as a 502 naming it, with
// nothing half-written. Plus the network configuration itself.
//
// The pool's ledger outlives a test run (the script restarts it on its data): every name written
// here is unique to the run, and each run starts by withdrawing any agreement a previous one left.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { routeListingDeps } from '../../src/app'
import { routeTable } from '../../src/http/rooms'

import { BACKENDS, sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { indyKeyFromSeed, PoolTrustee, startIndyPool, TRUSTEE_SEED, type IndyPool } from '../helpers/indyPool'
import { startInProcess, type InProcessServer } from '../helpers/inProcessServer'
import { runServerProcessToExit } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'

const TRUSTEE = indyKeyFromSeed(TRUSTEE_SEED)
const NAMESPACE = 'local:pool'
const AML = { for_session: 'Accepted at the start of a session', wallet_agreement: 'Accepted in the wallet' }

function networksFile(dir: string, genesisFile: string, name = 'local-pool', indyNamespace = NAMESPACE): string {
  const file = path.join(dir, 'my-networks.json')
  fs.writeFileSync(file, JSON.stringify({ [name]: { indyNamespace, isProduction: false, genesisFile } }))
  return file
}

/** A seed of 32 characters no earlier run used. */
const freshSeed = () => randomBytes(16).toString('hex')

describe('Indy network configuration', () => {
  it('refuses to boot with an unknown network, naming it and the known ones', async () => {
    const dataDir = tempDataDir()
    const { code, output } = await runServerProcessToExit({ CREDENCE_DATA_DIR: dataDir, CREDENCE_INDY_NETWORKS: 'nowhere-net' })
    expect(code).not.toBe(0)
    expect(output).toContain('Unknown Indy network nowhere-net')
    expect(output).toContain('bcovrin-test')
  })

  it('refuses a network file whose entry has no genesis, naming the entry', async () => {
    const dataDir = tempDataDir()
    const file = path.join(dataDir, 'bad.json')
    fs.writeFileSync(file, JSON.stringify({ mine: { indyNamespace: 'mine', isProduction: false } }))
    const { code, output } = await runServerProcessToExit({ CREDENCE_DATA_DIR: dataDir, CREDENCE_INDY_NETWORKS: 'mine', CREDENCE_INDY_NETWORKS_FILE: file })
    expect(code).not.toBe(0)
    expect(output).toContain('mine: give exactly one of genesisFile, genesisUrl, genesisTransactions')
  })

  it('without a network, every ledger route answers 403 "No Indy ledger available"', async () => {
    const running = await startInProcess({ CREDENCE_DATA_DIR: tempDataDir() })
    try {
      const tenant = await createTenant(running.process, 'NoLedger')
      for (const [method, url] of [
        ['GET', '/ledger/taa'],
        ['POST', '/ledger/taa/accept'],
        ['POST', `/ledger/register-nym?did=${TRUSTEE.did}&verkey=${TRUSTEE.verkey}`],
        ['GET', `/ledger/did-verkey?did=${TRUSTEE.did}`],
        ['GET', `/ledger/did-endpoint?did=${TRUSTEE.did}`],
        ['GET', `/ledger/get-nym-role?did=${TRUSTEE.did}`],
        ['GET', '/ledger/config'],
      ]) {
        const body = method === 'POST' && url === '/ledger/taa/accept' ? { version: '1.0', text: 'x', mechanism: 'for_session' } : undefined
        const response = await tenant.api(method, url, { body })
        expect(response.status, `${method} ${url}`).toBe(403)
        expect(response.body.error).toBe('No Indy ledger available')
      }
      // did:indy (and, with no cheqd network chosen, did:cheqd) is then an unsupported method.
      expect((await tenant.api('GET', `/resolver/resolve/did:indy:${NAMESPACE}:${TRUSTEE.did}`)).status).toBe(501)
      expect((await tenant.api('GET', '/resolver/resolve/did:cheqd:testnet:0f964a80-5d18-4867-83e3-b47f5a756f02')).status).toBe(501)
    } finally {
      await running.server.stop()
    }
  })
})

describe.each(BACKENDS)('Indy ledger (a real indy-node pool) on $name', (backend) => {
  let pool: IndyPool
  let trustee: PoolTrustee
  let env: Record<string, string>
  let running: InProcessServer
  /** The wallet holding the pool's trustee DID (from its well-known seed). */
  let trusteeWallet: TestTenant
  let issuer: TestTenant
  let other: TestTenant
  const issuerKey = indyKeyFromSeed(freshSeed())
  let issuerSeed: string
  /** A schema version no earlier run wrote under these DIDs. */
  const version = `${parseInt(randomBytes(3).toString('hex'), 16)}.0`
  const agreementVersion = `1.${Date.now()}`

  beforeAll(async () => {
    pool = await startIndyPool()
    trustee = new PoolTrustee(pool.genesis)
    await trustee.disableAgreements()
    const dataDir = tempDataDir()
    env = {
      ...backend.env(dataDir),
      CREDENCE_INDY_NETWORKS: 'local-pool',
      CREDENCE_INDY_NETWORKS_FILE: networksFile(dataDir, pool.genesisFile),
      CREDENCE_WALLET_ALLOW_INSECURE_SEED: 'true',
    }
    running = await startInProcess(env)
    ;[trusteeWallet, issuer, other] = [await createTenant(running.process, 'Trustee'), await createTenant(running.process, 'Issuer'), await createTenant(running.process, 'Other')]
  })

  afterAll(async () => {
    await trustee?.disableAgreements()
    await running?.server.stop()
    await backend.cleanup(env)
  })

  const accept = (tenant: TestTenant, body: Record<string, string>) => tenant.api('POST', '/ledger/taa/accept', { body })
  const seededDid = async (tenant: TestTenant, seed: string) => {
    const created = await tenant.api('POST', '/wallet/did/create', { body: { method: 'sov', seed } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    return created.body.result as { did: string; verkey: string }
  }

  it('shows the ledger, which has no agreement yet; the trustee\'s wallet makes the trustee DID public and writes its endpoint', async () => {
    expect((await trusteeWallet.api('GET', '/ledger/config')).body).toEqual({
      production_ledgers: [],
      non_production_ledgers: [{ id: 'local-pool', pool_name: 'local-pool', indy_namespace: NAMESPACE, is_production: false, is_write: true }],
    })
    expect((await trusteeWallet.api('GET', '/ledger/taa')).body.result).toMatchObject({ taa_required: false, taa_accepted: null })
    const noAgreement = await accept(trusteeWallet, { version: '1.0', text: 'x', mechanism: 'for_session' })
    expect(noAgreement).toMatchObject({ status: 400, body: { field: 'version', error: expect.stringContaining('no transaction author agreement') } })

    expect(await seededDid(trusteeWallet, TRUSTEE_SEED)).toMatchObject({ did: TRUSTEE.did, verkey: TRUSTEE.verkey })
    const made = await trusteeWallet.api('POST', `/wallet/did/public?did=${TRUSTEE.did}`)
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    expect(made.body.result).toMatchObject({ did: TRUSTEE.did, posture: 'public' })

    // Read back by another wallet, through any node of the pool.
    const endpoint = running.process.env.CREDENCE_ENDPOINT
    expect((await other.api('GET', `/ledger/did-endpoint?did=${TRUSTEE.did}`)).body).toEqual({ endpoint, ledger_id: 'local-pool' })
    expect((await other.api('GET', `/ledger/did-endpoint?did=did:sov:${TRUSTEE.did}&endpoint_type=Profile`)).body).toEqual({ endpoint: null, ledger_id: 'local-pool' })
    expect((await other.api('GET', `/ledger/get-nym-role?did=${TRUSTEE.did}`)).body).toEqual({ role: 'TRUSTEE', ledger_id: 'local-pool' })
    // The ledger abbreviates the trustee's verkey (`~…`); it comes back whole.
    expect((await other.api('GET', `/ledger/did-verkey?did=${TRUSTEE.did}`)).body).toEqual({ verkey: TRUSTEE.verkey, ledger_id: 'local-pool' })
    // Made public again: the ledger already holds the endpoint, so nothing is written (no error either).
    expect((await trusteeWallet.api('POST', `/wallet/did/public?did=${TRUSTEE.did}`)).status).toBe(200)
  })

  it('onboards an issuer: a DID from a seed, registered as ENDORSER by the trustee\'s wallet, then made public', async () => {
    issuerSeed = freshSeed()
    const { did, verkey } = await seededDid(issuer, issuerSeed)
    Object.assign(issuerKey, { did, verkey })

    // Not on the ledger yet: it cannot be made public, and the wallet has no public DID after.
    const early = await issuer.api('POST', `/wallet/did/public?did=${did}`)
    expect(early.status).toBe(400)
    expect(early.body.error).toContain('not posted to the ledger')
    expect((await issuer.api('GET', '/wallet/did/public')).body.result).toBeNull()

    const registered = await trusteeWallet.api('POST', `/ledger/register-nym?did=${did}&verkey=${verkey}&alias=Issuer&role=ENDORSER`)
    expect(registered.status, JSON.stringify(registered.body)).toBe(200)
    expect(registered.body).toEqual({ success: true })
    expect(await trustee.settledNym(did)).toMatchObject({ dest: did, verkey, role: '101', identifier: TRUSTEE.did })
    expect((await other.api('GET', `/ledger/did-verkey?did=${did}`)).body).toEqual({ verkey, ledger_id: 'local-pool' })
    expect((await other.api('GET', `/ledger/get-nym-role?did=did:indy:${NAMESPACE}:${did}`)).body).toEqual({ role: 'ENDORSER', ledger_id: 'local-pool' })

    const made = await issuer.api('POST', `/wallet/did/public?did=${did}`)
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    expect((await other.api('GET', `/ledger/did-endpoint?did=${did}`)).body.endpoint).toBe(running.process.env.CREDENCE_ENDPOINT)
  })

  it('resolves the issuer as did:sov and as did:indy from the ledger, with its DIDComm service', async () => {
    const resolved = await other.api('GET', `/resolver/resolve/did:sov:${issuerKey.did}`)
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200)
    expect(resolved.body.did_document.id).toBe(`did:sov:${issuerKey.did}`)
    expect(resolved.body.did_document.verificationMethod[0].publicKeyBase58).toBe(issuerKey.verkey)
    expect(resolved.body.did_document.service.map((s: any) => s.serviceEndpoint)).toContain(running.process.env.CREDENCE_ENDPOINT)
    const indy = await other.api('GET', `/resolver/resolve/did:indy:${NAMESPACE}:${issuerKey.did}`)
    expect(indy.status, JSON.stringify(indy.body)).toBe(200)
    expect(indy.body.did_document.id).toBe(`did:indy:${NAMESPACE}:${issuerKey.did}`)
    const nowhere = indyKeyFromSeed(freshSeed()).did
    expect((await other.api('GET', `/resolver/resolve/did:sov:${nowhere}`)).status).toBe(404)
    expect((await other.api('GET', `/ledger/did-verkey?did=${nowhere}`)).status).toBe(404)
  })

  it('publishes a schema and a credential definition under the public DID with ACA-Py\'s unqualified ids, and reads them back by either name', async () => {
    const did = issuerKey.did
    const sent = await issuer.api('POST', '/schemas', { body: { schema_name: 'membership', schema_version: version, attributes: ['name', 'level'] } })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const schemaId = `${did}:2:membership:${version}`
    const seqNo = sent.body.schema.seqNo
    expect(seqNo).toEqual(expect.any(Number))
    expect(sent.body).toEqual({
      sent: { schema_id: schemaId, schema: { ver: '1.0', id: schemaId, name: 'membership', version, attrNames: ['name', 'level'], seqNo } },
      schema_id: schemaId,
      schema: { ver: '1.0', id: schemaId, name: 'membership', version, attrNames: ['name', 'level'], seqNo },
    })
    // The transaction on the ledger is the issuer's SCHEMA.
    expect(await trustee.domainTransaction(seqNo)).toMatchObject({ type: '101', metadata: { from: did }, data: { data: { name: 'membership', version } } })

    // Right after the schema: the credential definition reads it back (through any node) for its number.
    const defined = await issuer.api('POST', '/credential-definitions', { body: { schema_id: schemaId, tag: 'default' } })
    expect(defined.status, JSON.stringify(defined.body)).toBe(200)
    const credDefId = `${did}:3:CL:${seqNo}:default`
    expect(defined.body).toEqual({ sent: { credential_definition_id: credDefId }, credential_definition_id: credDefId })
    // Sent again, ACA-Py's legacy route gives back the same definition.
    expect((await issuer.api('POST', '/credential-definitions', { body: { schema_id: schemaId, tag: 'default' } })).body.credential_definition_id).toBe(credDefId)
    // The same schema named by its did:indy id is the same schema: no second definition.
    const again = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: did, schemaId: `did:indy:${NAMESPACE}:${did}/anoncreds/v0/SCHEMA/membership/${version}`, tag: 'default' } },
    })
    expect(again).toMatchObject({ status: 400, body: { field: 'credential_definition.tag', error: expect.stringContaining(credDefId) } })
    // Another wallet with the same DID (from the same seed) finds that definition on the ledger, not in its wallet: not written over.
    const twin = await createTenant(running.process, 'Twin')
    await seededDid(twin, issuerSeed)
    expect((await twin.api('POST', `/wallet/did/public?did=${did}`)).status).toBe(200)
    const elsewhere = await twin.api('POST', '/credential-definitions', { body: { schema_id: schemaId, tag: 'default' } })
    expect(elsewhere).toMatchObject({ status: 400, body: { field: 'credential_definition.tag', error: expect.stringContaining('on the ledger but not in this wallet') } })
    expect((await twin.api('GET', '/credential-definitions/created')).body).toEqual({ credential_definition_ids: [] })

    expect((await issuer.api('GET', '/schemas/created')).body).toEqual({ schema_ids: [schemaId] })
    expect((await issuer.api('GET', `/schemas/created?schema_issuer_did=${did}`)).body).toEqual({ schema_ids: [schemaId] })
    expect((await issuer.api('GET', '/credential-definitions/created')).body).toEqual({ credential_definition_ids: [credDefId] })
    expect((await issuer.api('GET', `/credential-definitions/created?schema_id=${schemaId}`)).body).toEqual({ credential_definition_ids: [credDefId] })
    expect((await issuer.api('GET', `/anoncreds/schemas?schema_issuer_id=did:indy:${NAMESPACE}:${did}`)).body).toEqual({
      schema_ids: [`did:indy:${NAMESPACE}:${did}/anoncreds/v0/SCHEMA/membership/${version}`],
    })

    // Another wallet reads both from the ledger, by either name.
    const readBack = await other.api('GET', `/credential-definitions/${credDefId}`)
    expect(readBack.status, JSON.stringify(readBack.body)).toBe(200)
    expect(readBack.body.credential_definition).toMatchObject({ ver: '1.0', id: credDefId, schemaId: String(seqNo), type: 'CL', tag: 'default', value: { primary: expect.any(Object) } })
    // Indy keeps attribute names as a set: their order on the way back is the ledger's.
    const anyOrder = (names: string[]) => expect.toSatisfy((got: string[]) => [...got].sort().join() === [...names].sort().join())
    const schemaRead = await other.api('GET', `/schemas/${schemaId}`)
    expect(schemaRead.body.schema).toEqual({ ver: '1.0', id: schemaId, name: 'membership', version, attrNames: anyOrder(['name', 'level']), seqNo })
    // A did:indy id has slashes: it is percent-encoded in the path, as for ACA-Py.
    const qualified = await other.api('GET', `/anoncreds/schema/${encodeURIComponent(`did:indy:${NAMESPACE}:${did}/anoncreds/v0/SCHEMA/membership/${version}`)}`)
    expect(qualified.body.schema).toEqual({ issuerId: `did:indy:${NAMESPACE}:${did}`, name: 'membership', version, attrNames: anyOrder(['name', 'level']) })
    expect(qualified.body.schema_metadata).toMatchObject({ seqNo })
    expect(qualified.body.schema_metadata).not.toHaveProperty('indyLedgerSeqNo')
  })

  it('names did:indy ids to whoever names the issuer as did:indy', async () => {
    const issuerId = `did:indy:${NAMESPACE}:${issuerKey.did}`
    const created = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId, name: 'badge', version, attrNames: ['holder'] } } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body.schema_state).toMatchObject({ state: 'finished', schema_id: `${issuerId}/anoncreds/v0/SCHEMA/badge/${version}`, schema: { issuerId } })
    expect(created.body.schema_metadata).toEqual({ seqNo: expect.any(Number) })
    const definition = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId, schemaId: created.body.schema_state.schema_id, tag: 'v2' } },
    })
    expect(definition.status, JSON.stringify(definition.body)).toBe(200)
    expect(definition.body.credential_definition_state.credential_definition_id).toBe(`${issuerId}/anoncreds/v0/CLAIM_DEF/${created.body.schema_metadata.seqNo}/v2`)
  })

  it('reads a NYM the ledger holds without a verkey as 404', async () => {
    const { did } = indyKeyFromSeed(freshSeed())
    await trustee.writeNym({ dest: did })
    const noVerkey = await other.api('GET', `/ledger/did-verkey?did=${did}`)
    expect(noVerkey).toMatchObject({ status: 404, body: { error: expect.stringContaining('without a verkey') } })
  })

  it('answers the ledger\'s refusals and bad input with a 4xx naming the reason; nothing is kept', async () => {
    // An endorser may not make a trustee: the ledger's own reason comes back.
    const { did, verkey } = indyKeyFromSeed(freshSeed())
    const refused = await issuer.api('POST', `/ledger/register-nym?did=${did}&verkey=${verkey}&role=TRUSTEE`)
    expect(refused.status, JSON.stringify(refused.body)).toBe(400)
    expect(refused.body.field).toBe('ledger')
    expect(refused.body.error).toMatch(/^The ledger refused the request: .*TRUSTEE/)
    expect(await trustee.readNym(did)).toBeNull()

    // A DID on the ledger with no role may not write a schema: refused, and the wallet gains nothing.
    const plain = await createTenant(running.process, 'Plain')
    const plainDid = await seededDid(plain, freshSeed())
    expect((await trusteeWallet.api('POST', `/ledger/register-nym?did=${plainDid.did}&verkey=${plainDid.verkey}`)).status).toBe(200)
    const schema = (issuerId: string, attrNames = ['a']) => ({ schema: { issuerId, name: 'refused', version, attrNames } })
    const twice = await plain.api('POST', '/anoncreds/schema', { body: schema(plainDid.did, ['a', 'a']) })
    expect(twice).toMatchObject({ status: 400, body: { field: 'schema.attrNames' } })
    const noRole = await plain.api('POST', '/anoncreds/schema', { body: schema(plainDid.did) })
    expect(noRole).toMatchObject({ status: 400, body: { field: 'ledger', error: expect.stringContaining('The ledger refused the schema') } })
    expect((await plain.api('GET', '/anoncreds/schemas')).body.schema_ids).toEqual([])
    expect((await plain.api('GET', '/wallet/did')).body.results.map((r: any) => r.did)).toEqual([plainDid.did])
    const notMine = await other.api('POST', '/anoncreds/schema', { body: schema(issuerKey.did) })
    expect(notMine).toMatchObject({ status: 400, body: { field: 'schema.issuerId', error: expect.stringContaining('not a DID of this wallet') } })

    const noPublic = await other.api('POST', `/ledger/register-nym?did=${did}&verkey=${verkey}`)
    expect(noPublic).toMatchObject({ status: 400, body: { error: expect.stringContaining('no public DID') } })
    expect((await trusteeWallet.api('POST', `/ledger/register-nym?did=${did}&verkey=not-a-key`)).body.field).toBe('verkey')
    expect((await trusteeWallet.api('GET', '/ledger/did-verkey?did=did:web:example.com')).body.field).toBe('did')
    expect((await trusteeWallet.api('GET', '/ledger/did-verkey')).status).toBe(422)
    expect((await trusteeWallet.api('POST', `/ledger/register-nym?did=${did}&verkey=${verkey}&role=KING`)).status).toBe(422)
    expect((await trusteeWallet.api('GET', `/ledger/did-verkey?did=did:indy:elsewhere:${did}`)).body.field).toBe('did')
  })

  it('with an agreement set by the trustee: shown per wallet, checked on accept, required for every write and carried on it', async () => {
    const text = `Use this ledger kindly (run ${agreementVersion}).`
    await trustee.setAgreement(text, agreementVersion)
    const view = (await trusteeWallet.api('GET', '/ledger/taa')).body.result
    const digest = (await trustee.currentAgreement())!.digest
    expect(view).toEqual({
      aml_record: { version: `aml-${agreementVersion}`, aml: AML, amlContext: 'https://example.org/aml' },
      taa_record: { text, version: agreementVersion, digest, ratification_ts: expect.any(Number) },
      taa_required: true,
      taa_accepted: null,
    })

    // Writes without an acceptance are refused before anything is sent.
    const newcomer = indyKeyFromSeed(freshSeed())
    const withoutTaa = await trusteeWallet.api('POST', `/ledger/register-nym?did=${newcomer.did}&verkey=${newcomer.verkey}`)
    expect(withoutTaa).toMatchObject({ status: 400, body: { field: 'taa' } })
    const schemaWithoutTaa = await issuer.api('POST', '/schemas', { body: { schema_name: 'agreed', schema_version: version, attributes: ['a'] } })
    expect(schemaWithoutTaa).toMatchObject({ status: 400, body: { field: 'taa' } })

    // Wrong version, text or mechanism: a 400 naming it, and nothing kept.
    expect((await accept(issuer, { version: '0.9', text, mechanism: 'for_session' })).body.field).toBe('version')
    expect((await accept(issuer, { version: agreementVersion, text: 'Something else', mechanism: 'for_session' })).body.field).toBe('text')
    expect((await accept(issuer, { version: agreementVersion, text, mechanism: 'by_telepathy' })).body.field).toBe('mechanism')
    expect((await issuer.api('POST', '/ledger/taa/accept', { body: { version: agreementVersion } })).status).toBe(422)
    expect((await issuer.api('GET', '/ledger/taa')).body.result.taa_accepted).toBeNull()

    expect((await accept(issuer, { version: agreementVersion, text, mechanism: 'wallet_agreement' })).body).toEqual({})
    expect((await issuer.api('GET', '/ledger/taa')).body.result.taa_accepted).toEqual({ mechanism: 'wallet_agreement', time: expect.any(Number) })
    // Never shared: the trustee's wallet has accepted nothing.
    expect((await trusteeWallet.api('GET', '/ledger/taa')).body.result.taa_accepted).toBeNull()

    const written = await issuer.api('POST', '/schemas', { body: { schema_name: 'agreed', schema_version: version, attributes: ['a'] } })
    expect(written.status, JSON.stringify(written.body)).toBe(200)
    // The ledger keeps the issuer's acceptance with the transaction.
    const txn = await trustee.domainTransaction(written.body.schema.seqNo)
    expect(txn?.metadata.taaAcceptance).toMatchObject({ mechanism: 'wallet_agreement', taaDigest: digest })

    expect((await accept(trusteeWallet, { version: agreementVersion, text, mechanism: 'for_session' })).status).toBe(200)
    expect((await trusteeWallet.api('POST', `/ledger/register-nym?did=${newcomer.did}&verkey=${newcomer.verkey}`)).status).toBe(200)
    expect(await trustee.settledNym(newcomer.did)).toMatchObject({ verkey: newcomer.verkey })
  })

  it('serves the same per-wallet agreement to the controller API (fetch-taa, accept-taa)', async () => {
    const wallet = await createTenant(running.process, 'Controller')
    const { adminUrl } = running.process
    const minted = await call(adminUrl, 'POST', '/api/apikey/create', {
      headers: { 'x-api-key': running.secrets.baseApiKey },
      body: { wallet_id: wallet.walletId, name: 'ops', roles: ['technician'] },
    })
    const asKey = { 'x-api-key': minted.body.api_key }
    const agreement = (await trustee.currentAgreement())!
    const fetched = await call(adminUrl, 'POST', '/api/v1/fetch-taa', { headers: asKey })
    expect(fetched.body).toMatchObject({ taa_required: true, taa_record: { version: agreement.version, digest: agreement.digest }, taa_accepted: null })
    const wrong = await call(adminUrl, 'POST', '/api/v1/accept-taa', { headers: asKey, body: { mechanism: 'for_session', text: agreement.text, version: '9.9' } })
    expect(wrong).toMatchObject({ status: 400, body: { field: 'version' } })
    expect((await call(adminUrl, 'POST', '/api/v1/accept-taa', { headers: asKey, body: { mechanism: 'for_session' } })).status).toBe(422)
    const accepted = await call(adminUrl, 'POST', '/api/v1/accept-taa', { headers: asKey, body: { mechanism: 'for_session', text: agreement.text, version: agreement.version } })
    expect(accepted.body).toMatchObject({ taa_required: true, taa_accepted: { mechanism: 'for_session', time: expect.any(Number) } })
    // The ACA-Py face of the same wallet sees the acceptance; no other wallet does.
    expect((await wallet.api('GET', '/ledger/taa')).body.result.taa_accepted).toMatchObject({ mechanism: 'for_session' })
    expect((await other.api('GET', '/ledger/taa')).body.result.taa_accepted).toBeNull()
  })

  // The ledger routes cannot answer in declaredRoutes.e2e (no ledger there): their answers are checked here.
  it('answers each ledger route as its declaration says', async () => {
    const declared = routeTable(routeListingDeps('test'))
    const expectDeclared = async (tenant: TestTenant, method: string, target: string, options: { body?: unknown } = {}) => {
      const route = declared.find((entry) => entry.method === method && entry.path === target.split('?')[0])
      expect(route, `${method} ${target} is declared`).toBeDefined()
      const { status, body } = await tenant.api(method, target, options)
      expect(status, JSON.stringify(body)).toBe(200)
      const parsed = route!.response.safeParse(body)
      expect(parsed.success, `${method} ${target} answered ${JSON.stringify(body)}: ${parsed.success ? '' : parsed.error.message}`).toBe(true)
    }
    const agreement = (await trustee.currentAgreement())!
    const { did, verkey } = indyKeyFromSeed(freshSeed())
    await expectDeclared(trusteeWallet, 'GET', '/ledger/config')
    await expectDeclared(trusteeWallet, 'GET', '/ledger/taa')
    await expectDeclared(other, 'POST', '/ledger/taa/accept', { body: { version: agreement.version, text: agreement.text, mechanism: 'wallet_agreement' } })
    await expectDeclared(trusteeWallet, 'POST', `/ledger/register-nym?did=${did}&verkey=${verkey}`)
    await expectDeclared(other, 'GET', `/ledger/did-verkey?did=${did}`)
    await expectDeclared(other, 'GET', `/ledger/did-endpoint?did=${TRUSTEE.did}`)
    await expectDeclared(other, 'GET', `/ledger/get-nym-role?did=${did}`)
  })

  it('sees a newly ratified agreement at once: the old acceptance no longer writes (run last: it changes the agreement)', async () => {
    const text = `Use this ledger kindly, and tidily (run ${agreementVersion}).`
    const next = `${agreementVersion}.1`
    await trustee.setAgreement(text, next)
    const view = (await issuer.api('GET', '/ledger/taa')).body.result
    expect(view.taa_record).toMatchObject({ version: next, text })
    expect(view.taa_accepted).toBeNull()
    const schema = { schema: { issuerId: issuerKey.did, name: 'after-new-taa', version, attrNames: ['a'] } }
    expect(await issuer.api('POST', '/anoncreds/schema', { body: schema })).toMatchObject({ status: 400, body: { field: 'taa' } })
    expect((await accept(issuer, { version: next, text, mechanism: 'for_session' })).status).toBe(200)
    const written = await issuer.api('POST', '/anoncreds/schema', { body: schema })
    expect(written.status, JSON.stringify(written.body)).toBe(200)
    const txn = await trustee.domainTransaction(written.body.schema_metadata.seqNo)
    expect(txn?.metadata.taaAcceptance).toMatchObject({ mechanism: 'for_session', taaDigest: (await trustee.currentAgreement())!.digest })
  })
})

describe('an Indy ledger that is down', () => {
  let running: InProcessServer

  beforeAll(async () => {
    // The real pool's genesis with every port moved to where nothing listens.
    const pool = await startIndyPool()
    const dataDir = tempDataDir()
    const deadGenesis = path.join(dataDir, 'down-genesis.txn')
    fs.writeFileSync(
      deadGenesis,
      pool.genesis
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const txn = JSON.parse(line)
          txn.txn.data.data.node_port += 1000
          txn.txn.data.data.client_port += 1000
          return JSON.stringify(txn)
        })
        .join('\n'),
    )
    running = await startInProcess({
      ...sqlite.env(dataDir),
      CREDENCE_INDY_NETWORKS: 'down-pool',
      CREDENCE_INDY_NETWORKS_FILE: networksFile(dataDir, deadGenesis, 'down-pool', 'down:pool'),
      CREDENCE_WALLET_ALLOW_INSECURE_SEED: 'true',
    })
  })

  afterAll(async () => {
    await running?.server.stop()
  })

  it('answers 502 naming the ledger, and keeps nothing half-written', async () => {
    const tenant = await createTenant(running.process, 'Stranded')
    const unreachable = await tenant.api('GET', `/ledger/did-verkey?did=${TRUSTEE.did}`)
    expect(unreachable.status).toBe(502)
    expect(unreachable.body.error).toContain('The Indy ledger down:pool could not be reached')

    const { did } = (await tenant.api('POST', '/wallet/did/create', { body: { method: 'sov', seed: TRUSTEE_SEED } })).body.result
    const madePublic = await tenant.api('POST', `/wallet/did/public?did=${did}`)
    expect(madePublic.status).toBe(502)
    expect(madePublic.body.error).toContain('down:pool')
    expect((await tenant.api('GET', '/wallet/did/public')).body.result).toBeNull()

    const schema = await tenant.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'stranded', version: '1.0', attrNames: ['a'] } } })
    expect(schema.status).toBe(502)
    expect(schema.body.error).toContain('down:pool')
    expect((await tenant.api('GET', '/anoncreds/schemas')).body.schema_ids).toEqual([])
    expect((await tenant.api('GET', '/wallet/did')).body.results.map((r: any) => r.did)).toEqual([did])
  })
})
