// Credence driven by acapy-controller (PyPI), the client library ACA-Py's own scenario scripts use,
// exactly as it drives ACA-Py: it waits for /ws's settings message, reads /status/config, and
// follows every step by the events it receives on /ws. Our flows (test/acapy-controller/flows.py):
// DID exchange, trust ping, a basic message, one multi-use invitation received twice, a JSON-LD
// credential under did:key and a DIF proof of it, in the pairings Credence↔Credence,
// Credence→ACA-Py and ACA-Py→Credence (a real ACA-Py 1.7.0). As ACA-Py's scenarios do, the agents
// run in insecure mode (the library opens /ws with no header) with whole records in their events.
// Every answer Credence gives the library passes through a recording proxy and is checked against
// ACA-Py 1.7's own OpenAPI document (downloaded from a multitenant askar-anoncreds ACA-Py the test
// starts for it), so a client generated from it (aries-cloudcontroller) can read it.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ensureAcaPy, startAcaPy, type AcaPy } from '../helpers/acapy'
import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startRecordingProxy, type RecordingProxy } from '../helpers/recordingProxy'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { compareDeclaredShapes, downloadSwagger, formatMismatches, validateExchanges, type Swagger, type SwaggerMismatch } from '../helpers/swaggerValidation'

const FLOWS = path.resolve(__dirname, '..', 'acapy-controller', 'flows.py')
const STEPS = ['setup', 'didexchange', 'trustping', 'basicmessage', 'multiuse', 'jsonld-issue', 'dif-proof']

interface Agent {
  url: string
  wallet_id?: string
  token?: string
}

