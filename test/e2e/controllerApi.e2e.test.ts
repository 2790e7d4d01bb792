// The controller API (seed 003) between two real Credence processes over HTTP: invitations made
// with the seed's own bodies, their rules enforced by the agent at the DIDComm level (a refused
// request is answered with a problem report, so the requester's connection ends in error), the
// contact every connection of an invitation shares, message request records that wait for a
// connection (across a restart too), pagination and sorting, DIDs and JSON-LD contexts.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { waitFor } from '../helpers/waitFor'

/**
 * The seed's three sample bodies ("Invitations - Create New Invitation"), `contact_id` adapted:
 * they differ only in `public`, `invitation_mode` and `alias`.
 */
const seedBody = (overrides: { public: boolean; invitation_mode: string; alias: string }) => ({
  contact_id: 'contact123',
  handshake_protocol: 'https://didcomm.org/didexchange/1.1',
  invitation_type: 'OOB',
  accept: 'auto',
  invitation_role: 'Holder',
  invitation_label: 'API Invite',
  invitation_description: 'Invitation created through API',
  invitation_status: 'active',
  invitation_active_starting_at: null,
  invitation_active_ending_at: null,
  invitation_uses_allowed: null,
  ...overrides,
})
const SEED_BODIES = {
  reuse: seedBody({ public: true, invitation_mode: 'once', alias: 'API invitation with connection reuse' }),
  noReuse: seedBody({ public: false, invitation_mode: 'once', alias: 'API invitation without connection reuse' }),
  multi: seedBody({ public: false, invitation_mode: 'multi', alias: 'API invitation with multi-use' }),
}

const INVITATION_ROW_FIELDS = {
  invitation_id: expect.any(Number),
  oob_id: expect.any(String),
  contact_id: expect.any(String),
  my_did: expect.any(String),
  invitation_key: expect.stringMatching(/^did:key:z6Mk\w+#z6Mk\w+$/),
  invitation_mode: expect.stringMatching(/^(once|multi)$/),
  invitation_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\?(oob|c_i)=/),
  invitation_msg_id: expect.any(String),
  invitation: expect.any(Object),
  wallet_id: expect.any(String),
  accept: expect.stringMatching(/^(auto|manual)$/),
  their_role: 'sender',
  service_endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
  domain: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
  path: '',
  workflow_status: expect.stringMatching(/^(active|inactive)$/),
  state: expect.any(String),
  description: expect.any(String),
  active_starting_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  uses_total: expect.any(Number),
  created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
}

interface ProvenWallet {
  walletId: string
  token: string
  headers: Record<string, string>
}

