// The Indy ledger room and ledger-backed DIDs, with Credo and Indy VDR's request builders real and
// the ledger answered at Indy VDR's network boundary (test/helpers/indyLedgerDouble.ts says why).
// Checks: the TAA is per tenant and checked on accept; writes carry the writing tenant's
// acceptance and signature; register-nym, did-verkey, did-endpoint, get-nym-role; a public did:sov
// is checked on the ledger and its endpoint written; did:sov resolves from the ledger; refusals
// and an unreachable ledger are 4xx/502 with nothing half-written. Plus the network config itself.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { routeListingDeps } from '../../src/app'
import { routeTable } from '../../src/http/rooms'

import { BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { IndyLedgerDouble, ROLE } from '../helpers/indyLedgerDouble'
import { startInProcess, type InProcessServer } from '../helpers/inProcessServer'
import { runServerProcessToExit } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'

/** The well-known development steward of Indy test networks (seed 000000000000000000000000Steward1). */
const STEWARD = { seed: '000000000000000000000000Steward1', did: 'Th7MpTaRZVRYnPiabds81Y', verkey: 'FYmoFw55GeQH7SRFa37dkx1d2dZ3zUF8ckg7wmL7ofN4' }

/** One pool transaction: Indy VDR needs genesis to build a pool, though this pool is never dialled. */
const GENESIS = JSON.stringify({
  reqSignature: {},
  txn: {
    data: {
      data: { alias: 'Node1', client_ip: '127.0.0.1', client_port: 9702, node_ip: '127.0.0.1', node_port: 9701, services: ['VALIDATOR'] },
      dest: 'Gw6pDLhcBcoQesN72qfotTgFa7cbuqZpkX3Xo6pLhPhv',
    },
    metadata: { from: STEWARD.did },
    type: '0',
  },
  txnMetadata: { seqNo: 1 },
  ver: '1',
})

const AGREEMENT = { text: 'Use this ledger kindly.', version: '1.0', ratification_ts: 1_600_000_000 }

function networksFile(dir: string): string {
  const file = path.join(dir, 'my-networks.json')
  fs.writeFileSync(file, JSON.stringify({ 'local-test': { indyNamespace: 'local:test', isProduction: false, genesisTransactions: GENESIS } }))
  return file
}

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
        ['POST', `/ledger/register-nym?did=${STEWARD.did}&verkey=${STEWARD.verkey}`],
        ['GET', `/ledger/did-verkey?did=${STEWARD.did}`],
        ['GET', `/ledger/did-endpoint?did=${STEWARD.did}`],
        ['GET', `/ledger/get-nym-role?did=${STEWARD.did}`],
        ['GET', '/ledger/config'],
      ]) {
        const body = method === 'POST' && url === '/ledger/taa/accept' ? { version: '1.0', text: 'x', mechanism: 'for_session' } : undefined
        const response = await tenant.api(method, url, { body })
        expect(response.status, `${method} ${url}`).toBe(403)
        expect(response.body.error).toBe('No Indy ledger available')
      }
      // did:indy (and, with no cheqd network chosen, did:cheqd) is then an unsupported method.
      expect((await tenant.api('GET', '/resolver/resolve/did:indy:local:test:Th7MpTaRZVRYnPiabds81Y')).status).toBe(501)
      expect((await tenant.api('GET', '/resolver/resolve/did:cheqd:testnet:0f964a80-5d18-4867-83e3-b47f5a756f02')).status).toBe(501)
    } finally {
      await running.server.stop()
    }
  })
})

