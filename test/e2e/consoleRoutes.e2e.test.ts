// The controller routes the console added, over HTTP against a real server on both storages:
// who a key is, the admin key acting in a wallet, schemas and credential definitions on a hosted
// did:web, DIDs, invitation links, request-record lists, predicates, a message straight to one
// connection, and a wallet's API keys listed — each with its refusals (field named, nothing kept).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

describe.each(BACKENDS)('console routes on $name', (backend) => {
  let env: Record<string, string>
  let server: ServerProcess
  let admin: Record<string, string>
  let base: Record<string, string>
  let wallet: { walletId: string; key: Record<string, string> }
  let other: { walletId: string; key: Record<string, string> }
  let technician: Record<string, string>

  const api = (method: string, p: string, body?: unknown, headers = wallet.key) => call(server.adminUrl, method, p, { headers, body })

  async function walletWithKey(label: string, roles = ['admin']) {
    const created = await call(server.adminUrl, 'POST', '/api/subwallet/create', { headers: base, body: { wallet_name: `${label}-${Date.now()}`, label } })
    const minted = await call(server.adminUrl, 'POST', '/api/apikey/create', { headers: base, body: { wallet_id: created.body.wallet_id, name: 'ops', roles } })
    return { walletId: created.body.wallet_id as string, key: { 'x-api-key': minted.body.api_key as string } }
  }

  beforeAll(async () => {
    env = backend.env(tempDataDir())
    server = await startServerProcess(env)
    const secret = (name: string) => fs.readFileSync(path.join(env.CREDENCE_DATA_DIR, 'secrets', name), 'utf8').trim()
    admin = { 'x-api-key': secret('admin-api-key') }
    base = { 'x-api-key': secret('base-api-key') }
    wallet = await walletWithKey('Faber')
    other = await walletWithKey('Other')
    const minted = await call(server.adminUrl, 'POST', '/api/apikey/create', { headers: base, body: { wallet_id: wallet.walletId, name: 'tech', roles: ['technician'] } })
    technician = { 'x-api-key': minted.body.api_key }
  })

  afterAll(async () => {
    await server?.stop()
    await backend.cleanup(env)
  })

  it('says who a key is, and lets the admin key act in the wallet x-wallet-id names', async () => {
    expect((await api('GET', '/api/v1/session')).body).toMatchObject({ wallet_id: wallet.walletId, label: 'Faber', roles: ['admin'], credential: 'api-key' })
    const asAdmin = await api('GET', '/api/v1/session', undefined, { ...admin, 'x-wallet-id': other.walletId })
    expect(asAdmin.body).toMatchObject({ wallet_id: other.walletId, roles: ['super-admin'], credential: 'admin-key', key_id: null })
    // The admin key alone is an answer, not an error: the console's sign-in asks once for either key.
    expect(await api('GET', '/api/v1/session', undefined, admin)).toMatchObject({
      status: 200,
      body: { wallet_id: null, roles: ['super-admin'], credential: 'admin-key' },
    })
    expect(await api('GET', '/api/v1/dids', undefined, admin)).toMatchObject({ status: 400, body: { field: 'x-wallet-id' } })
    expect((await api('GET', '/api/v1/session', undefined, { ...admin, 'x-wallet-id': '00000000-0000-4000-8000-000000000000' })).status).toBe(404)
    // A wallet key stays in its wallet whatever x-wallet-id says.
    expect((await api('GET', '/api/v1/session', undefined, { ...wallet.key, 'x-wallet-id': other.walletId })).body.wallet_id).toBe(wallet.walletId)
    expect((await api('GET', '/api/v1/session', undefined, base)).status).toBe(403)
  })

  it('creates schemas and credential definitions on a hosted did:web and lists them whole', async () => {
    const noDid = await api('POST', '/api/v1/schemas', { name: 'Membership', version: '1.0', attributes: ['name', 'level'] })
    expect(noDid).toMatchObject({ status: 400, body: { error: expect.stringContaining('no public DID') } })
    expect(noDid.body.field).toBe('issuer_id')
    expect((await api('POST', '/api/v1/create-did', { method: 'nope' })).body).toEqual({ error: 'method: must be sov, web or key', field: 'method' })
    const did = await api('POST', '/api/v1/create-did', { method: 'web' })
    expect(did.body).toMatchObject({ method: 'web', did: expect.stringMatching(/^did:web:/) })
    expect((await api('POST', '/api/v1/create-did', { method: 'key' })).body.did).toMatch(/^did:key:/)
    expect((await api('POST', `/api/v1/set-public-did?DID=${encodeURIComponent(did.body.did)}`)).status).toBe(200)
    expect((await api('GET', '/api/v1/dids?posture=public')).body.results.map((d: any) => d.did)).toEqual([did.body.did])
    expect((await api('GET', '/api/v1/dids?method=key')).body.results).toHaveLength(1)
    expect((await api('GET', '/api/v1/dids?posture=everywhere')).body.field).toBe('posture')

    expect((await api('POST', '/api/v1/schemas', { name: 'Membership', version: 'one', attributes: ['name'] })).body).toEqual({ error: 'version: must look like 1.0', field: 'version' })
    expect((await api('POST', '/api/v1/schemas', { name: 'Membership', version: '1.0', attributes: [] })).body.field).toBe('attributes')
    const twice = await api('POST', '/api/v1/schemas', { name: 'Twice', version: '1.0', attributes: ['a', 'a'] })
    expect(twice).toMatchObject({ status: 400, body: { field: 'attributes' } })
    const schema = await api('POST', '/api/v1/schemas', { name: 'Membership', version: '1.0', attributes: ['name', 'level'] })
    expect(schema.body).toMatchObject({ name: 'Membership', version: '1.0', attributes: ['name', 'level'], issuer_id: did.body.did })
    expect((await api('GET', '/api/v1/schemas')).body.results).toEqual([schema.body])
    expect((await api('GET', '/api/v1/schemas', undefined, other.key)).body.results).toEqual([])

    expect((await api('POST', '/api/v1/credential-definitions', { schema_id: 'did:web:nowhere?service=anoncreds&relativeRef=/schema/x' })).status).toBe(400)
    const definition = await api('POST', '/api/v1/credential-definitions', { schema_id: schema.body.schema_id })
    expect(definition.body).toMatchObject({ schema_id: schema.body.schema_id, tag: 'default', issuer_id: did.body.did })
    expect((await api('GET', '/api/v1/credential-definitions')).body.results).toEqual([definition.body])
    expect(await api('POST', '/api/v1/credential-definitions', { schema_id: schema.body.schema_id })).toMatchObject({ status: 400, body: { field: 'tag' } })
  })

  it("gives an invitation's short link and deep link, and lists request records with their predicates", async () => {
    const invitation = await api('POST', '/api/v1/invitations', { alias: 'Alice', contact_id: 'alice' })
    const links = await api('GET', `/api/v1/invitations/${invitation.body.invitation_id}/links`)
    expect(links.body).toMatchObject({ invitation_id: invitation.body.invitation_id, invitation_url: invitation.body.invitation_url })
    expect(links.body.short_url).toMatch(new RegExp(`^${server.inboundUrl}/i/`))
    expect(links.body.deep_link).toBe(`didcomm://invite${new URL(invitation.body.invitation_url).search}`)
    expect((await api('GET', `/api/v1/invitations/${invitation.body.invitation_id}/links`, undefined, other.key)).status).toBe(404)
    expect((await api('GET', '/api/v1/invitations/abc/links')).body.field).toBe('invitation_id')

    const [schema] = (await api('GET', '/api/v1/schemas')).body.results
    const badPredicate = await api('POST', '/api/v1/verifications', { contact_id: 'alice', schemas: [{ schema_id: schema.schema_id, predicates: [{ name: 'level', p_type: '=', p_value: 2 }] }] })
    expect(badPredicate.body).toEqual({ error: 'schemas.0.predicates.0.p_type: must be one of >= > <= <', field: 'schemas.0.predicates.0.p_type' })
    const unknown = await api('POST', '/api/v1/verifications', { contact_id: 'alice', schemas: [{ schema_id: schema.schema_id, predicates: [{ name: 'age', p_type: '>=', p_value: 2 }] }] })
    expect(unknown).toMatchObject({ status: 400, body: { error: expect.stringContaining('age') } })
    expect((await api('GET', '/api/v1/verifications')).body).toEqual([])
    const asked = await api('POST', '/api/v1/verifications', {
      contact_id: 'alice',
      schemas: [{ schema_id: schema.schema_id, schema_attributes: ['name'], predicates: [{ name: 'level', p_type: '>=', p_value: 2 }] }],
    })
    expect(asked.status, JSON.stringify(asked.body)).toBe(200)
    const listed = (await api('GET', '/api/v1/verifications')).body
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({
      verification_id: asked.body[0].verification_id,
      complete: false,
      predicates: { predicate_0: { name: 'level', p_type: '>=', p_value: 2, restrictions: [{ schema_id: schema.schema_id }] } },
    })
    const issued = await api('POST', '/api/v1/credentials', { contact_id: 'alice', schema_id: schema.schema_id, attributes: [{ name: 'name', value: 'Alice' }, { name: 'level', value: '3' }] })
    expect((await api('GET', '/api/v1/credential-records')).body.map((r: any) => r.request_id)).toEqual([issued.body[0].request_id])
    expect((await api('GET', '/api/v1/credential-records', undefined, other.key)).body).toEqual([])
    expect((await api('GET', '/api/v1/verifications', undefined, other.key)).body).toEqual([])
  })

  it('sends a message straight to one connection, and refuses one it cannot send without keeping it', async () => {
    const holder = await createTenant(server, 'Holder')
    const invitation = await api('POST', '/api/v1/invitations', { alias: 'Holder' })
    const received = await holder.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: { invitation_url: invitation.body.invitation_url } })
    await holder.connectionReaches(received.body.connection_id, 'completed')
    const connectionId = await waitFor('the inviter connection to be active', async () => {
      const rows = (await api('GET', '/api/v1/connections?page-size=100')).body.rows as any[]
      return rows.find((row) => row.invitation_id === invitation.body.invitation_id && row.state === 'active')?.connection_id as string | undefined
    })
    const before = (await api('GET', '/api/v1/messages')).body.length
    expect((await api('POST', '/api/v1/messages', { connection_id: 'nope', message: 'hi' })).status).toBe(404)
    expect((await api('POST', '/api/v1/messages', { connection_id: connectionId, message: 'hi' }, other.key)).status).toBe(404)
    expect((await api('POST', '/api/v1/messages', { connection_id: connectionId, contact_id: 'x', message: 'hi' })).body.field).toBe('connection_id')
    expect((await api('POST', '/api/v1/messages', { connection_id: connectionId, message: '' })).body).toEqual({ error: 'message: may not be empty', field: 'message' })
    expect((await api('GET', '/api/v1/messages')).body).toHaveLength(before)

    const sent = await api('POST', '/api/v1/messages', { connection_id: connectionId, message: 'Welcome' })
    expect(sent.body).toMatchObject({ success: 'Message was sent!', state: 'sent' })
    const ofConnection = (await api('GET', `/api/v1/messages?connection_id=${connectionId}`)).body
    expect(ofConnection).toEqual([expect.objectContaining({ message: 'Welcome', state: 'sent', connection_id: connectionId, contact_id: invitation.body.contact_id })])
  })

  it("lists a wallet's API keys, without secrets, to whoever may manage them", async () => {
    const asBase = await api('GET', `/api/apikeys?wallet_id=${wallet.walletId}`, undefined, base)
    expect(asBase.body.results.map((k: any) => k.name).sort()).toEqual(['ops', 'tech'])
    expect(JSON.stringify(asBase.body)).not.toMatch(/api_key|hmac|cred_/)
    expect((await api('GET', `/api/apikeys?wallet_id=${wallet.walletId}`, undefined, admin)).body.results).toHaveLength(2)
    expect((await api('GET', `/api/apikeys?wallet_id=${wallet.walletId}`)).body.results).toHaveLength(2)
    expect((await api('GET', `/api/apikeys?wallet_id=${wallet.walletId}`, undefined, technician)).status).toBe(403)
    expect((await api('GET', `/api/apikeys?wallet_id=${wallet.walletId}`, undefined, other.key)).status).toBe(403)
    expect((await api('GET', '/api/apikeys', undefined, base)).body.field).toBe('wallet_id')
    // The admin key mints and revokes keys like the base key.
    const minted = await api('POST', '/api/apikey/create', { wallet_id: other.walletId, name: 'by-admin', roles: ['viewer'] }, admin)
    expect(minted.body.api_key).toMatch(/^cred_/)
    expect((await api('POST', '/api/apikey/revoke', { wallet_id: other.walletId, key_id: minted.body.key_id }, admin)).body.status).toBe('revoked')
  })
})
