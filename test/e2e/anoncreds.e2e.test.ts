// AnonCreds objects on the embedded registry: a tenant of server A publishes a schema and a
// credential definition under the did:web Credence hosts for it; a tenant of server B resolves both
// over loopback (the did:web AnonCreds method). Bad input is refused with nothing half-created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { postgres, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'

describe('AnonCreds objects on the embedded did:web registry', () => {
  let envB: Record<string, string>
  let serverA: ServerProcess
  let serverB: ServerProcess
  let issuer: TestTenant
  let other: TestTenant
  let verifier: TestTenant
  let issuerDid: string
  let schemaId: string
  let credDefId: string

  beforeAll(async () => {
    envB = { ...postgres.env(tempDataDir()), CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }
    ;[serverA, serverB] = await Promise.all([startServerProcess(sqlite.env(tempDataDir())), startServerProcess(envB)])
    ;[issuer, other, verifier] = await Promise.all([
      createTenant(serverA, 'Issuer'),
      createTenant(serverA, 'Other'),
      createTenant(serverB, 'Verifier'),
    ])
    issuerDid = (await issuer.api('POST', '/wallet/did/create', { body: { method: 'web' } })).body.result.did
  })

  afterAll(async () => {
    await Promise.all([serverA?.stop(), serverB?.stop()])
    await postgres.cleanup(envB)
  })

  it('publishes a schema and a credential definition under the hosted did:web', async () => {
    const schema = { issuerId: issuerDid, name: 'membership', version: '1.0', attrNames: ['name', 'level'] }
    const created = await issuer.api('POST', '/anoncreds/schema', { body: { schema } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).toEqual({
      schema_state: { state: 'finished', schema_id: expect.stringMatching(/^did:web:.+\?service=anoncreds&relativeRef=\/schema\/\w+$/), schema },
      registration_metadata: {},
      schema_metadata: {},
    })
    schemaId = created.body.schema_state.schema_id

    const credDef = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: issuerDid, schemaId, tag: 'default' } },
    })
    expect(credDef.status, JSON.stringify(credDef.body)).toBe(200)
    credDefId = credDef.body.credential_definition_state.credential_definition_id
    expect(credDefId).toMatch(/\?service=anoncreds&relativeRef=\/credDef\/\w+$/)
    expect(credDef.body.credential_definition_state.credential_definition).toMatchObject({
      issuerId: issuerDid,
      schemaId,
      type: 'CL',
      tag: 'default',
      value: { primary: { n: expect.any(String), s: expect.any(String), r: expect.objectContaining({ name: expect.any(String), level: expect.any(String), master_secret: expect.any(String) }), rctxt: expect.any(String), z: expect.any(String) } },
    })

    expect((await issuer.api('GET', '/anoncreds/schemas')).body).toEqual({ schema_ids: [schemaId] })
    expect((await issuer.api('GET', '/anoncreds/schemas?schema_name=other')).body).toEqual({ schema_ids: [] })
    expect((await issuer.api('GET', `/anoncreds/credential-definitions?schema_id=${encodeURIComponent(schemaId)}`)).body).toEqual({ credential_definition_ids: [credDefId] })
    expect((await issuer.api('GET', '/anoncreds/credential-definitions?schema_name=membership&schema_version=1.0')).body).toEqual({ credential_definition_ids: [credDefId] })
  })

  it('lets a tenant of another server resolve both over loopback', async () => {
    const schema = await verifier.api('GET', `/anoncreds/schema/${encodeURIComponent(schemaId)}`)
    expect(schema.status, JSON.stringify(schema.body)).toBe(200)
    expect(schema.body).toMatchObject({ schema_id: schemaId, schema: { issuerId: issuerDid, name: 'membership', version: '1.0', attrNames: ['name', 'level'] } })
    const credDef = await verifier.api('GET', `/anoncreds/credential-definition/${encodeURIComponent(credDefId)}`)
    expect(credDef.status, JSON.stringify(credDef.body)).toBe(200)
    expect(credDef.body).toMatchObject({ credential_definition_id: credDefId, credential_definition: { issuerId: issuerDid, schemaId, type: 'CL' } })

    // What the method fetches: <#anoncreds endpoint><relativeRef> on the public port.
    const document = await fetch(`${serverA.inboundUrl}/wallets/${issuer.walletId}/did.json`).then((r) => r.json() as Promise<any>)
    const endpoint = document.service.find((s: any) => s.id === `${issuerDid}#anoncreds`).serviceEndpoint
    const relativeRef = new URL(`http://x/?${schemaId.split('?')[1]}`).searchParams.get('relativeRef')
    const served = await fetch(`${endpoint}${relativeRef}`).then((r) => r.json() as Promise<any>)
    expect(served.resource).toEqual({ issuerId: issuerDid, name: 'membership', version: '1.0', attrNames: ['name', 'level'] })
    expect((await verifier.api('GET', `/anoncreds/schema/${encodeURIComponent(schemaId.replace(/\w{6}$/, 'xxxxxx'))}`)).status).toBe(404)
  })

  it('serves the legacy /schemas and /credential-definitions routes under the public DID; ids round-trip', async () => {
    const noPublicDid = await other.api('POST', '/schemas', { body: { schema_name: 'x', schema_version: '1.0', attributes: ['a'] } })
    expect(noPublicDid).toMatchObject({ status: 400, body: { error: expect.stringContaining('public DID') } })
    await issuer.api('POST', `/wallet/did/public?did=${encodeURIComponent(issuerDid)}`)

    const created = await issuer.api('POST', '/schemas', { body: { schema_name: 'legacy', schema_version: '2.0', attributes: ['score'] } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const legacyId = created.body.schema_id
    const legacySchema = { ver: '1.0', id: legacyId, name: 'legacy', version: '2.0', attrNames: ['score'] }
    expect(created.body).toEqual({ sent: { schema_id: legacyId, schema: legacySchema }, schema_id: legacyId, schema: legacySchema })
    expect((await issuer.api('GET', `/schemas/${encodeURIComponent(legacyId)}`)).body).toEqual({ schema: legacySchema })
    expect((await issuer.api('GET', '/schemas/created?schema_name=legacy')).body).toEqual({ schema_ids: [legacyId] })
    // The same ids in both families, and from another server.
    expect((await verifier.api('GET', `/anoncreds/schema/${encodeURIComponent(legacyId)}`)).body.schema).toMatchObject({ name: 'legacy', issuerId: issuerDid })
    expect((await verifier.api('GET', `/schemas/${encodeURIComponent(schemaId)}`)).body.schema).toMatchObject({ id: schemaId, name: 'membership' })

    const credDef = await issuer.api('POST', '/credential-definitions', { body: { schema_id: legacyId } })
    expect(credDef.status, JSON.stringify(credDef.body)).toBe(200)
    const legacyCredDefId = credDef.body.credential_definition_id
    expect(credDef.body).toEqual({ sent: { credential_definition_id: legacyCredDefId }, credential_definition_id: legacyCredDefId })
    const fetched = await verifier.api('GET', `/credential-definitions/${encodeURIComponent(legacyCredDefId)}`)
    expect(fetched.body.credential_definition).toMatchObject({ ver: '1.0', id: legacyCredDefId, schemaId: legacyId, type: 'CL', tag: 'default', value: { primary: expect.any(Object) } })
    expect((await verifier.api('GET', `/anoncreds/credential-definition/${encodeURIComponent(legacyCredDefId)}`)).status).toBe(200)
    // As ACA-Py's legacy route: the same schema and tag again gives the existing definition back.
    const again = await issuer.api('POST', '/credential-definitions', { body: { schema_id: legacyId } })
    expect(again.body.credential_definition_id).toBe(legacyCredDefId)
    // A schema id is not a credential definition id, nor the other way round.
    expect((await verifier.api('GET', `/schemas/${encodeURIComponent(legacyCredDefId)}`)).status).toBe(404)
    expect((await verifier.api('GET', `/credential-definitions/${encodeURIComponent(legacyId)}`)).status).toBe(404)
    expect((await issuer.api('GET', `/credential-definitions/created?schema_issuer_did=${encodeURIComponent(issuerDid)}&schema_name=legacy`)).body).toEqual({
      credential_definition_ids: [legacyCredDefId],
    })
    expect((await issuer.api('GET', `/credential-definitions/${encodeURIComponent(`${issuerDid}?service=anoncreds&relativeRef=/credDef/1111111111111111111111`)}`)).status).toBe(404)
  })

  it('refuses bad schemas and credential definitions, creating nothing', async () => {
    const before = (await issuer.api('GET', '/anoncreds/schemas')).body.schema_ids.length
    const schema = (overrides: Record<string, unknown>) => ({ schema: { issuerId: issuerDid, name: 'bad', version: '1.0', attrNames: ['a'], ...overrides } })
    const cases: [TestTenant, unknown, number, string][] = [
      [issuer, schema({ attrNames: ['a', 'a'] }), 400, 'schema.attrNames'],
      [issuer, schema({ attrNames: ['a', ''] }), 422, 'schema.attrNames.1'],
      [issuer, schema({ attrNames: [] }), 422, 'schema.attrNames'],
      [issuer, schema({ version: 'one' }), 422, 'schema.version'],
      [issuer, schema({ issuerId: 'did:web:example.org' }), 400, 'schema.issuerId'],
      [other, schema({}), 400, 'schema.issuerId'], // another tenant's DID
      [issuer, { schema: { issuerId: issuerDid, name: 'membership', version: '1.0', attrNames: ['name', 'level'] } }, 400, 'schema.version'],
    ]
    for (const [tenant, body, status, field] of cases) {
      const response = await tenant.api('POST', '/anoncreds/schema', { body })
      expect(response.status, JSON.stringify(body)).toBe(status)
      expect(response.body).toMatchObject({ error: expect.any(String), field })
    }
    expect((await issuer.api('GET', '/anoncreds/schemas')).body.schema_ids).toHaveLength(before)
    expect((await other.api('GET', '/anoncreds/schemas')).body.schema_ids).toHaveLength(0)

    const missingSchema = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: issuerDid, schemaId: `${issuerDid}?service=anoncreds&relativeRef=/schema/1111111111111111111111`, tag: 'x' } },
    })
    expect(missingSchema).toMatchObject({ status: 400, body: { field: 'credential_definition.schemaId' } })
    const duplicate = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: issuerDid, schemaId, tag: 'default' } },
    })
    expect(duplicate).toMatchObject({ status: 400, body: { field: 'credential_definition.tag' } })
    const ledgerIssuer = await issuer.api('POST', '/anoncreds/schema', {
      body: { schema: { issuerId: 'did:indy:bcovrin:test:WgWxqztrNooG92RXvxSTWv', name: 'x', version: '1.0', attrNames: ['a'] } },
    })
    expect(ledgerIssuer).toMatchObject({ status: 400, body: { field: 'schema.issuerId', error: expect.stringContaining('no Indy ledger is configured') } })
    const unknownMethod = await issuer.api('POST', '/anoncreds/schema', {
      body: { schema: { issuerId: 'did:example:123', name: 'x', version: '1.0', attrNames: ['a'] } },
    })
    expect(unknownMethod).toMatchObject({ status: 400, body: { field: 'schema.issuerId', error: expect.stringContaining('No AnonCreds registry for example') } })
    const revocable = await issuer.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: issuerDid, schemaId, tag: 'rev' }, options: { support_revocation: true, revocation_registry_size: 2 } },
    })
    expect(revocable).toMatchObject({ status: 400, body: { field: 'options.revocation_registry_size' } })
    const foreignIssuer = await other.api('POST', '/anoncreds/credential-definition', {
      body: { credential_definition: { issuerId: issuerDid, schemaId, tag: 'theft' } },
    })
    expect(foreignIssuer).toMatchObject({ status: 400, body: { field: 'credential_definition.issuerId' } })
    expect((await issuer.api('GET', '/anoncreds/credential-definitions')).body.credential_definition_ids).toHaveLength(2)
    expect((await other.api('GET', '/anoncreds/credential-definitions')).body.credential_definition_ids).toHaveLength(0)
  })
})