/** A Credence tenant as acapy-controller sees a sub-wallet; whole records in its events (--debug-webhooks). */
async function credenceTenant(server: ServerProcess, proxy: RecordingProxy, label: string): Promise<Agent> {
  const created = await call(proxy.url, 'POST', '/multitenancy/wallet', {
    headers: { 'x-api-key': adminKeyOf(server.env as Record<string, string>) },
    body: { label, extra_settings: { ACAPY_DEBUG_WEBHOOKS: true } },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  return { url: proxy.url, wallet_id: created.body.wallet_id, token: created.body.token }
}

/** Runs the flows; resolves with the steps that passed and the output. */
function runFlows(inviter: Agent, invitee: Agent): Promise<{ passed: string[]; output: string; code: number }> {
  const python = path.join(path.dirname(ensureAcaPy()), 'python')
  return new Promise((resolve) => {
    execFile(python, [FLOWS, JSON.stringify({ inviter, invitee })], { timeout: 180_000 }, (error, stdout, stderr) => {
      const passed = stdout.split('\n').filter((line) => line.startsWith('ok ')).map((line) => line.slice(3))
      resolve({ passed, output: `${stdout}\n${stderr}`, code: error ? ((error as { code?: number }).code ?? 1) : 0 })
    })
  })
}

/**
 * ACA-Py 1.7's OpenAPI document with every room Credence mirrors: a multitenant ACA-Py with an
 * askar-anoncreds wallet also has /multitenancy and /anoncreds (a superset of the document of the
 * ACA-Py the flows run against, whose definitions are the same). That ACA-Py is stopped at once.
 */
/**
 * Where a declared response schema (openapi.json) names other top-level keys than ACA-Py 1.7's
 * document for the same operation, and why. The keys are checked too: a new difference fails.
 */
const SETTINGS_KEYS = ['wallet.type', 'wallet.name', 'wallet.webhook_urls', 'wallet.dispatch_type', 'default_label', 'image_url', 'wallet.id']
const SHAPE_DIFFERENCES: Record<string, { keys: { missing: string[]; extra: string[] }; why: string }> = {
  'GET /settings': {
    keys: { missing: [], extra: SETTINGS_KEYS },
    why: "ACA-Py's route answers the settings flat (settings/routes.py returns settings_dict); its document wraps them in `settings`",
  },
  'PUT /settings': { keys: { missing: [], extra: SETTINGS_KEYS }, why: 'as GET /settings' },
  'POST /anoncreds/wallet/upgrade': {
    keys: { missing: [], extra: ['success', 'message'] },
    why: "ACA-Py's route answers {success, message} (wallet/routes.py upgrade_anoncreds); its document's UpgradeResultSchema has no fields",
  },
  'GET /discover-features-2.0/queries': {
    keys: {
      missing: [],
      extra: ['discovery_exchange_id', 'connection_id', 'queries_msg', 'disclosures', 'state', 'trace', 'created_at', 'updated_at'],
    },
    why: "ACA-Py's route answers the exchange record itself; its document says `{results}`",
  },
  'POST /schemas': {
    keys: { missing: [], extra: ['schema_id', 'schema'] },
    why: "ACA-Py's route answers these beside `sent` (messaging/schemas/routes.py); its document names only `sent` and `txn`",
  },
  'GET /status/config': {
    keys: { missing: [], extra: ['credence'] },
    why: "Credence's own settings, by environment variable, beside ACA-Py's `config` (secrets excluded in both)",
  },
  'GET /out-of-band/invitations': {
    keys: {
      missing: [],
      extra: ['oob_id', 'state', 'invi_msg_id', 'invitation', 'their_service', 'connection_id', 'our_recipient_key', 'role', 'multi_use', 'trace', 'created_at', 'updated_at'],
    },
    why: "ACA-Py's route answers the OobRecord itself (out_of_band/v1_0/routes.py invitation_fetch); its document names an empty InvitationRecordResponse",
  },
  ...Object.fromEntries(
    ['GET /ledger/did-verkey', 'GET /ledger/did-endpoint', 'GET /ledger/get-nym-role'].map((operation) => [
      operation,
      {
        keys: { missing: [], extra: ['ledger_id'] },
        why: "ACA-Py's route answers ledger_id beside the value whenever it picked the ledger among configured ones (ledger/routes.py); Credence always names the ledger it asked",
      },
    ]),
  ),
  'POST /credential-definitions': {
    keys: { missing: [], extra: ['credential_definition_id'] },
    why: "ACA-Py's route answers it beside `sent` (messaging/credential_definitions/routes.py); its document names only `sent` and `txn`",
  },
  ...Object.fromEntries(
    [
      'POST /present-proof-2.0/send-request',
      'POST /present-proof-2.0/create-request',
      'POST /present-proof-2.0/send-proposal',
      'POST /present-proof-2.0/records/{pres_ex_id}/send-request',
      'GET /present-proof-2.0/records/{pres_ex_id}',
      'POST /present-proof-2.0/records/{pres_ex_id}/send-presentation',
      'POST /present-proof-2.0/records/{pres_ex_id}/verify-presentation',
    ].map((operation) => [
      operation,
      {
        keys: { missing: [], extra: ['parent_thread_id'] },
        why:
          "a presentation exchange started from an invitation names the invitation's thread, as V20CredExRecord does; " +
          "ACA-Py's V20PresExRecord has no such key (present_proof/v2_0/models/pres_exchange.py), and its clients ignore it",
      },
    ]),
  ),
}

async function documentOfFullAcaPy(): Promise<Swagger> {
  const full = await startAcaPy({
    label: 'ACA-Py (document)',
    extraArgs: ['--multitenant', '--multitenant-admin', '--jwt-secret', randomBytes(16).toString('hex'), '--wallet-type', 'askar-anoncreds'],
  })
  try {
    return await downloadSwagger(full.adminUrl)
  } finally {
    await full.stop()
  }
}

describe('acapy-controller against Credence', () => {
  let first: ServerProcess
  let second: ServerProcess
  let acapy: AcaPy
  // In front of each Credence admin URL: what the controller was answered.
  let firstProxy: RecordingProxy
  let secondProxy: RecordingProxy
  // In front of ACA-Py in one pairing: its own answers show the check is fair.
  let acapyProxy: RecordingProxy
  let swagger: Swagger

  beforeAll(async () => {
    ;[first, second, acapy] = await Promise.all([
      // did:web over plain http on loopback: the AnonCreds objects of the last step live there.
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_ADMIN_INSECURE_MODE: 'true', CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }),
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_ADMIN_INSECURE_MODE: 'true', CREDENCE_DID_WEB_ALLOW_HTTP: 'true' }),
      // As ACA-Py's scenarios run it: no auto-accept, whole records in events.
      startAcaPy({ label: 'ACA-Py', extraArgs: ['--debug-webhooks'] }),
    ])
    ;[firstProxy, secondProxy, acapyProxy, swagger] = await Promise.all([
      startRecordingProxy(first.adminUrl),
      startRecordingProxy(second.adminUrl),
      startRecordingProxy(acapy.adminUrl),
      documentOfFullAcaPy(),
    ])
  }, 300_000)

  afterAll(async () => {
    await Promise.all([firstProxy?.stop(), secondProxy?.stop(), acapyProxy?.stop()])
    await Promise.all([first?.stop(), second?.stop(), acapy?.stop()])
  })

  it('Credence ↔ Credence (tenants of two servers)', async () => {
    const result = await runFlows(await credenceTenant(first, firstProxy, 'Alice'), await credenceTenant(second, secondProxy, 'Bob'))
    expect(result.passed, result.output).toEqual(STEPS)
    expect(result.code, result.output).toBe(0)
  })

  it('Credence → ACA-Py (Credence invites, issues and verifies)', async () => {
    const result = await runFlows(await credenceTenant(first, firstProxy, 'Faber'), { url: acapyProxy.url })
    expect(result.passed, result.output).toEqual(STEPS)
    expect(result.code, result.output).toBe(0)
  })

  it('ACA-Py → Credence (ACA-Py invites, issues and verifies)', async () => {
    const result = await runFlows({ url: acapy.adminUrl }, await credenceTenant(second, secondProxy, 'Alice'))
    expect(result.passed, result.output).toEqual(STEPS)
    expect(result.code, result.output).toBe(0)
  })

  // The flows hold no AnonCreds step (the ACA-Py here has no ledger); Credence ↔ Credence has one, by
  // plain HTTP through the same proxies, so its answers are checked too.
  it('Credence ↔ Credence with AnonCreds: issue, store, prove, discover', async () => {
    const behind = (server: ServerProcess, proxy: RecordingProxy) => ({ ...server, adminUrl: proxy.url }) as ServerProcess
    const [issuer, holder] = await Promise.all([createTenant(behind(first, firstProxy), 'Issuer'), createTenant(behind(second, secondProxy), 'Holder')])
    const ok = async (tenant: TestTenant, method: string, path: string, body?: unknown) => {
      const answer = await tenant.api(method, path, body === undefined ? {} : { body })
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(200)
      return answer.body
    }
    const did = (await ok(issuer, 'POST', '/wallet/did/create', { method: 'web' })).result.did
    const schema = await ok(issuer, 'POST', '/anoncreds/schema', { schema: { issuerId: did, name: 'membership', version: '1.0', attrNames: ['name', 'level'] } })
    const definition = await ok(issuer, 'POST', '/anoncreds/credential-definition', {
      credential_definition: { issuerId: did, schemaId: schema.schema_state.schema_id, tag: 'default' },
    })
    const credDefId = definition.credential_definition_state.credential_definition_id
    const { inviterConnection, inviteeConnection } = await connectTenants(issuer, holder)

    const inState = (tenant: TestTenant, protocol: string, state: string, threadId: string) =>
      waitFor(`a ${protocol} record in ${state}`, async () => (await tenant.api('GET', `/${protocol}/records?state=${state}&thread_id=${threadId}`)).body.results?.[0])
    const sent = await ok(issuer, 'POST', '/issue-credential-2.0/send', {
      connection_id: inviterConnection,
      filter: { anoncreds: { cred_def_id: credDefId } },
      credential_preview: { attributes: [{ name: 'name', value: 'Ada' }, { name: 'level', value: '3' }] },
      auto_remove: false,
    })
    const offered = await inState(holder, 'issue-credential-2.0', 'offer-received', sent.thread_id)
    await ok(holder, 'POST', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}/send-request`, { auto_remove: false })
    await inState(holder, 'issue-credential-2.0', 'credential-received', sent.thread_id)
    const stored = await ok(holder, 'POST', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}/store`, {})
    await ok(holder, 'GET', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}`)
    await ok(holder, 'GET', '/credentials')
    await ok(holder, 'GET', `/credential/${stored.anoncreds.cred_id_stored}`)

    const requested = await ok(issuer, 'POST', '/present-proof-2.0/send-request', {
      connection_id: inviterConnection,
      presentation_request: {
        anoncreds: {
          name: 'membership',
          version: '1.0',
          requested_attributes: { who: { name: 'name', restrictions: [{ cred_def_id: credDefId }] } },
          requested_predicates: { senior: { name: 'level', p_type: '>=', p_value: 2, restrictions: [{ cred_def_id: credDefId }] } },
        },
      },
      auto_remove: false,
    })
    const asked = await inState(holder, 'present-proof-2.0', 'request-received', requested.thread_id)
    const [candidate] = await ok(holder, 'GET', `/present-proof-2.0/records/${asked.pres_ex_id}/credentials`)
    const credId = candidate.cred_info.referent
    await ok(holder, 'POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, {
      anoncreds: { requested_attributes: { who: { cred_id: credId, revealed: true } }, requested_predicates: { senior: { cred_id: credId } }, self_attested_attributes: {} },
      auto_remove: false,
    })
    await inState(issuer, 'present-proof-2.0', 'presentation-received', requested.thread_id)
    expect((await ok(issuer, 'POST', `/present-proof-2.0/records/${requested.pres_ex_id}/verify-presentation`, {})).verified).toBe('true')
    await ok(issuer, 'GET', '/present-proof-2.0/records')

    expect((await ok(holder, 'GET', `/discover-features-2.0/queries?connection_id=${inviteeConnection}`)).state).toBe('done')
    await ok(holder, 'GET', '/discover-features-2.0/records')
  })

  // The rest of the face a controller reads and sets, so those answers are checked too.
  it('Credence ↔ Credence: wallets, settings, connections, DIDs, legacy AnonCreds, proposals', async () => {
    const behind = (server: ServerProcess, proxy: RecordingProxy) => ({ ...server, adminUrl: proxy.url }) as ServerProcess
    const [alice, bob] = await Promise.all([createTenant(behind(first, firstProxy), 'Alice'), createTenant(behind(second, secondProxy), 'Bob')])
    const ok = async (tenant: TestTenant | undefined, method: string, path: string, body?: unknown) => {
      const answer = tenant
        ? await tenant.api(method, path, body === undefined ? {} : { body })
        : await call(firstProxy.url, method, path, { headers: { 'x-api-key': adminKeyOf(first.env as Record<string, string>) }, ...(body === undefined ? {} : { body }) })
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(200)
      return answer.body
    }
    // Wallets and settings.
    await ok(undefined, 'GET', '/status')
    await ok(undefined, 'GET', '/status/config')
    await ok(undefined, 'GET', '/multitenancy/wallets')
    await ok(undefined, 'GET', `/multitenancy/wallet/${alice.walletId}`)
    await ok(undefined, 'PUT', `/multitenancy/wallet/${alice.walletId}`, { label: 'Alice A.', extra_settings: { ACAPY_AUTO_ACCEPT_INVITES: true } })
    await ok(alice, 'GET', '/settings')
    await ok(alice, 'PUT', '/settings', { extra_settings: { ACAPY_AUTO_ACCEPT_REQUESTS: true } })

    // Connections and DIDs.
    const { inviterConnection, inviteeConnection } = await connectTenants(alice, bob)
    await ok(alice, 'GET', '/connections')
    await ok(alice, 'GET', `/connections/${inviterConnection}`)
    await ok(alice, 'GET', `/connections/${inviterConnection}/endpoints`)
    await ok(alice, 'POST', `/connections/${inviterConnection}/metadata`, { metadata: { crm: 'c-1' } })
    await ok(alice, 'GET', `/connections/${inviterConnection}/metadata`)
    await ok(alice, 'POST', `/connections/${inviterConnection}/send-ping`, {})
    await ok(alice, 'GET', '/out-of-band/records')
    const did = (await ok(alice, 'POST', '/wallet/did/create', { method: 'web' })).result.did
    await ok(alice, 'POST', `/wallet/did/public?did=${encodeURIComponent(did)}`)
    await ok(alice, 'GET', '/wallet/did/public')
    await ok(alice, 'GET', '/wallet/did')
    await ok(bob, 'GET', `/resolver/resolve/${encodeURIComponent(did)}`)

    // Legacy AnonCreds under the public DID, and exchanges started from the holder.
    const schema = await ok(alice, 'POST', '/schemas', { schema_name: 'badge', schema_version: '1.0', attributes: ['name'] })
    await ok(alice, 'GET', '/schemas/created')
    await ok(alice, 'GET', `/schemas/${encodeURIComponent(schema.schema_id)}`)
    const definition = await ok(alice, 'POST', '/credential-definitions', { schema_id: schema.schema_id, tag: 'default' })
    await ok(alice, 'GET', '/credential-definitions/created')
    await ok(alice, 'GET', `/credential-definitions/${encodeURIComponent(definition.credential_definition_id)}`)
    await ok(bob, 'POST', '/issue-credential-2.0/send-proposal', {
      connection_id: inviteeConnection,
      filter: { anoncreds: { cred_def_id: definition.credential_definition_id } },
      credential_preview: { attributes: [{ name: 'name', value: 'Bob' }] },
    })
    await ok(bob, 'POST', '/present-proof-2.0/send-proposal', {
      connection_id: inviteeConnection,
      presentation_proposal: { anoncreds: { name: 'badge', version: '1.0', requested_attributes: { who: { name: 'name', restrictions: [{ cred_def_id: definition.credential_definition_id }] } }, requested_predicates: {} } },
    })
    await ok(alice, 'POST', '/present-proof-2.0/create-request', {
      presentation_request: { anoncreds: { name: 'badge', version: '1.0', requested_attributes: { who: { name: 'name' } }, requested_predicates: {} } },
    })
    await ok(alice, 'POST', '/credentials/w3c', {})
    await ok(alice, 'GET', '/issue-credential-2.0/records')
    await ok(bob, 'GET', '/present-proof-2.0/records')
    await ok(alice, 'DELETE', `/connections/${inviterConnection}`)
    await ok(undefined, 'POST', `/multitenancy/wallet/${alice.walletId}/token`, {})
  })

  // Routes declared as data publish a response schema: its keys against ACA-Py's for the same operation.
  it("declared ACA-Py-face response schemas have the keys of ACA-Py 1.7's, or say why not", () => {
    const ours = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'openapi.json'), 'utf8')).paths
    const { differences, compared } = compareDeclaredShapes(swagger, ours)
    expect(compared.length).toBeGreaterThan(15)
    const unexplained = differences
      .map((difference) => ({ ...difference, reason: SHAPE_DIFFERENCES[difference.operation] }))
      .filter((difference) => !difference.reason || JSON.stringify(difference.reason.keys) !== JSON.stringify({ missing: difference.missing, extra: difference.extra }))
    expect(unexplained, 'differences without a reason (or with other keys than the reason names)').toEqual([])
  })

  // After the flows: ACA-Py 1.7's document is the contract for every route it has (routes it does
  // not have, such as /events/stream, are Credence's to shape).
  it("every Credence answer in the flows validates against ACA-Py 1.7's swagger.json", () => {
    const report = validateExchanges(swagger, [...firstProxy.exchanges, ...secondProxy.exchanges])
    expect(report.checked, `no answer was checked; routes not in the document: ${report.unmatched.join(', ')}`).toBeGreaterThan(20)
    // A defect of the document itself, which every real credential definition meets (ACA-Py's too): a
    // credential definition's `primary.r` holds one key per attribute, but the document closes it to
    // master_secret, number and remainder.
    const documentDefect = (m: SwaggerMismatch) =>
      m.operation === 'GET /credential-definitions/{cred_def_id}' && m.error.startsWith('/credential_definition/value/primary/r must NOT have additional properties')
    const mismatches = report.mismatches.filter((m) => !documentDefect(m))
    expect(mismatches.length, `mismatches with ACA-Py 1.7's swagger.json:\n${formatMismatches(mismatches)}`).toBe(0)
    // Kept apart (report.nonIndyIds): the AnonCreds objects here live on a did:web, and the
    // document's id patterns (IndyCredInfo, the legacy /schemas and /credential-definitions) know
    // Indy ids only; with an Indy ledger Credence gives Indy ids (test/e2e/indyLedger.e2e.test.ts).
    // The check itself is fair: ACA-Py's own answers in the Credence → ACA-Py pairing pass it.
    const control = validateExchanges(swagger, acapyProxy.exchanges)
    expect(control.checked).toBeGreaterThan(5)
    expect(control.mismatches.length, `ACA-Py's own answers fail the check:\n${formatMismatches(control.mismatches)}`).toBe(0)
  })
})
