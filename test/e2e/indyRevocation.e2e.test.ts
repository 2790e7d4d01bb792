// AnonCreds revocation on a real indy-node pool (REVOC_REG_DEF and REVOC_REG_ENTRY transactions), with
// a real ACA-Py 1.7.0 both ways. Credence issues a revocable credential under ACA-Py's unqualified
// ids (the credential's rev_reg_id too) and serves its tails file on its public port; a Credence
// holder and the ACA-Py holder fetch it from there and prove non-revocation until Credence revokes.
// ACA-Py issues with its tails file on a tails server (it needs one), Credence holds, fetches the
// file from there and proves until ACA-Py revokes. In each case a proof for a moment before the
// revocation still verifies.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startAcaPy, type AcaPy } from '../helpers/acapy'
import { sqlite, tempDataDir } from '../helpers/backends'
import { indyKeyFromSeed, PoolTrustee, startIndyPool } from '../helpers/indyPool'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { startTailsServer, type TailsServer } from '../helpers/tailsServer'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

const now = () => Math.floor(Date.now() / 1000)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Ledger timestamps are whole seconds: a moment is told apart from the next transaction's by waiting past it. */
const nextSecond = () => sleep(1_500)

const ATTRIBUTES = ['name', 'level']
const preview = (name: string) => ({
  '@type': 'issue-credential/2.0/credential-preview',
  attributes: [
    { name: 'name', value: name },
    { name: 'level', value: '3' },
  ],
})
/** Asks for `name`'s credential of `credDefId` (a holder that answers on its own picks the first that fits). */
const proofRequest = (credDefId: string, name: string, interval: { from?: number; to: number }) => ({
  anoncreds: {
    name: 'revocation',
    version: '1.0',
    non_revoked: interval,
    requested_attributes: { who: { name: 'name', restrictions: [{ cred_def_id: credDefId, 'attr::name::value': name }] } },
    requested_predicates: {},
  },
})
const UNQUALIFIED_REV_REG = /^[1-9A-HJ-NP-Za-km-z]{21,22}:4:[1-9A-HJ-NP-Za-km-z]{21,22}:3:CL:\d+:revocable:CL_ACCUM:\d+$/

