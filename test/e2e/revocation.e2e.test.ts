// AnonCreds revocation on the embedded did:web registry, between two Credence processes over real
// HTTP: the issuer (PostgreSQL) makes a revocable credential definition (registries of 4, so they
// fill and rotate), serves its tails files and status lists on its public port; the holder
// (SQLite) fetches them and proves non-revocation; revoking (now or pending, then published) makes
// the next proof fail while one for a moment before the revocation still verifies. Indices stay
// distinct under concurrent offers; bad input is a 4xx.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { TypedArrayEncoder } from '@credo-ts/core'
import { Client } from 'pg'

import { issueCredential, proveCredential, type AnonCredsPair } from '../helpers/anonCredsFlows'
import { adminKeyOf, postgres, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { startTailsServer } from '../helpers/tailsServer'
import { call } from '../helpers/http'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { startWebhookSink, type WebhookSink } from '../helpers/webhookSink'

const now = () => Math.floor(Date.now() / 1000)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('AnonCreds revocation on the embedded registry', () => {
  let envIssuer: Record<string, string>
  let sink: WebhookSink
  let issuerServer: ServerProcess
  let holderServer: ServerProcess
  let issuer: TestTenant
  let holder: TestTenant
  let credDefId: string
  let issuerConnection: string
  let holderConnection: string

  const preview = (name: string) => ({
    '@type': 'issue-credential/2.0/credential-preview',
    attributes: [
      { name: 'name', value: name },
      { name: 'level', value: '3' },
    ],
  })
  const pair = (): AnonCredsPair => ({ issuer, holder, issuerConnection, credDefId })
  const issue = (name: string) => issueCredential(pair(), name)
  const prove = (name: string, interval: { from?: number; to: number }) => proveCredential(pair(), name, interval)

  const recordOf = async (credExId: string) => (await issuer.api('GET', `/anoncreds/revocation/credential-record?cred_ex_id=${credExId}`)).body.result
  const registriesOf = async () => (await issuer.api('GET', `/anoncreds/revocation/registries?cred_def_id=${encodeURIComponent(credDefId)}`)).body.rev_reg_ids as string[]

  beforeAll(async () => {
    envIssuer = { ...postgres.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }
    ;[issuerServer, holderServer] = await Promise.all([startServerProcess(envIssuer), startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' })])
    sink = await startWebhookSink()
    ;[issuer, holder] = await Promise.all([createTenant(issuerServer, 'Issuer', { webhookUrls: [`${sink.url}/issuer`] }), createTenant(holderServer, 'Holder', { webhookUrls: [`${sink.url}/holder`] })])
    const did = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
    const schema = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'badge', version: '1.0', attrNames: ['name', 'level'] } } })
    const definition = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: {
        credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: 'revocable' },
        options: { support_revocation: true, revocation_registry_size: 4 },
      },
    })
    expect(definition.status, JSON.stringify(definition.body)).toBe(200)
    credDefId = definition.body.credential_definition_state.credential_definition_id
    expect(definition.body.credential_definition_state.credential_definition.value.revocation).toBeDefined()
    ;({ inviterConnection: issuerConnection, inviteeConnection: holderConnection } = await connectTenants(issuer, holder))
    expect(holderConnection).toBeTruthy()
  }, 120_000)

  afterAll(async () => {
    await Promise.all([issuerServer?.stop(), holderServer?.stop()])
    await sink?.stop()
    await postgres.cleanup(envIssuer)
  })

  it('a revocable credential definition has an active registry and one waiting; its tails file is served by its hash', async () => {
    const ids = await registriesOf()
    expect(ids).toHaveLength(2)
    const active = (await issuer.api('GET', `/anoncreds/revocation/active-registry/${encodeURIComponent(credDefId)}`)).body.result
    expect(active).toMatchObject({ state: 'finished', cred_def_id: credDefId, max_cred_num: 4, revoc_def_type: 'CL_ACCUM', revoc_reg_id: ids[0], pending_pub: [] })
    expect(active.tails_public_uri).toBe(`${new URL(issuerServer.inboundUrl).origin}/tails/${active.tails_hash}`)
    // Served on the public port, no credential needed, and it is what its hash says.
    const tails = Buffer.from(await (await fetch(active.tails_public_uri)).arrayBuffer())
    expect(TypedArrayEncoder.toBase58(createHash('sha256').update(tails).digest())).toBe(active.tails_hash)
    expect((await fetch(`${new URL(issuerServer.inboundUrl).origin}/tails/${'1'.repeat(44)}`)).status).toBe(404)
    // The registry's status list, in force now, on the DID's AnonCreds service.
    const resource = ids[0].split('relativeRef=/revRegDef/')[1]
    const didPath = ids[0].split('?')[0].split(':').slice(3).join('/')
    const listed = await fetch(`${new URL(issuerServer.inboundUrl).origin}/${didPath}/anoncreds/revStatusList/${resource}/${now()}`)
    expect(listed.status).toBe(200)
    expect(((await listed.json()) as { resource: unknown }).resource).toMatchObject({ revRegDefId: ids[0], revocationList: [0, 0, 0, 0] })
  })

  it('issues with a registry index; proves non-revoked; once revoked and published, a proof for now fails and one for before still verifies', async () => {
    const alice = await issue('Alice')
    const record = await recordOf(alice.issuerCredExId)
    expect(record).toMatchObject({ state: 'issued', cred_ex_id: alice.issuerCredExId, cred_def_id: credDefId, cred_rev_id: '1', cred_ex_version: '2' })
    // ACA-Py's per-format detail of the exchange names the registry and index, on both sides.
    expect((await issuer.api('GET', `/issue-credential-2.0/records/${alice.issuerCredExId}`)).body.anoncreds).toMatchObject({ rev_reg_id: record.rev_reg_id, cred_rev_id: '1' })
    expect(await prove('Alice', { to: now() })).toMatchObject({ verified: 'true', state: 'done' })

    await sleep(1100)
    const beforeRevocation = now()
    await sleep(1100)
    const revoked = await issuer.api('POST', '/anoncreds/revocation/revoke', {
      body: { cred_ex_id: alice.issuerCredExId, publish: true, notify: true, notify_version: 'v1_0', connection_id: issuerConnection, comment: 'badge withdrawn' },
    })
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200)
    expect(revoked.body).toEqual({})
    expect(await recordOf(alice.issuerCredExId)).toMatchObject({ state: 'revoked' })
    // ACA-Py's issuer_cred_rev webhook: the record when its index was taken, and when it was revoked.
    const revocationEvents = () =>
      sink.deliveries.filter((d) => d.path === '/issuer/topic/issuer_cred_rev/' && d.body.cred_ex_id === alice.issuerCredExId).map((d) => d.body.state)
    await sink.waitFor('the issuer_cred_rev webhooks', () => revocationEvents().includes('revoked'))
    expect(revocationEvents()).toEqual(['issued', 'revoked'])
    // The holder was told (RFC 0183 v1), on ACA-Py's holder topic.
    const { rev_reg_id: aliceRegistry, cred_rev_id: aliceIndex } = await recordOf(alice.issuerCredExId)
    await sink.waitFor('the v1 revocation notification', (deliveries) => deliveries.some((d) => d.path === '/holder/topic/revocation-notification/'))
    const told = sink.deliveries.find((d) => d.path === '/holder/topic/revocation-notification/')!
    expect(told.body).toEqual({ thread_id: `indy::${aliceRegistry}::${aliceIndex}`, comment: 'badge withdrawn' })

    const afterwards = await prove('Alice', { to: now() })
    // As ACA-Py: kept as received, and verify-presentation says false.
    expect(afterwards).toMatchObject({ verified: 'false', state: 'done' })
    expect(await prove('Alice', { from: beforeRevocation, to: beforeRevocation })).toMatchObject({ verified: 'true' })
    // The holder can ask too, as ACA-Py's holder does.
    expect((await holder.api('GET', `/credential/revoked/${alice.credentialId}`)).body).toEqual({ revoked: true })
    expect((await holder.api('GET', `/credential/revoked/${alice.credentialId}?to=${beforeRevocation}`)).body).toEqual({ revoked: false })
    // Revoking again changes nothing.
    expect((await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { cred_ex_id: alice.issuerCredExId, publish: true } })).status).toBe(200)
    expect(await recordOf(alice.issuerCredExId)).toMatchObject({ state: 'revoked' })
  })

  it('a pending revocation changes nothing until publish-revocations', async () => {
    const bob = await issue('Bob')
    const { rev_reg_id: revRegId, cred_rev_id: credRevId } = await recordOf(bob.issuerCredExId)
    const pending = await issuer.api('POST', '/anoncreds/revocation/revoke', {
      body: { rev_reg_id: revRegId, cred_rev_id: credRevId, publish: false, notify: true, notify_version: 'v2_0', connection_id: issuerConnection },
    })
    expect(pending.status, JSON.stringify(pending.body)).toBe(200)
    expect(await recordOf(bob.issuerCredExId)).toMatchObject({ state: 'issued' })
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}`)).body.result.pending_pub).toEqual([credRevId])
    expect(await prove('Bob', { to: now() })).toMatchObject({ verified: 'true' })
    expect((await holder.api('GET', `/credential/revoked/${bob.credentialId}`)).body).toEqual({ revoked: false })

    // ACA-Py's legacy family sees the same registries, with its own state names and string ids.
    expect((await issuer.api('GET', `/revocation/registry/${encodeURIComponent(revRegId)}`)).body.result).toMatchObject({ state: 'active', pending_pub: [credRevId] })
    expect((await issuer.api('POST', '/revocation/clear-pending-revocations', { body: { purge: { [revRegId]: ['999'] } } })).body).toEqual({ rrid2crid: { [revRegId]: [credRevId] } })
    const published = await issuer.api('POST', '/anoncreds/revocation/publish-revocations', { body: {} })
    expect(published.body).toEqual({ rrid2crid: { [revRegId]: [Number(credRevId)] } })
    // Told when published (RFC 0721 v2), not before.
    await sink.waitFor('the v2 revocation notification', (deliveries) => deliveries.some((d) => d.path === '/holder/topic/revocation-notification-v2/'))
    const told = sink.deliveries.find((d) => d.path === '/holder/topic/revocation-notification-v2/')!
    expect(told.body).toEqual({ revocation_format: 'indy-anoncreds', credential_id: `${revRegId}::${credRevId}`, comment: null })
    expect(await recordOf(bob.issuerCredExId)).toMatchObject({ state: 'revoked' })
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}`)).body.result.pending_pub).toEqual([])
    await sleep(1100)
    expect(await prove('Bob', { to: now() })).toMatchObject({ verified: 'false' })
  })

  it('full registries rotate: ten credentials on registries of four, each with its own index, the last one proving', async () => {
    const issued = []
    for (const name of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']) issued.push(await issue(name))
    const records = await Promise.all(issued.map((credential) => recordOf(credential.issuerCredExId)))
    const slots = records.map((record) => `${record.rev_reg_id}#${record.cred_rev_id}`)
    expect(new Set(slots).size).toBe(8)
    expect(new Set(records.map((record) => record.rev_reg_id)).size).toBeGreaterThanOrEqual(2)
    // Ten credentials (with Alice and Bob) on registries of four, which hold three each (index 0 is
    // anoncreds-rs's own): three full, the fourth active, a fifth waiting.
    expect(await registriesOf()).toHaveLength(5)
    const full = (await issuer.api('GET', `/anoncreds/revocation/registries?cred_def_id=${encodeURIComponent(credDefId)}&state=full`)).body.rev_reg_ids
    expect(full).toHaveLength(3)
    // ACA-Py's revocation_registry webhook (its legacy record's states): each registry as it is made, and as it fills.
    const registryEvents = () => sink.deliveries.filter((d) => d.path === '/issuer/topic/revocation_registry/' && d.body.cred_def_id === credDefId).map((d) => d.body)
    await sink.waitFor('the revocation_registry webhooks', () => registryEvents().filter((event) => event.state === 'full').length === 3)
    expect(new Set(registryEvents().map((event) => event.revoc_reg_id))).toEqual(new Set(await registriesOf()))
    expect(registryEvents().filter((event) => event.state === 'full').map((event) => event.revoc_reg_id).sort()).toEqual([...full].sort())
    expect(registryEvents()[0]).toMatchObject({ state: 'active', max_cred_num: 4, tails_hash: expect.any(String), pending_pub: [] })
    expect(await prove('C8', { to: now() })).toMatchObject({ verified: 'true' })
  })

  it('thirty offers at once take thirty distinct indices', async () => {
    const offers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        issuer.api('POST', '/issue-credential-2.0/send-offer', {
          body: { connection_id: issuerConnection, filter: { anoncreds: { cred_def_id: credDefId } }, credential_preview: preview(`N${i}`), auto_remove: false },
        }),
      ),
    )
    for (const offer of offers) expect(offer.status, JSON.stringify(offer.body)).toBe(200)
    const records = await Promise.all(offers.map((offer) => recordOf(offer.body.cred_ex_id)))
    expect(new Set(records.map((record) => `${record.rev_reg_id}#${record.cred_rev_id}`)).size).toBe(30)
  })

  it('the controller face shows the revocation fields of an exchange and revokes from it, telling the holder', async () => {
    const dana = await issue('Dana')
    const asIssuer = { 'x-api-key': adminKeyOf(issuerServer.env as Record<string, string>), 'x-wallet-id': issuer.walletId }
    const controller = (method: string, target: string, body?: unknown) => call(issuerServer.adminUrl, method, target, { headers: asIssuer, body })
    const before = await controller('GET', `/api/v1/credentials/${dana.issuerCredExId}`)
    const { rev_reg_id: revRegId, cred_rev_id: credRevId } = await recordOf(dana.issuerCredExId)
    expect(before.body).toMatchObject({ credential_exchange_id: dana.issuerCredExId, revocation_id: credRevId, revoc_reg_id: revRegId, revoked: false })

    const revoked = await controller('POST', `/api/v1/credentials/${dana.issuerCredExId}/revoke`, { comment: 'left the team' })
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200)
    expect(revoked.body).toMatchObject({ credential_exchange_id: dana.issuerCredExId, revoked: true })
    expect((await controller('GET', '/api/v1/credentials')).body).toContainEqual(expect.objectContaining({ credential_exchange_id: dana.issuerCredExId, revoked: true }))
    await sink.waitFor("Dana's revocation notification", (deliveries) =>
      deliveries.some((d) => d.path === '/holder/topic/revocation-notification-v2/' && d.body.credential_id === `${revRegId}::${credRevId}` && d.body.comment === 'left the team'),
    )
    expect((await holder.api('GET', `/credential/revoked/${dana.credentialId}`)).body).toEqual({ revoked: true })
    // Not an exchange of this wallet, and one that issued nothing revocable.
    expect((await controller('POST', '/api/v1/credentials/3fa85f64-5717-4562-b3fc-2c963f66afa6/revoke', {})).status).toBe(404)
    const holderSide = (await holder.api('GET', `/issue-credential-2.0/records`)).body.results[0].cred_ex_record.cred_ex_id
    const notIssued = await call(holderServer.adminUrl, 'POST', `/api/v1/credentials/${holderSide}/revoke`, {
      headers: { 'x-api-key': adminKeyOf(holderServer.env as Record<string, string>), 'x-wallet-id': holder.walletId },
      body: {},
    })
    expect(notIssued).toMatchObject({ status: 400, body: { field: 'credential_exchange_id' } })
  })

  it("rotates by hand (the waiting registry takes over, the others are decommissioned) and sets a registry's state, as ACA-Py", async () => {
    const registryOf = async (revRegId: string) => (await issuer.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}`)).body.result
    const activeOf = async () => (await issuer.api('GET', `/anoncreds/revocation/active-registry/${encodeURIComponent(credDefId)}`)).body.result?.revoc_reg_id
    const before = await registriesOf()
    const wasActive = await activeOf()
    const rotated = await issuer.api('POST', `/anoncreds/revocation/active-registry/${encodeURIComponent(credDefId)}/rotate`)
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200)
    expect(rotated.body.rev_reg_ids).toContain(wasActive)
    const after = await registriesOf()
    expect(after).toHaveLength(before.length + 1)
    const nowActive = await activeOf()
    expect(nowActive).not.toBe(wasActive)
    expect(await registryOf(wasActive)).toMatchObject({ state: 'decommissioned' })
    for (const revRegId of rotated.body.rev_reg_ids) expect((await registryOf(revRegId)).state).toBe('decommissioned')
    // The next credential goes on the registry that took over, and proves.
    const next = await issue('After rotation')
    expect((await recordOf(next.issuerCredExId)).rev_reg_id).toBe(nowActive)
    expect(await prove('After rotation', { to: now() })).toMatchObject({ verified: 'true' })

    // set-state: the registry in line is taken out of it, then put back; a state Credence never has is a 400.
    const [waiting] = (await issuer.api('GET', `/anoncreds/revocation/registries?cred_def_id=${encodeURIComponent(credDefId)}&state=finished`)).body.rev_reg_ids.filter(
      (revRegId: string) => revRegId !== nowActive,
    )
    const out = await issuer.api('PATCH', `/anoncreds/revocation/registry/${encodeURIComponent(waiting)}/set-state?state=decommissioned`)
    expect(out.body.result).toMatchObject({ revoc_reg_id: waiting, state: 'decommissioned' })
    const back = await issuer.api('PATCH', `/revocation/registry/${encodeURIComponent(waiting)}/set-state?state=active`)
    // The legacy family calls a registry in line `active`.
    expect(back.body.result).toMatchObject({ revoc_reg_id: waiting, state: 'active' })
    expect(await registryOf(waiting)).toMatchObject({ state: 'finished' })
    const never = await issuer.api('PATCH', `/anoncreds/revocation/registry/${encodeURIComponent(waiting)}/set-state?state=wait`)
    expect(never).toMatchObject({ status: 400, body: { field: 'state' } })
    const unknown = await issuer.api('PATCH', `/anoncreds/revocation/registry/${encodeURIComponent(waiting)}/set-state?state=sleeping`)
    expect(unknown.status).toBe(422)
    expect(unknown.body.field).toBe('state')
    expect((await issuer.api('PATCH', '/anoncreds/revocation/registry/nope/set-state?state=full')).status).toBe(404)
  })

  it('refuses bad input with a 4xx naming the field', async () => {
    const unknown = await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { cred_ex_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', publish: true } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatch(/exchange 3fa85f64/)
    const silent = await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { cred_ex_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', notify: true } })
    // A body that breaks the request schema is ACA-Py's 422.
    expect(silent.status).toBe(422)
    expect(JSON.stringify(silent.body)).toMatch(/connection_id/)
    const neither = await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { publish: true } })
    expect(neither.status).toBeGreaterThanOrEqual(400)
    expect(neither.status).toBeLessThan(500)
    // Another wallet cannot revoke or read the issuer's credentials.
    const [revRegId] = await registriesOf()
    const theirs = await holder.api('POST', '/anoncreds/revocation/revoke', { body: { rev_reg_id: revRegId, cred_rev_id: '1', publish: true } })
    expect(theirs.status).toBe(400)
    expect((await holder.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}`)).status).toBe(404)
    // A registry of the wrong size.
    const did = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
    const schema = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'other', version: '1.0', attrNames: ['x'] } } })
    for (const size of [1, 100_000]) {
      const refused = await issuer.api('POST', '/anoncreds/credential-definition', {
        body: { credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: `s${size}` }, options: { support_revocation: true, revocation_registry_size: size } },
      })
      expect(refused.status).toBe(400)
      expect(refused.body.error).toMatch(/revocation_registry_size|4 to 32768/)
    }
    expect((await issuer.api('GET', `/anoncreds/credential-definitions?issuer_id=${encodeURIComponent(did)}`)).body.credential_definition_ids).toEqual([])

    // Another tenant of the issuer's own server can neither rotate nor set the state of its registries.
    const stranger = await createTenant(issuerServer, 'Stranger')
    const stateBefore = (await issuer.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}`)).body.result.state
    expect((await stranger.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}`)).status).toBe(404)
    expect((await stranger.api('PATCH', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}/set-state?state=decommissioned`)).status).toBe(404)
    expect((await stranger.api('PATCH', `/revocation/registry/${encodeURIComponent(revRegId)}/set-state?state=full`)).status).toBe(404)
    const rotatedByStranger = await stranger.api('POST', `/anoncreds/revocation/active-registry/${encodeURIComponent(credDefId)}/rotate`)
    expect(rotatedByStranger.status).toBe(404)
    expect(rotatedByStranger.body.error).toEqual(expect.any(String))
    expect((await stranger.api('POST', '/anoncreds/revocation/revoke', { body: { rev_reg_id: revRegId, cred_rev_id: '1', publish: true } })).status).toBe(400)
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${encodeURIComponent(revRegId)}`)).body.result.state).toBe(stateBefore)
    // No token at all.
    expect((await call(issuerServer.adminUrl, 'POST', `/anoncreds/revocation/active-registry/${encodeURIComponent(credDefId)}/rotate`)).status).toBe(401)
  })

  it("ACA-Py's by-hand registry steps: legacy create-registry, definition, entry; anoncreds registry definition, status list, set active", async () => {
    const enc = encodeURIComponent
    // Legacy: made with its definition only, then through ACA-Py's steps to waiting in line.
    const created = await issuer.api('POST', '/revocation/create-registry', { body: { credential_definition_id: credDefId, max_cred_num: 4 } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const legacyId = created.body.result.revoc_reg_id
    expect(created.body.result).toMatchObject({ state: 'generated', cred_def_id: credDefId, max_cred_num: 4, tails_hash: expect.any(String) })
    expect((await issuer.api('GET', `/revocation/registries/created?cred_def_id=${enc(credDefId)}&state=generated`)).body.rev_reg_ids).toEqual([legacyId])
    // The anoncreds family: it needs an action before it can issue.
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${enc(legacyId)}`)).body.result.state).toBe('action')
    // No status list yet: it cannot be made active.
    expect(await issuer.api('PUT', `/anoncreds/revocation/registry/${enc(legacyId)}/active`)).toMatchObject({ status: 400, body: { field: 'rev_reg_id' } })
    const sent = await issuer.api('POST', `/revocation/registry/${enc(legacyId)}/definition`)
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    expect(sent.body.sent.result).toMatchObject({ revoc_reg_id: legacyId, state: 'posted' })
    // No tails server is configured: Credence serves the file itself, and says so.
    expect(await issuer.api('PUT', `/revocation/registry/${enc(legacyId)}/tails-file`)).toMatchObject({ status: 400, body: { field: 'rev_reg_id' } })
    // The tails URI is on the registry already; another is refused, the same one is fine.
    const tailsUri = created.body.result.tails_public_uri
    expect(await issuer.api('PATCH', `/revocation/registry/${enc(legacyId)}`, { body: { tails_public_uri: 'https://tails.example/other' } })).toMatchObject({
      status: 400,
      body: { field: 'tails_public_uri' },
    })
    expect((await issuer.api('PATCH', `/revocation/registry/${enc(legacyId)}`, { body: { tails_public_uri: tailsUri } })).body.result.tails_public_uri).toBe(tailsUri)
    const entry = await issuer.api('POST', `/revocation/registry/${enc(legacyId)}/entry`)
    expect(entry.status, JSON.stringify(entry.body)).toBe(200)
    expect(entry.body.result).toMatchObject({ revoc_reg_id: legacyId, state: 'active' })
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${enc(legacyId)}`)).body.result.state).toBe('finished')
    // Its status list is on the registry: nothing revoked.
    const recs = await issuer.api('GET', `/revocation/registry/${enc(legacyId)}/issued/indy_recs`)
    expect(recs.body).toEqual({ rev_reg_delta: { ver: '1.0', value: { accum: expect.any(String), issued: [], revoked: [] } } })
    // Again is harmless.
    expect((await issuer.api('POST', `/revocation/registry/${enc(legacyId)}/entry`)).body.result.state).toBe('active')

    // AnonCreds family: a registry with its status list at once, under the tag given.
    const issuerDid = entry.body.result.issuer_did
    const made = await issuer.api('POST', '/anoncreds/revocation-registry-definition', {
      body: { revocation_registry_definition: { credDefId, issuerId: issuerDid, tag: 'by-hand', maxCredNum: 4 }, options: {} },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    const byHandId = made.body.revocation_registry_definition_state.revocation_registry_definition_id
    expect(made.body.revocation_registry_definition_state).toMatchObject({
      state: 'finished',
      revocation_registry_definition: { credDefId, tag: 'by-hand', revocDefType: 'CL_ACCUM', value: { maxCredNum: 4, tailsHash: expect.any(String), publicKeys: expect.any(Object) } },
    })
    const again = await issuer.api('POST', '/anoncreds/revocation-registry-definition', {
      body: { revocation_registry_definition: { credDefId, issuerId: issuerDid, tag: 'by-hand', maxCredNum: 4 } },
    })
    expect(again).toMatchObject({ status: 400, body: { field: 'revocation_registry_definition.tag' } })
    const list = await issuer.api('POST', '/anoncreds/revocation-list', { body: { rev_reg_def_id: byHandId } })
    expect(list.status, JSON.stringify(list.body)).toBe(200)
    expect(list.body.revocation_list_state).toMatchObject({ state: 'finished', revocation_list: { revRegDefId: byHandId, revocationList: [0, 0, 0, 0], currentAccumulator: expect.any(String) } })

    // Set active: the next credential goes on it and proves; then the legacy one, by ACA-Py's deprecated path.
    const activeOf = async () => (await issuer.api('GET', `/anoncreds/revocation/active-registry/${enc(credDefId)}`)).body.result?.revoc_reg_id
    const before = await activeOf()
    expect((await issuer.api('PUT', `/anoncreds/revocation/registry/${enc(byHandId)}/active`)).body).toEqual({})
    expect(await activeOf()).toBe(byHandId)
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${enc(before)}`)).body.result.state).toBe('finished')
    const onIt = await issue('By hand')
    expect((await recordOf(onIt.issuerCredExId)).rev_reg_id).toBe(byHandId)
    expect(await prove('By hand', { to: now() })).toMatchObject({ verified: 'true' })
    expect((await issuer.api('PUT', `/anoncreds/registry/${enc(legacyId)}/active`)).status).toBe(200)
    const onLegacy = await issue('Legacy by hand')
    expect((await recordOf(onLegacy.issuerCredExId)).rev_reg_id).toBe(legacyId)

    // Bad input: not this wallet's definition, one without revocation, a size out of bounds, another tenant.
    expect((await issuer.api('POST', '/revocation/create-registry', { body: { credential_definition_id: `${credDefId}x`, max_cred_num: 4 } })).status).toBe(404)
    const did = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
    const schema = await issuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'plain', version: '1.0', attrNames: ['x'] } } })
    const plain = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: 'plain' }, options: { support_revocation: false } },
    })
    const plainId = plain.body.credential_definition_state.credential_definition_id
    expect(await issuer.api('POST', '/revocation/create-registry', { body: { credential_definition_id: plainId } })).toMatchObject({ status: 400, body: { field: 'credential_definition_id' } })
    expect(await issuer.api('POST', '/revocation/create-registry', { body: { credential_definition_id: credDefId, max_cred_num: 2 } })).toMatchObject({ status: 400, body: { field: 'max_cred_num' } })
    const count = (await registriesOf()).length
    const stranger = await createTenant(issuerServer, 'By-hand stranger')
    expect((await stranger.api('POST', '/revocation/create-registry', { body: { credential_definition_id: credDefId } })).status).toBe(404)
    expect((await stranger.api('POST', `/revocation/registry/${enc(legacyId)}/entry`)).status).toBe(404)
    expect((await stranger.api('PUT', `/anoncreds/revocation/registry/${enc(legacyId)}/active`)).status).toBe(404)
    expect((await stranger.api('GET', `/revocation/registry/${enc(legacyId)}/issued/indy_recs`)).status).toBe(404)
    expect((await stranger.api('POST', `/revocation/registry/${enc(legacyId)}/definition`)).status).toBe(404)
    expect((await stranger.api('PATCH', `/revocation/registry/${enc(legacyId)}`, { body: { tails_public_uri: tailsUri } })).status).toBe(404)
    expect((await stranger.api('PUT', `/revocation/registry/${enc(legacyId)}/tails-file`)).status).toBe(404)
    expect((await stranger.api('PUT', `/anoncreds/revocation/registry/${enc(legacyId)}/fix-revocation-entry-state?apply_ledger_update=true`)).status).toBe(404)
    expect((await stranger.api('POST', '/anoncreds/revocation-list', { body: { rev_reg_def_id: byHandId } })).status).toBe(404)
    expect((await stranger.api('DELETE', `/revocation/registry/delete-tails-file?rev_reg_id=${enc(legacyId)}`)).status).toBe(404)
    expect(
      (await stranger.api('POST', '/anoncreds/revocation-registry-definition', { body: { revocation_registry_definition: { credDefId, issuerId: issuerDid, tag: 'theirs', maxCredNum: 4 } } })).status,
    ).toBe(404)
    // A body without what it needs is ACA-Py's 422, naming the field.
    expect(await issuer.api('POST', '/anoncreds/revocation-list', { body: {} })).toMatchObject({ status: 422, body: { field: 'rev_reg_def_id' } })
    expect(await registriesOf()).toHaveLength(count)
  })

  it('fix-revocation-entry-state finds revocations the status list lacks, and with apply_ledger_update publishes them', async () => {
    const enc = encodeURIComponent
    const frank = await issue('Frank')
    const gina = await issue('Gina')
    const { rev_reg_id: revRegId, cred_rev_id: frankIndex } = await recordOf(frank.issuerCredExId)
    const { cred_rev_id: ginaIndex, rev_reg_id: ginaRegistry } = await recordOf(gina.issuerCredExId)
    expect(ginaRegistry).toBe(revRegId)
    const db = new Client({ connectionString: envIssuer.CREDENCE_DATABASE_URL })
    await db.connect()
    try {
      // Frank revoked here but never published (as after a lost ledger write); Gina published, but
      // still pending here (as after a crash between the write and its record).
      await db.query("UPDATE credence.issued_credential_revocations SET state = 'revoked', pending = 0 WHERE rev_reg_id = $1 AND cred_rev_id = $2", [revRegId, Number(frankIndex)])
      expect((await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { cred_ex_id: gina.issuerCredExId, publish: true } })).status).toBe(200)
      await db.query("UPDATE credence.issued_credential_revocations SET state = 'issued', pending = 1 WHERE rev_reg_id = $1 AND cred_rev_id = $2", [revRegId, Number(ginaIndex)])
    } finally {
      await db.end()
    }
    const path = (family: string, apply: boolean) => `${family}/registry/${enc(revRegId)}/fix-revocation-entry-state?apply_ledger_update=${apply}`
    const looked = await issuer.api('PUT', path('/revocation', false))
    expect(looked.status, JSON.stringify(looked.body)).toBe(200)
    expect(looked.body.rev_reg_delta.value.revoked).toContain(Number(ginaIndex))
    expect(looked.body.rev_reg_delta.value.revoked).not.toContain(Number(frankIndex))
    expect(looked.body.accum_calculated.value.revoked).toEqual([Number(frankIndex)])
    expect(looked.body.accum_fixed).toEqual({})
    // A look changes nothing.
    expect(await recordOf(gina.issuerCredExId)).toMatchObject({ state: 'issued' })
    await sleep(1100)
    expect(await prove('Frank', { to: now() })).toMatchObject({ verified: 'true' })

    const fixed = await issuer.api('PUT', path('/anoncreds/revocation', true))
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200)
    expect(fixed.body.accum_fixed.value).toMatchObject({ revoked: [Number(frankIndex)], accum: expect.any(String), prevAccum: looked.body.rev_reg_delta.value.accum })
    expect(await recordOf(gina.issuerCredExId)).toMatchObject({ state: 'revoked' })
    expect((await issuer.api('GET', `/anoncreds/revocation/registry/${enc(revRegId)}`)).body.result.pending_pub).toEqual([])
    const after = (await issuer.api('GET', `/anoncreds/revocation/registry/${enc(revRegId)}/issued/indy_recs`)).body.rev_reg_delta.value.revoked
    expect(after).toEqual(expect.arrayContaining([Number(frankIndex), Number(ginaIndex)]))
    await sleep(1100)
    expect(await prove('Frank', { to: now() })).toMatchObject({ verified: 'false' })
    // Nothing left to fix.
    const calm = await issuer.api('PUT', path('/revocation', true))
    expect(calm.body).toMatchObject({ accum_calculated: {}, accum_fixed: {} })
    expect((await issuer.api('PUT', `/revocation/registry/${enc(revRegId)}/fix-revocation-entry-state`)).status).toBe(422)
  })

  it('deletes only tails files no holder can need', async () => {
    const enc = encodeURIComponent
    const active = (await issuer.api('GET', `/anoncreds/revocation/active-registry/${enc(credDefId)}`)).body.result
    expect(await issuer.api('DELETE', `/revocation/registry/delete-tails-file?rev_reg_id=${enc(active.revoc_reg_id)}`)).toMatchObject({ status: 400, body: { field: 'rev_reg_id' } })
    expect((await fetch(active.tails_public_uri)).status).toBe(200)
    const spare = (await issuer.api('POST', '/revocation/create-registry', { body: { credential_definition_id: credDefId, max_cred_num: 4 } })).body.result
    await issuer.api('PATCH', `/revocation/registry/${enc(spare.revoc_reg_id)}/set-state?state=decommissioned`)
    const deleted = await issuer.api('DELETE', `/revocation/registry/delete-tails-file?rev_reg_id=${enc(spare.revoc_reg_id)}`)
    expect(deleted.body).toEqual({ message: 'All files deleted successfully' })
    expect((await fetch(spare.tails_public_uri)).status).toBe(404)
    expect((await issuer.api('GET', `/revocation/registry/${enc(spare.revoc_reg_id)}/tails-file`)).status).toBe(404)
    expect((await fetch(active.tails_public_uri)).status).toBe(200)
    expect((await issuer.api('DELETE', '/revocation/registry/delete-tails-file')).status).toBe(422)
  })

  it('with a tails server configured, registries name it, their tails files are uploaded there, and PUT tails-file uploads again', async () => {
    const tails = await startTailsServer()
    const env = { ...sqlite.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true', CREDENCE_TAILS_SERVER_BASE_URL: tails.url }
    const server = await startServerProcess(env)
    try {
      const tailsIssuer = await createTenant(server, 'Tails issuer')
      const did = (await tailsIssuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
      const schema = await tailsIssuer.api('POST', '/anoncreds/schema', { body: { schema: { issuerId: did, name: 'hosted', version: '1.0', attrNames: ['x'] } } })
      const definition = await tailsIssuer.api('POST', '/anoncreds/credential-definition', {
        body: { credential_definition: { issuerId: did, schemaId: schema.body.schema_state.schema_id, tag: 'hosted' }, options: { support_revocation: true, revocation_registry_size: 4 } },
      })
      expect(definition.status, JSON.stringify(definition.body)).toBe(200)
      const id = definition.body.credential_definition_state.credential_definition_id
      const active = (await tailsIssuer.api('GET', `/anoncreds/revocation/active-registry/${encodeURIComponent(id)}`)).body.result
      const key = `hash/${active.tails_hash}`
      expect(active.tails_public_uri).toBe(`${tails.url}/${key}`)
      expect(TypedArrayEncoder.toBase58(createHash('sha256').update(tails.files.get(key)!).digest())).toBe(active.tails_hash)
      // Lost on the tails server: uploaded again by hand, in both families.
      tails.files.delete(key)
      const uploaded = await tailsIssuer.api('PUT', `/revocation/registry/${encodeURIComponent(active.revoc_reg_id)}/tails-file`)
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200)
      expect(uploaded.body).toEqual({})
      expect(tails.files.has(key)).toBe(true)
      expect((await tailsIssuer.api('PUT', `/anoncreds/revocation/registry/${encodeURIComponent(active.revoc_reg_id)}/tails-file`)).status).toBe(200)
      // The issuer's own copy still serves too.
      expect((await fetch(`${new URL(server.inboundUrl).origin}/tails/${active.tails_hash}`)).status).toBe(200)
    } finally {
      await server.stop()
      await tails.stop()
    }
  })

  // Last: it kills the issuer. A revocation record saved before its webhook was queued (a kill -9 in
  // between) has its event sent at the next start; played here by forgetting the outbox's marks.
  it('a crash between a revocation record and its webhook loses no issuer_cred_rev event', async () => {
    const erin = await issue('Erin')
    const revoked = await issuer.api('POST', '/anoncreds/revocation/revoke', { body: { cred_ex_id: erin.issuerCredExId, publish: true } })
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200)
    const erinEvents = () => sink.deliveries.filter((d) => d.path === '/issuer/topic/issuer_cred_rev/' && d.body.cred_ex_id === erin.issuerCredExId).map((d) => d.body.state)
    await sink.waitFor('the revoked webhook', () => erinEvents().includes('revoked'))
    const before = erinEvents().length

    await issuerServer.crash()
    const db = new Client({ connectionString: envIssuer.CREDENCE_DATABASE_URL })
    await db.connect()
    try {
      await db.query("DELETE FROM credence.event_marks WHERE record_kind = 'issuer-cred-rev'")
    } finally {
      await db.end()
    }
    issuerServer = await startServerProcess(issuerServer.env as Record<string, string>)
    await sink.waitFor('the revoked webhook again', () => erinEvents().length > before)
    expect(erinEvents().slice(before)).toEqual(['revoked'])
  })
})