describe.each(BACKENDS)('Indy ledger on $name', (backend) => {
  let env: Record<string, string>
  let running: InProcessServer
  let ledger: IndyLedgerDouble
  let steward: TestTenant
  let other: TestTenant

  beforeAll(async () => {
    const dataDir = tempDataDir()
    env = {
      ...backend.env(dataDir),
      CREDENCE_INDY_NETWORKS: 'local-test',
      CREDENCE_INDY_NETWORKS_FILE: networksFile(dataDir),
      CREDENCE_WALLET_ALLOW_INSECURE_SEED: 'true',
    }
    running = await startInProcess(env)
    ledger = new IndyLedgerDouble([{ dest: STEWARD.did, verkey: STEWARD.verkey, role: ROLE.STEWARD }])
    ledger.agreement = AGREEMENT
    ledger.attach(running.server.agent)
    steward = await createTenant(running.process, 'Steward')
    other = await createTenant(running.process, 'Other')
  })

  afterAll(async () => {
    await running?.server.stop()
    await backend.cleanup(env)
  })

  const accept = (tenant: TestTenant, body: Record<string, string>) => tenant.api('POST', '/ledger/taa/accept', { body })

  it('shows the ledger and its agreement, and keeps each tenant\'s acceptance to itself', async () => {
    expect((await steward.api('GET', '/ledger/config')).body).toEqual({
      production_ledgers: [],
      non_production_ledgers: [{ id: 'local-test', pool_name: 'local-test', indy_namespace: 'local:test', is_production: false, is_write: true }],
    })
    const before = await steward.api('GET', '/ledger/taa')
    expect(before.status).toBe(200)
    expect(before.body.result).toEqual({
      aml_record: { version: '1.0', aml: ledger.aml.aml, amlContext: ledger.aml.amlContext },
      taa_record: { ...AGREEMENT, digest: ledger.agreementDigest },
      taa_required: true,
      taa_accepted: null,
    })

    // Wrong version, text or mechanism: a 400 naming it, and nothing kept.
    const wrongVersion = await accept(steward, { version: '2.0', text: AGREEMENT.text, mechanism: 'for_session' })
    expect(wrongVersion.status).toBe(400)
    expect(wrongVersion.body.field).toBe('version')
    const wrongText = await accept(steward, { version: '1.0', text: 'Something else', mechanism: 'for_session' })
    expect(wrongText.status).toBe(400)
    expect(wrongText.body.field).toBe('text')
    const wrongMechanism = await accept(steward, { version: '1.0', text: AGREEMENT.text, mechanism: 'by_telepathy' })
    expect(wrongMechanism.status).toBe(400)
    expect(wrongMechanism.body.field).toBe('mechanism')
    const malformed = await steward.api('POST', '/ledger/taa/accept', { body: { version: '1.0' } })
    expect(malformed.status).toBe(422)
    expect((await steward.api('GET', '/ledger/taa')).body.result.taa_accepted).toBeNull()

    expect((await accept(steward, { version: '1.0', text: AGREEMENT.text, mechanism: 'for_session' })).body).toEqual({})
    const accepted = (await steward.api('GET', '/ledger/taa')).body.result.taa_accepted
    expect(accepted).toEqual({ mechanism: 'for_session', time: expect.any(Number) })
    // Never shared: the other tenant has accepted nothing.
    expect((await other.api('GET', '/ledger/taa')).body.result.taa_accepted).toBeNull()
  })

  it('serves the same per-wallet TAA to the controller API (fetch-taa, accept-taa)', async () => {
    const wallet = await createTenant(running.process, 'Controller')
    const { adminUrl } = running.process
    const minted = await call(adminUrl, 'POST', '/api/apikey/create', {
      headers: { 'x-api-key': running.secrets.baseApiKey },
      body: { wallet_id: wallet.walletId, name: 'ops', roles: ['technician'] },
    })
    const asKey = { 'x-api-key': minted.body.api_key }
    const fetched = await call(adminUrl, 'POST', '/api/v1/fetch-taa', { headers: asKey })
    expect(fetched.body).toEqual({
      aml_record: { version: '1.0', aml: ledger.aml.aml, amlContext: ledger.aml.amlContext },
      taa_record: { ...AGREEMENT, digest: ledger.agreementDigest },
      taa_required: true,
      taa_accepted: null,
    })
    const wrong = await call(adminUrl, 'POST', '/api/v1/accept-taa', { headers: asKey, body: { mechanism: 'for_session', text: AGREEMENT.text, version: '9.9' } })
    expect(wrong.status).toBe(400)
    expect(wrong.body.field).toBe('version')
    expect((await call(adminUrl, 'POST', '/api/v1/accept-taa', { headers: asKey, body: { mechanism: 'for_session' } })).status).toBe(422)
    const accepted = await call(adminUrl, 'POST', '/api/v1/accept-taa', { headers: asKey, body: { mechanism: 'for_session', text: AGREEMENT.text, version: AGREEMENT.version } })
    expect(accepted.body).toMatchObject({ taa_required: true, taa_record: { version: AGREEMENT.version }, taa_accepted: { mechanism: 'for_session', time: expect.any(Number) } })
    // The ACA-Py face of the same wallet sees the acceptance; no other wallet does.
    expect((await wallet.api('GET', '/ledger/taa')).body.result.taa_accepted).toMatchObject({ mechanism: 'for_session' })
    expect((await other.api('GET', '/ledger/taa')).body.result.taa_accepted).toBeNull()
  })

  it('makes the steward DID public after checking it on the ledger, and writes its endpoint signed with the TAA', async () => {
    const created = await steward.api('POST', '/wallet/did/create', { body: { method: 'sov', seed: STEWARD.seed } })
    expect(created.body.result).toMatchObject({ did: STEWARD.did, verkey: STEWARD.verkey })
    const made = await steward.api('POST', `/wallet/did/public?did=${STEWARD.did}`)
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    expect(made.body.result).toMatchObject({ did: STEWARD.did, posture: 'public' })

    const endpointWrite = ledger.writes.find((w) => w.type === '100' && w.submitter === STEWARD.did)
    expect(endpointWrite?.taaAcceptance).toMatchObject({ mechanism: 'for_session', taaDigest: ledger.agreementDigest })
    const endpoint = running.process.env.CREDENCE_ENDPOINT
    expect(ledger.attribs.get(STEWARD.did)).toEqual({ endpoint: { endpoint } })
    expect((await other.api('GET', `/ledger/did-endpoint?did=${STEWARD.did}`)).body).toEqual({ endpoint, ledger_id: 'local-test' })
    expect((await other.api('GET', `/ledger/did-endpoint?did=did:sov:${STEWARD.did}&endpoint_type=Profile`)).body).toEqual({ endpoint: null, ledger_id: 'local-test' })

    // Made public again: the ledger already holds the endpoint, so nothing is written.
    const writes = ledger.writes.length
    expect((await steward.api('POST', `/wallet/did/public?did=${STEWARD.did}`)).status).toBe(200)
    expect(ledger.writes.length).toBe(writes)
  })

  it('resolves the public did:sov from the ledger, with its DIDComm service', async () => {
    const resolved = await other.api('GET', `/resolver/resolve/did:sov:${STEWARD.did}`)
    expect(resolved.status).toBe(200)
    expect(resolved.body.did_document.id).toBe(`did:sov:${STEWARD.did}`)
    expect(resolved.body.did_document.verificationMethod[0].publicKeyBase58).toBe(STEWARD.verkey)
    expect(resolved.body.did_document.service.map((s: any) => s.serviceEndpoint)).toContain(running.process.env.CREDENCE_ENDPOINT)
    const indy = await other.api('GET', `/resolver/resolve/did:indy:local:test:${STEWARD.did}`)
    expect(indy.status).toBe(200)
    expect(indy.body.did_document.id).toBe(`did:indy:local:test:${STEWARD.did}`)
    expect((await other.api('GET', '/resolver/resolve/did:sov:4cLztgZYocjqTdAZM93t27')).status).toBe(404)
  })

  it('registers a NYM for another wallet\'s DID, which that wallet then makes public with its own acceptance', async () => {
    const created = await other.api('POST', '/wallet/did/create', { body: { method: 'sov' } })
    const { did, verkey } = created.body.result

    // Not on the ledger yet: it cannot be made public, and the wallet has no public DID after.
    const early = await other.api('POST', `/wallet/did/public?did=${did}`)
    expect(early.status).toBe(400)
    expect(early.body.error).toContain('not posted to the ledger')
    expect((await other.api('GET', '/wallet/did/public')).body.result).toBeNull()

    const registered = await steward.api('POST', `/ledger/register-nym?did=${did}&verkey=${verkey}&alias=Other&role=ENDORSER`)
    expect(registered.status).toBe(200)
    expect(registered.body).toEqual({ success: true })
    expect(ledger.nyms.get(did)).toMatchObject({ verkey, role: ROLE.ENDORSER, alias: 'Other' })
    expect((await other.api('GET', `/ledger/did-verkey?did=${did}`)).body).toEqual({ verkey, ledger_id: 'local-test' })
    expect((await other.api('GET', `/ledger/get-nym-role?did=${did}`)).body).toEqual({ role: 'ENDORSER', ledger_id: 'local-test' })

    // Its endpoint write needs its own acceptance of the agreement, not the steward's.
    const withoutTaa = await other.api('POST', `/wallet/did/public?did=${did}`)
    expect(withoutTaa.status).toBe(400)
    expect(withoutTaa.body.field).toBe('taa')
    expect((await other.api('GET', '/wallet/did/public')).body.result).toBeNull()
    expect(ledger.attribs.get(did)).toBeUndefined()

    expect((await accept(other, { version: '1.0', text: AGREEMENT.text, mechanism: 'wallet_agreement' })).status).toBe(200)
    expect((await other.api('POST', `/wallet/did/public?did=${did}`)).status).toBe(200)
    expect(ledger.writes.at(-1)).toMatchObject({ type: '100', submitter: did, taaAcceptance: { mechanism: 'wallet_agreement' } })
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
    const { did, verkey } = (await other.api('POST', '/wallet/did/create', { body: { method: 'sov' } })).body.result
    await expectDeclared(steward, 'GET', '/ledger/config')
    await expectDeclared(steward, 'GET', '/ledger/taa')
    await expectDeclared(other, 'POST', '/ledger/taa/accept', { body: { version: '1.0', text: AGREEMENT.text, mechanism: 'wallet_agreement' } })
    await expectDeclared(steward, 'POST', `/ledger/register-nym?did=${did}&verkey=${verkey}`)
    await expectDeclared(other, 'GET', `/ledger/did-verkey?did=${did}`)
    await expectDeclared(other, 'GET', `/ledger/did-endpoint?did=${STEWARD.did}`)
    await expectDeclared(other, 'GET', `/ledger/get-nym-role?did=${did}`)
  })

  it('publishes a schema and a credential definition on the ledger under the public DID, with ACA-Py\'s unqualified ids', async () => {
    const sent = await steward.api('POST', '/schemas', { body: { schema_name: 'membership', schema_version: '1.0', attributes: ['name', 'level'] } })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const schemaId = `${STEWARD.did}:2:membership:1.0`
    const onLedger = ledger.schemas.get(schemaId)!
    expect(sent.body).toEqual({
      sent: { schema_id: schemaId, schema: { ver: '1.0', id: schemaId, name: 'membership', version: '1.0', attrNames: ['name', 'level'], seqNo: onLedger.seqNo } },
      schema_id: schemaId,
      schema: { ver: '1.0', id: schemaId, name: 'membership', version: '1.0', attrNames: ['name', 'level'], seqNo: onLedger.seqNo },
    })
    expect(ledger.writes.at(-1)).toMatchObject({ type: '101', submitter: STEWARD.did, taaAcceptance: { taaDigest: ledger.agreementDigest } })

    const defined = await steward.api('POST', '/credential-definitions', { body: { schema_id: schemaId, tag: 'default' } })
    expect(defined.status, JSON.stringify(defined.body)).toBe(200)
    const credDefId = `${STEWARD.did}:3:CL:${onLedger.seqNo}:default`
    expect(defined.body).toEqual({ sent: { credential_definition_id: credDefId }, credential_definition_id: credDefId })
    expect(ledger.credentialDefinitions.get(`${STEWARD.did}:${onLedger.seqNo}:default`)).toBeDefined()
    // Sent again, ACA-Py's legacy route gives back the same definition; nothing new is written.
    const writes = ledger.writes.length
    expect((await steward.api('POST', '/credential-definitions', { body: { schema_id: schemaId, tag: 'default' } })).body.credential_definition_id).toBe(credDefId)
    expect(ledger.writes.length).toBe(writes)

    // The same schema named by its did:indy id is the same schema: no second definition.
    const again = await steward.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: STEWARD.did, schemaId: `did:indy:local:test:${STEWARD.did}/anoncreds/v0/SCHEMA/membership/1.0`, tag: 'default' } },
    })
    expect(again).toMatchObject({ status: 400, body: { field: 'credential_definition.tag', error: expect.stringContaining(credDefId) } })
    // A definition of this DID, schema and tag already on the ledger but not in the wallet is not written over.
    ledger.credentialDefinitions.set(`${STEWARD.did}:${onLedger.seqNo}:elsewhere`, { seqNo: 999, origin: STEWARD.did, ref: onLedger.seqNo, tag: 'elsewhere', data: { primary: {} } })
    const elsewhere = await steward.api('POST', '/credential-definitions', { body: { schema_id: schemaId, tag: 'elsewhere' } })
    expect(elsewhere).toMatchObject({ status: 400, body: { field: 'credential_definition.tag', error: expect.stringContaining('on the ledger but not in this wallet') } })
    expect(ledger.writes.length).toBe(writes)

    expect((await steward.api('GET', '/schemas/created')).body).toEqual({ schema_ids: [schemaId] })
    expect((await steward.api('GET', `/schemas/created?schema_issuer_did=${STEWARD.did}`)).body).toEqual({ schema_ids: [schemaId] })
    expect((await steward.api('GET', '/credential-definitions/created')).body).toEqual({ credential_definition_ids: [credDefId] })
    expect((await steward.api('GET', `/credential-definitions/created?schema_id=${schemaId}`)).body).toEqual({ credential_definition_ids: [credDefId] })
    expect((await steward.api('GET', '/anoncreds/schemas?schema_issuer_id=did:indy:local:test:' + STEWARD.did)).body).toEqual({
      schema_ids: [`did:indy:local:test:${STEWARD.did}/anoncreds/v0/SCHEMA/membership/1.0`],
    })

    // Another tenant reads both from the ledger, by either name.
    const readBack = await other.api('GET', `/credential-definitions/${credDefId}`)
    expect(readBack.status).toBe(200)
    expect(readBack.body.credential_definition).toMatchObject({ ver: '1.0', id: credDefId, schemaId, type: 'CL', tag: 'default', value: { primary: expect.any(Object) } })
    // Indy keeps attribute names as a set: their order on the way back is the ledger's.
    const anyOrder = (names: string[]) => expect.toSatisfy((got: string[]) => [...got].sort().join() === [...names].sort().join())
    const schemaRead = await other.api('GET', `/schemas/${schemaId}`)
    expect(schemaRead.body.schema).toEqual({ ver: '1.0', id: schemaId, name: 'membership', version: '1.0', attrNames: anyOrder(['name', 'level']), seqNo: onLedger.seqNo })
    // A did:indy id has slashes: it is percent-encoded in the path, as for ACA-Py.
    const qualified = await other.api('GET', `/anoncreds/schema/${encodeURIComponent(`did:indy:local:test:${STEWARD.did}/anoncreds/v0/SCHEMA/membership/1.0`)}`)
    expect(qualified.body.schema).toEqual({ issuerId: `did:indy:local:test:${STEWARD.did}`, name: 'membership', version: '1.0', attrNames: anyOrder(['name', 'level']) })
    expect(qualified.body.schema_metadata).toMatchObject({ seqNo: onLedger.seqNo })
    expect(qualified.body.schema_metadata).not.toHaveProperty('indyLedgerSeqNo')
  })

  it('names did:indy ids to whoever names the issuer as did:indy', async () => {
    const issuerId = `did:indy:local:test:${STEWARD.did}`
    const created = await steward.api('POST', '/anoncreds/schema', { body: { schema: { issuerId, name: 'badge', version: '2.0', attrNames: ['holder'] } } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body.schema_state).toMatchObject({ state: 'finished', schema_id: `${issuerId}/anoncreds/v0/SCHEMA/badge/2.0`, schema: { issuerId } })
    // The ledger's transaction number, named as ACA-Py's Indy registry names it.
    expect(created.body.schema_metadata).toEqual({ seqNo: expect.any(Number) })
    const definition = await steward.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId, schemaId: created.body.schema_state.schema_id, tag: 'v2' } },
    })
    expect(definition.status, JSON.stringify(definition.body)).toBe(200)
    expect(definition.body.credential_definition_state.credential_definition_id).toMatch(new RegExp(`^${issuerId}/anoncreds/v0/CLAIM_DEF/\\d+/v2$`))
  })

  it('refuses AnonCreds objects under an Indy DID that is not the wallet\'s, without the wallet\'s TAA, or that the ledger refuses; nothing is kept', async () => {
    const schema = (issuerId: string) => ({ schema: { issuerId, name: 'refused', version: '1.0', attrNames: ['a'] } })
    const notMine = await other.api('POST', '/anoncreds/schema', { body: schema(STEWARD.did) })
    expect(notMine).toMatchObject({ status: 400, body: { field: 'schema.issuerId', error: expect.stringContaining('not a DID of this wallet') } })

    // A wallet with a DID on the ledger but no role there, and no acceptance yet.
    const plain = await createTenant(running.process, 'Plain')
    const { did, verkey } = (await plain.api('POST', '/wallet/did/create', { body: { method: 'sov' } })).body.result
    expect((await steward.api('POST', `/ledger/register-nym?did=${did}&verkey=${verkey}`)).status).toBe(200)
    const withoutTaa = await plain.api('POST', '/anoncreds/schema', { body: schema(did) })
    expect(withoutTaa).toMatchObject({ status: 400, body: { field: 'taa' } })

    expect((await accept(plain, { version: '1.0', text: AGREEMENT.text, mechanism: 'for_session' })).status).toBe(200)
    // Refused for its own content: the wallet gains nothing, not even the did:indy name of its DID.
    const twice = await plain.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'twice', version: '1.0', attrNames: ['a', 'a'] } } })
    expect(twice).toMatchObject({ status: 400, body: { field: 'schema.attrNames' } })
    expect((await plain.api('GET', '/wallet/did')).body.results.map((r: any) => r.did)).toEqual([did])
    const schemas = ledger.schemas.size
    const refused = await plain.api('POST', '/anoncreds/schema', { body: schema(did) })
    expect(refused).toMatchObject({ status: 400, body: { field: 'ledger', error: expect.stringContaining('has no role that may write a SCHEMA') } })
    expect(ledger.schemas.size).toBe(schemas)
    expect((await plain.api('GET', '/anoncreds/schemas')).body.schema_ids).toEqual([])
  })

  it('answers bad input and ledger refusals with a 4xx naming the reason, and an unreachable ledger with 502', async () => {
    const noPublic = await createTenant(running.process, 'NoPublic')
    const unsigned = await noPublic.api('POST', `/ledger/register-nym?did=4cLztgZYocjqTdAZM93t27&verkey=${STEWARD.verkey}`)
    expect(unsigned.status).toBe(400)
    expect(unsigned.body.error).toContain('no public DID')

    const badVerkey = await steward.api('POST', '/ledger/register-nym?did=4cLztgZYocjqTdAZM93t27&verkey=not-a-key')
    expect(badVerkey.status).toBe(400)
    expect(badVerkey.body.field).toBe('verkey')
    const badDid = await steward.api('GET', '/ledger/did-verkey?did=did:web:example.com')
    expect(badDid.status).toBe(400)
    expect(badDid.body.field).toBe('did')
    const missingDid = await steward.api('GET', '/ledger/did-verkey')
    expect(missingDid.status).toBe(422)
    expect((await steward.api('GET', '/ledger/did-verkey?did=4cLztgZYocjqTdAZM93t27')).status).toBe(404)
    expect((await steward.api('POST', `/ledger/register-nym?did=4cLztgZYocjqTdAZM93t27&verkey=${STEWARD.verkey}&role=KING`)).status).toBe(422)

    // The ledger refuses: a steward may not make a trustee. Its reason comes back; nothing is written.
    const nyms = ledger.nyms.size
    const refused = await steward.api('POST', `/ledger/register-nym?did=4cLztgZYocjqTdAZM93t27&verkey=${STEWARD.verkey}&role=TRUSTEE`)
    expect(refused.status).toBe(400)
    expect(refused.body.field).toBe('ledger')
    expect(refused.body.error).toContain('only a TRUSTEE can add a TRUSTEE')
    expect(ledger.nyms.size).toBe(nyms)

    ledger.offline = true
    try {
      const unreachable = await steward.api('GET', `/ledger/did-verkey?did=${STEWARD.did}`)
      expect(unreachable.status).toBe(502)
      expect(unreachable.body.error).toContain('could not be reached')
    } finally {
      ledger.offline = false
    }
  })

  it('reads a NYM without a verkey as 404, and sees a newly ratified agreement at once (run last: it changes the TAA)', async () => {
    ledger.nyms.set('CCRyHjCKkEhbbmPkGHTkhw', { dest: 'CCRyHjCKkEhbbmPkGHTkhw', verkey: null as unknown as string, role: null, seqNo: 5, txnTime: 1 })
    const noVerkey = await other.api('GET', '/ledger/did-verkey?did=CCRyHjCKkEhbbmPkGHTkhw')
    expect(noVerkey).toMatchObject({ status: 404, body: { error: expect.stringContaining('without a verkey') } })

    ledger.agreement = { text: 'Use this ledger kindly, and tidily.', version: '2.0', ratification_ts: 1_700_000_000 }
    const view = (await steward.api('GET', '/ledger/taa')).body.result
    expect(view.taa_record).toMatchObject({ version: '2.0', digest: ledger.agreementDigest })
    expect(view.taa_accepted).toBeNull()
    const refused = await steward.api('POST', '/anoncreds/schema', {
      body: { schema: { issuerId: STEWARD.did, name: 'after-new-taa', version: '1.0', attrNames: ['a'] } },
    })
    expect(refused).toMatchObject({ status: 400, body: { field: 'taa' } })
    expect((await accept(steward, { version: '2.0', text: ledger.agreement.text, mechanism: 'for_session' })).status).toBe(200)
    const written = await steward.api('POST', '/anoncreds/schema', {
      body: { schema: { issuerId: STEWARD.did, name: 'after-new-taa', version: '1.0', attrNames: ['a'] } },
    })
    expect(written.status, JSON.stringify(written.body)).toBe(200)
    expect(ledger.writes.at(-1)?.taaAcceptance?.taaDigest).toBe(ledger.agreementDigest)
  })
})