describe('AnonCreds revocation on a real Indy pool, with ACA-Py both ways', () => {
  let credence: ServerProcess
  let issuer: TestTenant
  let holder: TestTenant
  let acapy: AcaPy
  let tails: TailsServer
  let credenceCredDef: string
  let acapyCredDef: string
  let beforeAcaPyRegistry: number
  const links = {} as { issuerToHolder: string; holderToIssuer: string; issuerToAcaPy: string; acapyToIssuer: string; holderToAcaPy: string; acapyToHolder: string }
  const version = `${parseInt(randomBytes(3).toString('hex'), 16)}.0`

  /** Credence's tenant invites, ACA-Py accepts; both sides' connection ids. */
  async function connect(tenant: TestTenant): Promise<{ theirs: string; ours: string }> {
    const invited = await tenant.api('POST', '/out-of-band/create-invitation?auto_accept=true', { body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
    const received = await acapy.admin('POST', '/out-of-band/receive-invitation', invited.body.invitation)
    const theirs = received.body.connection_id
    await waitFor("ACA-Py's connection", async () => ((await acapy.admin('GET', `/connections/${theirs}`)).body?.rfc23_state === 'completed' ? true : undefined))
    const ours = await waitFor("Credence's connection", async () => (await tenant.api('GET', `/connections?invitation_msg_id=${invited.body.invi_msg_id}&state=completed`)).body.results?.[0]?.connection_id)
    return { theirs, ours }
  }

  const credenceRecord = (tenant: TestTenant, kind: 'issue-credential-2.0' | 'present-proof-2.0', threadId: string, states: string[]) =>
    waitFor(`Credence's ${kind} record in ${states.join(' or ')}`, async () => {
      const record = (await tenant.api('GET', `/${kind}/records?thread_id=${threadId}`)).body.results?.[0]
      return states.includes(record?.cred_ex_record?.state ?? record?.state) ? record : undefined
    }, 60_000)
  const acapyRecord = (kind: 'issue-credential-2.0' | 'present-proof-2.0', threadId: string, states: string[]) =>
    waitFor(`ACA-Py's ${kind} record in ${states.join(' or ')}`, async () => {
      const record = (await acapy.admin('GET', `/${kind}/records?thread_id=${threadId}`)).body?.results?.[0]
      return states.includes(record?.cred_ex_record?.state ?? record?.state) ? record : undefined
    }, 60_000)

  /** Credence's issuer offers (auto-issue) to its own holder tenant, which requests and stores. */
  async function issueToCredenceHolder(name: string): Promise<{ credExId: string; credentialId: string }> {
    const sent = await issuer.api('POST', '/issue-credential-2.0/send', {
      body: { connection_id: links.issuerToHolder, filter: { anoncreds: { cred_def_id: credenceCredDef } }, credential_preview: preview(name), auto_remove: false },
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const offered = await credenceRecord(holder, 'issue-credential-2.0', sent.body.thread_id, ['offer-received'])
    await holder.api('POST', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}/send-request`, { body: { auto_remove: false } })
    const arrived = await credenceRecord(holder, 'issue-credential-2.0', sent.body.thread_id, ['credential-received'])
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
    expect(stored.status, JSON.stringify(stored.body)).toBe(200)
    return { credExId: sent.body.cred_ex_id, credentialId: stored.body.anoncreds.cred_id_stored }
  }

  /** Credence's issuer verifies a proof from `prover` (its holder tenant, or ACA-Py answering on its own). */
  async function credenceVerifies(connectionId: string, name: string, interval: { from?: number; to: number }, present?: (threadId: string) => Promise<void>) {
    const sent = await issuer.api('POST', '/present-proof-2.0/send-request', {
      body: { connection_id: connectionId, presentation_request: proofRequest(credenceCredDef, name, interval), auto_verify: false, auto_remove: false },
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    await present?.(sent.body.thread_id)
    const received = await credenceRecord(issuer, 'present-proof-2.0', sent.body.thread_id, ['presentation-received', 'abandoned'])
    if (received.state === 'abandoned') return { verified: received.verified, state: received.state, errorMsg: received.error_msg }
    const verified = await issuer.api('POST', `/present-proof-2.0/records/${received.pres_ex_id}/verify-presentation`, { body: {} })
    expect(verified.status, JSON.stringify(verified.body)).toBe(200)
    return { verified: verified.body.verified, state: verified.body.state }
  }

  /** Credence's holder tenant presents `name`'s credential of `credDefId` to the request on `threadId`. */
  async function holderPresents(threadId: string, credDefId: string, name: string) {
    const asked = await credenceRecord(holder, 'present-proof-2.0', threadId, ['request-received'])
    const candidates = (await holder.api('GET', `/present-proof-2.0/records/${asked.pres_ex_id}/credentials`)).body as any[]
    const credId = candidates.find((c) => c.cred_info.cred_def_id === credDefId && c.cred_info.attrs.name === name).cred_info.referent
    const presented = await holder.api('POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, {
      body: { anoncreds: { requested_attributes: { who: { cred_id: credId, revealed: true } }, requested_predicates: {}, self_attested_attributes: {} } },
    })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
  }

  beforeAll(async () => {
    const pool = await startIndyPool()
    const trustee = new PoolTrustee(pool.genesis)
    await trustee.disableAgreements()
    const seeds = { credence: randomBytes(16).toString('hex'), acapy: randomBytes(16).toString('hex') }
    const credenceDid = indyKeyFromSeed(seeds.credence)
    const acapyDid = indyKeyFromSeed(seeds.acapy)
    for (const key of [credenceDid, acapyDid]) await trustee.writeNym({ dest: key.did, verkey: key.verkey, role: 'ENDORSER' })

    const dataDir = tempDataDir()
    const networksFile = path.join(dataDir, 'networks.json')
    fs.writeFileSync(networksFile, JSON.stringify({ 'local-pool': { indyNamespace: 'local:pool', isProduction: false, genesisFile: pool.genesisFile } }))
    tails = await startTailsServer()
    ;[credence, acapy] = await Promise.all([
      startServerProcess({
        ...sqlite.env(dataDir),
        CREDENCE_INDY_NETWORKS: 'local-pool',
        CREDENCE_INDY_NETWORKS_FILE: networksFile,
        CREDENCE_WALLET_ALLOW_INSECURE_SEED: 'true',
        // The holder fetches tails files from loopback http (Credence's own and the tails server's).
        CREDENCE_DID_WEB_ALLOW_HTTP: 'true',
      }),
      startAcaPy({
        label: 'ACA-Py revocation',
        ledger: { genesisFile: pool.genesisFile, seed: seeds.acapy },
        extraArgs: [
          '--auto-accept-invites',
          '--auto-accept-requests',
          '--auto-respond-credential-offer',
          '--auto-store-credential',
          '--auto-respond-presentation-request',
          '--tails-server-base-url',
          tails.url,
          '--tails-server-upload-url',
          tails.url,
        ],
      }),
    ])
    issuer = await createTenant(credence, 'Credence issuer')
    holder = await createTenant(credence, 'Credence holder')
    ;({ inviterConnection: links.issuerToHolder, inviteeConnection: links.holderToIssuer } = await connectTenants(issuer, holder))
    ;({ ours: links.issuerToAcaPy, theirs: links.acapyToIssuer } = await connect(issuer))
    ;({ ours: links.holderToAcaPy, theirs: links.acapyToHolder } = await connect(holder))

    // Credence's issuer, onboarded as ACA-Py users do it: a revocable definition with registries of 4.
    expect((await issuer.api('POST', '/wallet/did/create', { body: { method: 'sov', seed: seeds.credence } })).body.result.did).toBe(credenceDid.did)
    expect((await issuer.api('POST', `/wallet/did/public?did=${credenceDid.did}`)).status).toBe(200)
    const schema = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: credenceDid.did, name: 'credence-revocable', version, attrNames: ATTRIBUTES } } })
    expect(schema.status, JSON.stringify(schema.body)).toBe(200)
    const definition = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: {
        credential_definition: { issuerId: credenceDid.did, schemaId: schema.body.schema_state.schema_id, tag: 'revocable' },
        options: { support_revocation: true, revocation_registry_size: 4 },
      },
    })
    expect(definition.status, JSON.stringify(definition.body)).toBe(200)
    credenceCredDef = definition.body.credential_definition_state.credential_definition_id

    // ACA-Py's: its registries are made after the definition, in the background.
    beforeAcaPyRegistry = now()
    const acapySchema = await acapy.admin('POST', '/anoncreds/schema', { schema: { issuerId: acapyDid.did, name: 'acapy-revocable', version, attrNames: ATTRIBUTES }, options: {} })
    expect(acapySchema.status, JSON.stringify(acapySchema.body)).toBe(200)
    const acapyDefinition = await acapy.admin('POST', '/anoncreds/credential-definition', {
      credential_definition: { issuerId: acapyDid.did, schemaId: acapySchema.body.schema_state.schema_id, tag: 'revocable' },
      options: { support_revocation: true, revocation_registry_size: 4 },
    })
    expect(acapyDefinition.status, JSON.stringify(acapyDefinition.body)).toBe(200)
    acapyCredDef = acapyDefinition.body.credential_definition_state.credential_definition_id
    await waitFor("ACA-Py's active revocation registry", async () => ((await acapy.admin('GET', `/anoncreds/revocation/active-registry/${acapyCredDef}`)).status === 200 ? true : undefined), 120_000)
  }, 400_000)

  afterAll(async () => {
    await Promise.all([acapy?.stop(), credence?.stop(), tails?.stop()])
  })

  it('Credence registers its registries on the ledger and names them as ACA-Py does', async () => {
    expect(credenceCredDef).toMatch(/^[1-9A-HJ-NP-Za-km-z]{21,22}:3:CL:\d+:revocable$/)
    const registries = await issuer.api('GET', `/anoncreds/revocation/registries?cred_def_id=${encodeURIComponent(credenceCredDef)}`)
    expect(registries.status, JSON.stringify(registries.body)).toBe(200)
    expect(registries.body.rev_reg_ids).toHaveLength(2)
    for (const revRegId of registries.body.rev_reg_ids) expect(revRegId).toMatch(UNQUALIFIED_REV_REG)
    const active = await issuer.api('GET', `/anoncreds/revocation/active-registry/${encodeURIComponent(credenceCredDef)}`)
    expect(active.status, JSON.stringify(active.body)).toBe(200)
    const detail = (await issuer.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(active.body.result.revoc_reg_id)}`)).body.result
    expect(detail).toMatchObject({ cred_def_id: credenceCredDef, max_cred_num: 4 })
    expect(detail.tails_public_uri).toBe(`${credence.inboundUrl}/tails/${detail.tails_hash}`)
  })

  it('Credence issuer and holder: non-revoked proves; a pending revocation changes nothing until published; then a proof for now fails and one for before verifies', async () => {
    const alice = await issueToCredenceHolder('Alice')
    const exchange = (await issuer.api('GET', `/issue-credential-2.0/records/${alice.credExId}`)).body
    const held = (await holder.api('GET', `/credential/${alice.credentialId}`)).body
    expect(held.rev_reg_id).toMatch(UNQUALIFIED_REV_REG)
    // The issuer's exchange names the registry as the credential does.
    expect(exchange.anoncreds).toMatchObject({ rev_reg_id: held.rev_reg_id })
    const record = (await issuer.api('GET', `/anoncreds/revocation/credential-record?cred_ex_id=${alice.credExId}`)).body.result
    expect(record).toMatchObject({ rev_reg_id: held.rev_reg_id, cred_def_id: credenceCredDef, state: 'issued' })

    const prove = (interval: { from?: number; to: number }) => credenceVerifies(links.issuerToHolder, 'Alice', interval, (threadId) => holderPresents(threadId, credenceCredDef, 'Alice'))
    expect(await prove({ to: now() })).toMatchObject({ verified: 'true', state: 'done' })

    // Pending, by the registry's unqualified id.
    const pending = await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { rev_reg_id: record.rev_reg_id, cred_rev_id: record.cred_rev_id, publish: false } })
    expect(pending.status, JSON.stringify(pending.body)).toBe(200)
    expect(await prove({ to: now() })).toMatchObject({ verified: 'true' })
    await nextSecond()
    const beforeRevocation = now()
    await nextSecond()
    const published = await issuer.api('POST', '/anoncreds/revocation/publish-revocations', { body: {} })
    expect(published.status, JSON.stringify(published.body)).toBe(200)
    expect(published.body).toEqual({ rrid2crid: { [record.rev_reg_id]: [Number(record.cred_rev_id)] } })
    await nextSecond()

    expect(await prove({ to: now() })).toMatchObject({ verified: 'false', state: 'done' })
    expect(await prove({ from: beforeRevocation, to: beforeRevocation })).toMatchObject({ verified: 'true' })
    expect((await holder.api('GET', `/credential/revoked/${alice.credentialId}`)).body).toEqual({ revoked: true })
    expect((await holder.api('GET', `/credential/revoked/${alice.credentialId}?to=${beforeRevocation}`)).body).toEqual({ revoked: false })
  })

  // In both formats of issue-credential v2: Credo 0.5 issued indy-format credentials without revocation (patches/legacyIndyRevocation.ts).
  for (const [format, name] of [['anoncreds', 'Carol'], ['indy', 'Erin']] as const) {
    it(`Credence issuer revokes a credential issued in the ${format} format; the ACA-Py holder's proof then fails (the tails file served by Credence)`, async () => {
      const sent = await issuer.api('POST', '/issue-credential-2.0/send', {
        body: { connection_id: links.issuerToAcaPy, filter: { [format]: { cred_def_id: credenceCredDef } }, credential_preview: preview(name), auto_remove: false },
      })
      expect(sent.status, JSON.stringify(sent.body)).toBe(200)
      await credenceRecord(issuer, 'issue-credential-2.0', sent.body.thread_id, ['done'])
      const stored = await acapyRecord('issue-credential-2.0', sent.body.thread_id, ['done'])
      const credential = (await acapy.admin('GET', '/credentials')).body.results.find((c: any) => c.attrs.name === name)
      expect(credential).toMatchObject({ cred_def_id: credenceCredDef, rev_reg_id: expect.stringMatching(UNQUALIFIED_REV_REG) })
      expect(stored.cred_ex_record.cred_issue.formats.map((f: { format: string }) => f.format)).toEqual([format === 'anoncreds' ? 'anoncreds/credential@v1.0' : 'hlindy/cred@v2.0'])
      const issuerRecord = (await issuer.api('GET', `/anoncreds/revocation/credential-record?cred_ex_id=${sent.body.cred_ex_id}`)).body.result
      expect(issuerRecord).toMatchObject({ rev_reg_id: credential.rev_reg_id, cred_rev_id: credential.cred_rev_id })

      // ACA-Py answers proof requests on its own (--auto-respond-presentation-request).
      expect(await credenceVerifies(links.issuerToAcaPy, name, { to: now() })).toMatchObject({ verified: 'true', state: 'done' })
      await nextSecond()
      const beforeRevocation = now()
      await nextSecond()
      const revoked = await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { cred_ex_id: sent.body.cred_ex_id, publish: true } })
      expect(revoked.status, JSON.stringify(revoked.body)).toBe(200)
      await nextSecond()
      const afterwards = await credenceVerifies(links.issuerToAcaPy, name, { to: now() })
      expect(afterwards.verified).not.toBe('true')
      expect(await credenceVerifies(links.issuerToAcaPy, name, { from: beforeRevocation, to: beforeRevocation })).toMatchObject({ verified: 'true' })
    })
  }

  it('a full registry on the ledger rotates (and rotates by hand): the next credentials are issued on the one behind it and prove', async () => {
    // Alice, Carol and Erin filled the first registry (size 4 holds three).
    const first = (await issuer.api('GET', `/anoncreds/revocation/active-registry/${encodeURIComponent(credenceCredDef)}`)).body.result.revoc_reg_id
    const gina = await issueToCredenceHolder('Gina')
    const ginaRecord = (await issuer.api('GET', `/anoncreds/revocation/credential-record?cred_ex_id=${gina.credExId}`)).body.result
    expect(ginaRecord.rev_reg_id).toMatch(UNQUALIFIED_REV_REG)
    expect(ginaRecord.rev_reg_id).not.toBe(first)
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(first)}`)).body.result.state).toBe('full')
    expect(await credenceVerifies(links.issuerToHolder, 'Gina', { to: now() }, (threadId) => holderPresents(threadId, credenceCredDef, 'Gina'))).toMatchObject({ verified: 'true' })

    const rotated = await issuer.api('POST', `/anoncreds/revocation/active-registry/${encodeURIComponent(credenceCredDef)}/rotate`)
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200)
    expect(rotated.body.rev_reg_ids).toContain(ginaRecord.rev_reg_id)
    const hana = await issueToCredenceHolder('Hana')
    const hanaRecord = (await issuer.api('GET', `/anoncreds/revocation/credential-record?cred_ex_id=${hana.credExId}`)).body.result
    expect([first, ginaRecord.rev_reg_id]).not.toContain(hanaRecord.rev_reg_id)
    expect(await credenceVerifies(links.issuerToHolder, 'Hana', { to: now() }, (threadId) => holderPresents(threadId, credenceCredDef, 'Hana'))).toMatchObject({ verified: 'true' })
  })

  it("ACA-Py issuer revokes; the Credence holder's proof then fails (the tails file from ACA-Py's tails server)", async () => {
    const sent = await acapy.admin('POST', '/issue-credential-2.0/send', {
      connection_id: links.acapyToHolder,
      filter: { anoncreds: { cred_def_id: acapyCredDef } },
      credential_preview: preview('Dave'),
      auto_remove: false,
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const threadId = sent.body.thread_id
    const offered = await credenceRecord(holder, 'issue-credential-2.0', threadId, ['offer-received'])
    await holder.api('POST', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}/send-request`, { body: { auto_remove: false } })
    const arrived = await credenceRecord(holder, 'issue-credential-2.0', threadId, ['credential-received'])
    const stored = await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { body: {} })
    expect(stored.status, JSON.stringify(stored.body)).toBe(200)
    const issued = await acapyRecord('issue-credential-2.0', threadId, ['done'])

    const prove = async (interval: { from?: number; to: number }) => {
      const asked = await acapy.admin('POST', '/present-proof-2.0/send-request', {
        connection_id: links.acapyToHolder,
        presentation_request: proofRequest(acapyCredDef, 'Dave', interval),
        auto_verify: true,
        auto_remove: false,
      })
      expect(asked.status, JSON.stringify(asked.body)).toBe(200)
      await holderPresents(asked.body.thread_id, acapyCredDef, 'Dave')
      return acapyRecord('present-proof-2.0', asked.body.thread_id, ['done', 'abandoned'])
    }
    expect(await prove({ to: now() })).toMatchObject({ state: 'done', verified: 'true' })
    expect(tails.served.length).toBeGreaterThan(0)

    await nextSecond()
    const beforeRevocation = now()
    await nextSecond()
    const revoked = await acapy.admin('POST', '/anoncreds/revocation/revoke', { cred_ex_id: issued.cred_ex_record.cred_ex_id, publish: true })
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200)
    await nextSecond()
    const held = (await holder.api('GET', `/credential/${stored.body.anoncreds.cred_id_stored}`)).body
    expect((await holder.api('GET', `/credential/revoked/${held.referent}`)).body).toEqual({ revoked: true })
    expect(await prove({ to: now() })).toMatchObject({ state: 'done', verified: 'false' })
    // ACA-Py's verifiers also ask with from ≠ to (its scenario scripts do): the holder proves with the
    // last status list up to `to`, here the registry's first, which must lie in the interval.
    expect(await prove({ from: beforeAcaPyRegistry, to: beforeRevocation })).toMatchObject({ state: 'done', verified: 'true' })
  })
})