describe.each(BACKENDS)('controller API between two servers on $name', (backend) => {
  let issuerEnv: Record<string, string>
  let holderEnv: Record<string, string>
  let issuerServer: ServerProcess
  let holderServer: ServerProcess
  let issuer: ProvenWallet
  let holders: ProvenWallet[] = []

  const issuerApi = (method: string, p: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
    call(issuerServer.adminUrl, method, p, { ...options, headers: { ...issuer.headers, ...options.headers } })
  const holderApi = (holder: ProvenWallet, method: string, p: string, body?: unknown) => call(holderServer.adminUrl, method, p, { headers: holder.headers, body })

  async function provenWallet(server: ServerProcess, name: string): Promise<ProvenWallet> {
    const base = { 'x-api-key': fs.readFileSync(path.join(server.env.CREDENCE_DATA_DIR!, 'secrets', 'base-api-key'), 'utf8').trim() }
    const created = await call(server.adminUrl, 'POST', '/api/subwallet/create', { headers: base, body: { wallet_name: `${name}-${Math.random().toString(36).slice(2, 8)}`, label: name } })
    expect(created.status).toBe(200)
    const key = await call(server.adminUrl, 'POST', '/api/apikey/create', { headers: base, body: { wallet_id: created.body.wallet_id, name: 'ops', roles: ['admin'] } })
    expect(key.status).toBe(200)
    return { walletId: created.body.wallet_id, token: created.body.token, headers: { 'x-api-key': key.body.api_key } }
  }

  /** A fresh holder wallet accepts the invitation URL; its connection id. */
  async function accept(invitationUrl: string): Promise<{ holder: ProvenWallet; connectionId: string }> {
    const holder = await provenWallet(holderServer, `holder-${holders.length}`)
    holders.push(holder)
    const accepted = await holderApi(holder, 'POST', '/api/v1/invitations/accept', { invitation_url: invitationUrl })
    expect(accepted.status).toBe(200)
    expect(accepted.body).toMatchObject({ success: true, invitation_record: { oob_id: expect.any(String), invi_msg_id: expect.any(String), role: 'receiver' } })
    return { holder, connectionId: accepted.body.invitation_record.connection_id }
  }

  /** Waits for the holder's connection to be active or to fail; its row. */
  async function outcome(holder: ProvenWallet, connectionId: string): Promise<any> {
    return waitFor(`holder connection ${connectionId} to settle`, async () => {
      const { status, body } = await holderApi(holder, 'GET', `/api/v1/connections/${connectionId}`)
      return status === 200 && (body.state === 'active' || body.state === 'error') ? body : undefined
    }, 30_000)
  }

  async function createInvitation(body: Record<string, unknown>) {
    const created = await issuerApi('POST', '/api/v1/invitations', { body })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    return created.body as { invitation_url: string; invitation_id: number; contact_id: string }
  }

  const invitationRow = async (id: number) => (await issuerApi('GET', `/api/v1/invitations/${id}`)).body

  beforeAll(async () => {
    issuerEnv = backend.env(tempDataDir())
    holderEnv = backend.env(tempDataDir())
    ;[issuerServer, holderServer] = await Promise.all([startServerProcess(issuerEnv), startServerProcess(holderEnv)])
    issuer = await provenWallet(issuerServer, 'issuer')
  })

  afterAll(async () => {
    await Promise.all([issuerServer?.stop(), holderServer?.stop()])
    await Promise.all([backend.cleanup(issuerEnv), backend.cleanup(holderEnv)])
  })

  it('creates invitations from the seed bodies, connects through them and reads invitations, connections and contacts back', async () => {
    // The seed's first sample is a public invitation: the wallet needs a public DID (a did:web here).
    const did = await call(issuerServer.adminUrl, 'POST', '/wallet/did/create', { headers: { authorization: `Bearer ${issuer.token}` }, body: { method: 'web' } })
    expect(did.status).toBe(200)
    const publicDid = await issuerApi('POST', `/api/v1/set-public-did?DID=${encodeURIComponent(did.body.result.did)}`)
    expect(publicDid.status).toBe(200)
    expect(publicDid.body).toEqual({ did: did.body.result.did, verkey: expect.any(String), posture: 'public', key_type: 'ed25519', method: 'web', metadata: expect.any(Object) })

    const reuse = await createInvitation(SEED_BODIES.reuse)
    expect(reuse).toEqual({ invitation_url: expect.stringContaining('?oob='), invitation_id: expect.any(Number), contact_id: 'contact123' })
    const noReuse = await createInvitation(SEED_BODIES.noReuse)
    const multi = await createInvitation(SEED_BODIES.multi)
    expect(new Set([reuse.invitation_id, noReuse.invitation_id, multi.invitation_id]).size).toBe(3)

    const publicRow = await invitationRow(reuse.invitation_id)
    expect(publicRow).toMatchObject({ ...INVITATION_ROW_FIELDS, my_did: did.body.result.did, uses_allowed: 1, uses_total: 0, workflow_status: 'active', alias: SEED_BODIES.reuse.alias })
    const multiRow = await invitationRow(multi.invitation_id)
    expect(multiRow).toMatchObject({ ...INVITATION_ROW_FIELDS, my_did: '', invitation_mode: 'multi', uses_allowed: null, description: 'Invitation created through API' })

    const first = await accept(noReuse.invitation_url)
    const holderRow = await outcome(first.holder, first.connectionId)
    expect(holderRow).toMatchObject({ state: 'active', their_role: 'inviter', their_label: 'issuer', wallet_id: first.holder.walletId })

    const used = await waitFor('the once invitation to count its use', async () => {
      const row = await invitationRow(noReuse.invitation_id)
      return row.uses_total === 1 ? row : undefined
    })
    expect(used).toMatchObject({ connection_id: expect.any(String), contact_id: 'contact123' })
    const connection = await issuerApi('GET', `/api/v1/connections/${used.connection_id}`)
    expect(connection.status).toBe(200)
    expect(connection.body).toMatchObject({
      connection_id: used.connection_id,
      state: 'active',
      their_role: 'invitee',
      contact_id: 'contact123',
      invitation_id: noReuse.invitation_id,
      invitation_msg_id: used.invitation_msg_id,
      invitation_key: used.invitation_key,
      invitation_mode: 'once',
      invitation_url: noReuse.invitation_url,
      accept: 'auto',
      discovered_features: [],
      wallet_id: issuer.walletId,
    })
    const listed = await issuerApi('GET', '/api/v1/connections?sort-field=contact_id&sort-direction=ASC')
    expect(listed.body.rows.map((row: any) => row.connection_id)).toContain(used.connection_id)

    const contact = await issuerApi('GET', '/api/v1/contacts/contact123')
    expect(contact.body).toMatchObject({ contact_id: 'contact123', connection_ids: [used.connection_id] })
    expect(contact.body.invitation_ids).toEqual(expect.arrayContaining([reuse.invitation_id, noReuse.invitation_id, multi.invitation_id]))

    // CV1: an RFC 0160 invitation, accepted by a Credo holder over connections/1.0.
    const legacy = await createInvitation({ invitation_type: 'CV1', alias: 'legacy' })
    expect(legacy.invitation_url).toContain('?c_i=')
    expect((await invitationRow(legacy.invitation_id)).invitation).toMatchObject({ '@type': 'https://didcomm.org/connections/1.0/invitation' })
    const legacyUse = await accept(legacy.invitation_url)
    expect(await outcome(legacyUse.holder, legacyUse.connectionId)).toMatchObject({ state: 'active' })

    const updated = await issuerApi('PUT', `/api/v1/invitations/${multi.invitation_id}`, { body: { description: 'Updating invitation description via API', uses_allowed: 20 } })
    expect(updated.body).toMatchObject({ invitation_id: multi.invitation_id, description: 'Updating invitation description via API', uses_allowed: 20 })
    const once = await issuerApi('PUT', `/api/v1/invitations/${noReuse.invitation_id}`, { body: { uses_allowed: 5 } })
    expect(once).toEqual({ status: 400, body: { error: `Invitation ${noReuse.invitation_id} is single-use: uses_allowed stays 1`, field: 'uses_allowed' } })

    const deleted = await issuerApi('DELETE', `/api/v1/invitations/${noReuse.invitation_id}`)
    expect(deleted.body).toEqual({ success: `Invitation ${noReuse.invitation_id} was deleted successfully!` })
    expect((await issuerApi('GET', `/api/v1/invitations/${noReuse.invitation_id}`)).status).toBe(404)
    // The connection stays, with its contact.
    expect((await issuerApi('GET', `/api/v1/connections/${used.connection_id}`)).body).toMatchObject({ contact_id: 'contact123', state: 'active' })
  })

  it('enforces invitation rules at the DIDComm level: uses, status and window', async () => {
    const once = await createInvitation({ invitation_mode: 'once', alias: 'once' })
    const onceFirst = await accept(once.invitation_url)
    expect((await outcome(onceFirst.holder, onceFirst.connectionId)).state).toBe('active')
    const onceSecond = await accept(once.invitation_url)
    const refusedOnce = await outcome(onceSecond.holder, onceSecond.connectionId)
    expect(refusedOnce.state).toBe('error')
    expect(refusedOnce.error_msg).toContain(`Invitation ${once.invitation_id} has no uses left`)

    const multi = await createInvitation({ invitation_mode: 'multi', uses_allowed: 2, alias: 'multi' })
    const multiOutcomes = []
    for (let i = 0; i < 3; i++) {
      const use = await accept(multi.invitation_url)
      multiOutcomes.push((await outcome(use.holder, use.connectionId)).state)
    }
    expect(multiOutcomes).toEqual(['active', 'active', 'error'])
    await waitFor('two uses counted', async () => ((await invitationRow(multi.invitation_id)).uses_total === 2 ? true : undefined))
    expect((await invitationRow(once.invitation_id)).uses_total).toBe(1)

    const inactive = await createInvitation({ invitation_mode: 'multi', alias: 'to be paused' })
    const paused = await issuerApi('PUT', `/api/v1/invitations/${inactive.invitation_id}`, { body: { workflow_status: 'inactive' } })
    expect(paused.body.workflow_status).toBe('inactive')
    const pausedUse = await accept(inactive.invitation_url)
    expect(await outcome(pausedUse.holder, pausedUse.connectionId)).toMatchObject({ state: 'error', error_msg: expect.stringContaining('is inactive') })
    // Active again: the same invitation works.
    await issuerApi('PUT', `/api/v1/invitations/${inactive.invitation_id}`, { body: { workflow_status: 'active' } })
    const resumed = await accept(inactive.invitation_url)
    expect((await outcome(resumed.holder, resumed.connectionId)).state).toBe('active')

    const hour = 3600
    const now = Math.floor(Date.now() / 1000)
    const future = await createInvitation({ invitation_mode: 'multi', invitation_active_starting_at: now + hour })
    const early = await accept(future.invitation_url)
    expect(await outcome(early.holder, early.connectionId)).toMatchObject({ state: 'error', error_msg: expect.stringContaining('is not active before') })
    const past = await createInvitation({
      invitation_mode: 'multi',
      invitation_active_starting_at: new Date((now - 2 * hour) * 1000).toISOString(),
      invitation_active_ending_at: new Date((now - hour) * 1000).toISOString(),
    })
    const late = await accept(past.invitation_url)
    expect(await outcome(late.holder, late.connectionId)).toMatchObject({ state: 'error', error_msg: expect.stringContaining('stopped being active') })
    for (const refused of [future, past]) expect((await invitationRow(refused.invitation_id)).uses_total).toBe(0)
    // A refused request leaves no connection on the inviter's side.
    const inviterConnections = (await issuerApi('GET', '/api/v1/connections?page-size=1000')).body.rows
    expect(inviterConnections.filter((row: any) => [future.invitation_id, past.invitation_id].includes(row.invitation_id))).toEqual([])
  })

  it('admits requests for one invitation one at a time: three at once for two uses make two connections', async () => {
    const invitation = await createInvitation({ invitation_mode: 'multi', uses_allowed: 2, alias: 'rush' })
    const uses = await Promise.all([0, 1, 2].map(() => accept(invitation.invitation_url)))
    const states = await Promise.all(uses.map((use) => outcome(use.holder, use.connectionId).then((row) => row.state)))
    expect(states.sort()).toEqual(['active', 'active', 'error'])
    await waitFor('two uses counted', async () => ((await invitationRow(invitation.invitation_id)).uses_total === 2 ? true : undefined))
  })

  it('refuses bad invitation bodies with the field named', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ invitation_mode: 'sometimes' }, 'invitation_mode'],
      [{ invitation_mode: 'static' }, 'invitation_mode'],
      [{ invitation_mode: 'once', uses_allowed: 3 }, 'uses_allowed'],
      [{ invitation_type: 'CV2' }, 'invitation_type'],
      [{ handshake_protocol: 'https://didcomm.org/didexchange/9.9' }, 'handshake_protocol'],
      [{ invitation_type: 'CV1', handshake_protocol: 'https://didcomm.org/didexchange/1.1' }, 'handshake_protocol'],
      [{ invitation_active_starting_at: 'yesterday' }, 'invitation_active_starting_at'],
      [{ invitation_active_starting_at: 9_000_000_000_000 }, 'invitation_active_starting_at'],
      [{ uses_allowed: 0, invitation_mode: 'multi' }, 'uses_allowed'],
      [{ invitation_active_starting_at: 2_000_000_000, invitation_active_ending_at: 1_900_000_000 }, 'invitation_active_ending_at'],
      [{ surprise: true }, 'body'],
    ]
    for (const [body, field] of cases) {
      const response = await issuerApi('POST', '/api/v1/invitations', { body })
      expect([400, 422], JSON.stringify(body)).toContain(response.status)
      expect(response.body.field, JSON.stringify(body)).toBe(field)
    }
    expect((await issuerApi('GET', '/api/v1/invitations/abc')).status).toBe(422)
    expect((await issuerApi('PUT', '/api/v1/invitations/999999', { body: { description: 'x' } })).status).toBe(404)
  })

  it('sends a message addressed to a contact when its connection completes, also after a restart in between', async () => {
    const invitation = await createInvitation({ contact_id: 'later-contact', invitation_mode: 'once' })
    const queued = await issuerApi('POST', '/api/v1/messages', { body: { contact_id: 'later-contact', message: 'Hello from before the connection' } })
    expect(queued.body).toEqual({ success: 'Message was sent!', id: expect.any(Number), state: 'pending' })

    // The issuer's server restarts while the message waits.
    await issuerServer.stop()
    issuerServer = await startServerProcess(issuerServer.env as Record<string, string>)

    const { holder, connectionId } = await accept(invitation.invitation_url)
    expect((await outcome(holder, connectionId)).state).toBe('active')
    const sent = await waitFor('the waiting message to be sent', async () => {
      const { body } = await issuerApi('GET', `/api/v1/messages/${queued.body.id}`)
      return body.state === 'sent' ? body : undefined
    })
    expect(sent).toMatchObject({
      id: queued.body.id,
      message_id: expect.any(String),
      contact_id: 'later-contact',
      invitation_id: null,
      message: 'Hello from before the connection',
      state: 'sent',
      sent_time: expect.stringMatching(/^\d{4}-/),
      locale: '',
      wallet_id: issuer.walletId,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    })
    // The holder received it, and lists it as received; its answer is listed on the issuer's side.
    const received = await waitFor('the holder to list the message', async () => {
      const { body } = await holderApi(holder, 'GET', '/api/v1/messages')
      return body.find((row: any) => row.state === 'received') ?? undefined
    })
    expect(received).toMatchObject({ message: 'Hello from before the connection', message_id: sent.message_id, connection_id: connectionId })

    // Now connected: a message by invitation id goes at once.
    const now = await issuerApi('POST', '/api/v1/messages', { body: { invitation_id: invitation.invitation_id, message: 'And now' } })
    expect(now.body.state).toBe('sent')
    const all = await issuerApi('GET', '/api/v1/messages')
    expect(all.body.map((row: any) => row.message)).toEqual(expect.arrayContaining(['Hello from before the connection', 'And now']))

    expect((await issuerApi('POST', '/api/v1/messages', { body: { message: 'to nobody' } })).body).toMatchObject({ field: 'contact_id' })
    expect((await issuerApi('POST', '/api/v1/messages', { body: { contact_id: 'nobody', message: 'x' } })).status).toBe(404)
    expect((await issuerApi('GET', '/api/v1/messages/999999')).status).toBe(404)
  })

  it('pages and sorts 25 invitations', async () => {
    const wallet = await provenWallet(issuerServer, 'pager')
    const api = (p: string) => call(issuerServer.adminUrl, 'GET', p, { headers: wallet.headers })
    for (let i = 0; i < 25; i++) {
      const created = await call(issuerServer.adminUrl, 'POST', '/api/v1/invitations', {
        headers: wallet.headers,
        body: { alias: `inv-${String(i).padStart(2, '0')}`, contact_id: `c-${24 - i}`.padEnd(5, '0'), invitation_mode: 'multi' },
      })
      expect(created.status).toBe(200)
    }
    const first = await api('/api/v1/invitations?sort-field=alias&sort-direction=ASC&page-size=10&current-page=1')
    expect(first.body.params).toEqual({ sort: [[['alias', 'ASC']]], pageSize: '10', currentPage: 1, pageCount: 3, itemCount: 25 })
    expect(first.body.count).toBe(25)
    expect(first.body.rows.map((row: any) => row.alias)).toEqual(Array.from({ length: 10 }, (_, i) => `inv-${String(i).padStart(2, '0')}`))
    const last = await api('/api/v1/invitations?sort-field=alias&sort-direction=ASC&page-size=10&current-page=3')
    expect(last.body.rows.map((row: any) => row.alias)).toEqual(['inv-20', 'inv-21', 'inv-22', 'inv-23', 'inv-24'])
    const desc = await api('/api/v1/invitations?sort-field=invitation_id&sort-direction=DESC&page-size=5')
    const ids = desc.body.rows.map((row: any) => row.invitation_id)
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a))
    // The create body's names sort too.
    const byStatus = await api('/api/v1/invitations?sort-field=invitation_status')
    expect(byStatus.body.params.sort).toEqual([[['workflow_status', 'DESC']]])
    const defaults = await api('/api/v1/invitations')
    expect(defaults.body.params).toMatchObject({ sort: [[['updated_at', 'DESC']]], pageSize: '10', currentPage: 1, pageCount: 3 })
    const beyond = await api('/api/v1/invitations?page-size=10&current-page=9')
    expect(beyond.body).toMatchObject({ rows: [], count: 25 })

    const badField = await api('/api/v1/invitations?sort-field=password')
    expect(badField.status).toBe(400)
    expect(badField.body).toMatchObject({ field: 'sort-field', error: expect.stringContaining('invitation_id') })
    expect((await api('/api/v1/invitations?sort-direction=UP')).body.field).toBe('sort-direction')
    expect((await api('/api/v1/invitations?page-size=0')).body.field).toBe('page-size')
    expect((await api('/api/v1/invitations?current-page=-1')).body.field).toBe('current-page')
  })

  it('creates DIDs and keeps JSON-LD contexts the credential format then resolves offline', async () => {
    const created = await issuerApi('POST', '/api/v1/create-did')
    expect(created.body).toEqual({ did: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{21,22}$/), verkey: expect.any(String), posture: 'wallet_only', key_type: 'ed25519', method: 'sov', metadata: {} })
    expect((await issuerApi('POST', '/api/v1/set-public-did')).body.field).toBe('DID')

    const body = {
      context_file_id: 'test.json',
      file: {
        '@context': {
          GenericCredential: {
            '@id': 'https://example.com/indicio#GenericCredential',
            '@context': {
              name: 'http://schema.org/name',
              givenName: 'http://schema.org/givenName',
              familyName: 'http://schema.org/familyName',
              identifier: 'https://example.com/indicio#identifier',
              date: { '@id': 'http://schema.org/date', '@type': 'http://www.w3.org/2001/XMLSchema#date' },
              description: 'http://schema.org/description',
            },
          },
        },
      },
    }
    // A JSON-LD offer naming the context (its type-scoped terms on the subject) cannot be signed
    // offline before the context is posted, and can be after.
    const asToken = { authorization: `Bearer ${issuer.token}` }
    const issuerDid = (await call(issuerServer.adminUrl, 'POST', '/wallet/did/create', { headers: asToken, body: { method: 'key', options: { key_type: 'ed25519' } } })).body.result
      .did
    const contextUrl = `${issuerServer.inboundUrl}/contexts/test.json`
    const offer = () =>
      call(issuerServer.adminUrl, 'POST', '/issue-credential-2.0/create-offer', {
        headers: asToken,
        body: {
          filter: {
            ld_proof: {
              credential: {
                '@context': ['https://www.w3.org/2018/credentials/v1', contextUrl],
                type: ['VerifiableCredential'],
                issuer: issuerDid,
                issuanceDate: '2024-01-01T00:00:00Z',
                credentialSubject: { id: issuerDid, type: 'GenericCredential', givenName: 'Alice', familyName: 'Doe', date: '2024-12-30' },
              },
              options: { proofType: 'Ed25519Signature2018' },
            },
          },
        },
      })
    const unknown = await offer()
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toContain(contextUrl)

    const posted = await issuerApi('POST', '/api/v1/context', { body })
    expect(posted.body).toEqual({ success: 'Context file was posted', url: contextUrl })
    const signable = await offer()
    expect(signable.status, JSON.stringify(signable.body)).toBe(200)
    const listed = await call(issuerServer.adminUrl, 'GET', '/jsonld/contexts', { headers: { authorization: `Bearer ${issuer.token}` } })
    // Kept where the JSON-LD document loader looks (an http URL is kept under its https form).
    expect(listed.body.uploaded.map((c: any) => c.url)).toContain(posted.body.url.replace(/^http:/, 'https:'))

    const broken = await issuerApi('POST', '/api/v1/context', { body: { context_file_id: 'broken.json', file: { '@context': { name: { '@id': 42 } } } } })
    expect(broken.status).toBe(400)
    expect(broken.body).toMatchObject({ field: 'file', error: expect.stringContaining('Not a valid JSON-LD context') })
    const huge = await issuerApi('POST', '/api/v1/context', { body: { context_file_id: 'huge.json', file: { '@context': { big: 'x'.repeat(300_000) } } } })
    expect(huge.status).toBe(422)
    expect(huge.body.field).toBe('file')
  })
})
