#!/usr/bin/env node
// The whole issue-and-verify flow against a running Credence (`npm start`), through the ACA-Py
// admin API only, as a controller would drive it: three tenants (issuer, holder, verifier), two
// connections, an issuer did:web with a schema and a credential definition on the embedded
// registry (no ledger), an AnonCreds credential, and a proof with a predicate; then a JSON-LD
// credential under a did:key (Ed25519Signature2020) and a DIF proof of it. Each step is printed
// with its time; `--json` prints one JSON line per step instead.
//
//   npm run demo                         # against http://127.0.0.1:8021 and ./data/secrets
//   CREDENCE_URL=… CREDENCE_ADMIN_API_KEY=… npm run demo
import fs from 'node:fs'
import path from 'node:path'

const BASE = (process.env.CREDENCE_URL ?? 'http://127.0.0.1:8021').replace(/\/+$/, '')
const DATA_DIR = process.env.CREDENCE_DATA_DIR ?? './data'
const ADMIN_KEY = process.env.CREDENCE_ADMIN_API_KEY ?? readKey(path.join(DATA_DIR, 'secrets', 'admin-api-key'))
const JSON_OUTPUT = process.argv.includes('--json')
const started = Date.now()

function readKey(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    fail(`No admin key: set CREDENCE_ADMIN_API_KEY, or run from the directory holding ${file}`)
  }
}

function fail(message) {
  console.error(`demo failed: ${message}`)
  process.exit(1)
}

async function call(method, route, { token, body } = {}) {
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : { 'x-api-key': ADMIN_KEY }), ...(body ? { 'content-type': 'application/json' } : {}) }
  let response
  try {
    response = await fetch(`${BASE}${route}`, { method, headers, body: body ? JSON.stringify(body) : undefined })
  } catch (error) {
    fail(`${BASE} did not answer (${error.cause?.code ?? error.message}); start it with npm start`)
  }
  const text = await response.text()
  const parsed = text ? JSON.parse(text) : {}
  if (!response.ok) fail(`${method} ${route} answered ${response.status}: ${text}`)
  return parsed
}

async function waitFor(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await check()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  fail(`timed out waiting for ${what}`)
}

async function step(name, run) {
  const begin = Date.now()
  const detail = await run()
  const ms = Date.now() - begin
  if (JSON_OUTPUT) console.log(JSON.stringify({ step: name, ms, ...(detail ? { detail } : {}) }))
  else console.log(`${String(ms).padStart(6)} ms  ${name}${detail ? `: ${detail}` : ''}`)
  return detail
}

const wallet = (label) =>
  call('POST', '/multitenancy/wallet', { body: { wallet_name: `demo-${label.toLowerCase()}-${Date.now().toString(36)}`, label } })

async function connect(inviter, invitee) {
  const invitation = await call('POST', '/out-of-band/create-invitation?auto_accept=true', {
    token: inviter.token,
    body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
  })
  const received = await call('POST', '/out-of-band/receive-invitation?auto_accept=true', { token: invitee.token, body: invitation.invitation })
  const inviterSide = await waitFor('the connection', async () => {
    const { results } = await call('GET', `/connections?invitation_msg_id=${invitation.invi_msg_id}&state=completed`, { token: inviter.token })
    return results[0]?.connection_id
  })
  await waitFor('the connection', async () => {
    const connection = await call('GET', `/connections/${received.connection_id}`, { token: invitee.token })
    return connection.rfc23_state === 'completed' ? true : undefined
  })
  return { inviterSide, inviteeSide: received.connection_id }
}

const exchangeIn = (tenant, route, state, threadId) =>
  waitFor(`${route} in ${state}`, async () => {
    const { results } = await call('GET', `${route}?state=${state}&thread_id=${threadId}`, { token: tenant.token })
    return results[0]
  })

let issuer, holder, verifier
await step('issuer, holder and verifier tenants', async () => {
  ;[issuer, holder, verifier] = await Promise.all([wallet('Issuer'), wallet('Holder'), wallet('Verifier')])
})

let toHolder, toVerifier
await step('issuer and holder connected (DID exchange 1.1)', async () => {
  toHolder = await connect(issuer, holder)
})
await step('verifier and holder connected', async () => {
  toVerifier = await connect(verifier, holder)
})

let issuerDid, schemaId, credDefId
await step('issuer did:web hosted by Credence', async () => {
  issuerDid = (await call('POST', '/wallet/did/create', { token: issuer.token, body: { method: 'web' } })).result.did
  return issuerDid
})
await step('schema on the embedded registry', async () => {
  const created = await call('POST', '/anoncreds/schema', {
    token: issuer.token,
    body: { schema: { issuerId: issuerDid, name: 'membership', version: '1.0', attrNames: ['name', 'level', 'since'] } },
  })
  schemaId = created.schema_state.schema_id
  return schemaId
})
await step('credential definition', async () => {
  const created = await call('POST', '/anoncreds/credential-definition', {
    token: issuer.token,
    body: { credential_definition: { issuerId: issuerDid, schemaId, tag: 'default' } },
  })
  credDefId = created.credential_definition_state.credential_definition_id
  return credDefId
})

await step('AnonCreds credential offered, requested, issued and stored', async () => {
  const offer = await call('POST', '/issue-credential-2.0/send', {
    token: issuer.token,
    body: {
      connection_id: toHolder.inviterSide,
      filter: { anoncreds: { cred_def_id: credDefId } },
      credential_preview: { attributes: [{ name: 'name', value: 'Alice' }, { name: 'level', value: '3' }, { name: 'since', value: '2024' }] },
    },
  })
  const received = await exchangeIn(holder, '/issue-credential-2.0/records', 'offer-received', offer.thread_id)
  await call('POST', `/issue-credential-2.0/records/${received.cred_ex_record.cred_ex_id}/send-request`, { token: holder.token, body: {} })
  const arrived = await exchangeIn(holder, '/issue-credential-2.0/records', 'credential-received', offer.thread_id)
  const stored = await call('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { token: holder.token, body: {} })
  return `credential ${stored.anoncreds.cred_id_stored}`
})

let verified
await step('proof requested (name revealed, level >= 2) and presented', async () => {
  const restrictions = [{ cred_def_id: credDefId }]
  const request = await call('POST', '/present-proof-2.0/send-request', {
    token: verifier.token,
    body: {
      connection_id: toVerifier.inviterSide,
      presentation_request: {
        anoncreds: {
          name: 'membership check',
          version: '1.0',
          requested_attributes: { member_name: { name: 'name', restrictions } },
          requested_predicates: { member_level: { name: 'level', p_type: '>=', p_value: 2, restrictions } },
        },
      },
    },
  })
  const asked = await exchangeIn(holder, '/present-proof-2.0/records', 'request-received', request.thread_id)
  const [candidate] = await call('GET', `/present-proof-2.0/records/${asked.pres_ex_id}/credentials`, { token: holder.token })
  if (!candidate) fail('the holder has no credential for the request')
  const credId = candidate.cred_info.referent
  await call('POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, {
    token: holder.token,
    body: { anoncreds: { requested_attributes: { member_name: { cred_id: credId, revealed: true } }, requested_predicates: { member_level: { cred_id: credId } }, self_attested_attributes: {} } },
  })
  const presented = await exchangeIn(verifier, '/present-proof-2.0/records', 'presentation-received', request.thread_id)
  verified = await call('POST', `/present-proof-2.0/records/${presented.pres_ex_id}/verify-presentation`, { token: verifier.token })
  return `revealed name = ${verified.by_format.pres.anoncreds.requested_proof.revealed_attrs.member_name.raw}`
})

let issuerKeyDid, holderKeyDid
await step('issuer and holder did:key for JSON-LD', async () => {
  const create = (tenant) => call('POST', '/wallet/did/create', { token: tenant.token, body: { method: 'key', options: { key_type: 'ed25519' } } })
  ;[issuerKeyDid, holderKeyDid] = (await Promise.all([create(issuer), create(holder)])).map((created) => created.result.did)
  return issuerKeyDid
})

await step('JSON-LD credential (Ed25519Signature2020) offered, requested, issued and stored', async () => {
  const credential = {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
    type: ['VerifiableCredential', 'UniversityDegreeCredential'],
    issuer: issuerKeyDid,
    issuanceDate: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    credentialSubject: { id: holderKeyDid, degree: { type: 'BachelorDegree', name: 'Bachelor of Science' } },
  }
  const offer = await call('POST', '/issue-credential-2.0/send', {
    token: issuer.token,
    body: { connection_id: toHolder.inviterSide, filter: { ld_proof: { credential, options: { proofType: 'Ed25519Signature2020' } } } },
  })
  const received = await exchangeIn(holder, '/issue-credential-2.0/records', 'offer-received', offer.thread_id)
  await call('POST', `/issue-credential-2.0/records/${received.cred_ex_record.cred_ex_id}/send-request`, { token: holder.token, body: {} })
  const arrived = await exchangeIn(holder, '/issue-credential-2.0/records', 'credential-received', offer.thread_id)
  const stored = await call('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, { token: holder.token, body: {} })
  return `W3C credential ${stored.ld_proof.cred_id_stored}`
})

let difVerified
await step('DIF proof requested (a degree from the issuer) and presented', async () => {
  const request = await call('POST', '/present-proof-2.0/send-request', {
    token: verifier.token,
    body: {
      connection_id: toVerifier.inviterSide,
      presentation_request: {
        dif: {
          presentation_definition: {
            id: crypto.randomUUID(),
            format: { ldp_vp: { proof_type: ['Ed25519Signature2018'] } },
            input_descriptors: [
              {
                id: 'degree',
                schema: [{ uri: 'https://example.org/examples#UniversityDegreeCredential' }],
                constraints: { fields: [{ path: ['$.issuer'], filter: { type: 'string', const: issuerKeyDid } }] },
              },
            ],
          },
        },
      },
    },
  })
  const asked = await exchangeIn(holder, '/present-proof-2.0/records', 'request-received', request.thread_id)
  // `dif: {}` lets the holder's wallet choose the credential that answers each input descriptor.
  await call('POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, { token: holder.token, body: { dif: {} } })
  const presented = await exchangeIn(verifier, '/present-proof-2.0/records', 'presentation-received', request.thread_id)
  difVerified = await call('POST', `/present-proof-2.0/records/${presented.pres_ex_id}/verify-presentation`, { token: verifier.token })
  return `presented ${difVerified.by_format.pres.dif.verifiableCredential[0].credentialSubject.degree.name}`
})

const result = {
  verified: verified.verified === 'true',
  state: verified.state,
  json_ld_verified: difVerified.verified === 'true',
  total_ms: Date.now() - started,
}
if (JSON_OUTPUT) console.log(JSON.stringify({ result }))
else console.log(`\nverified: AnonCreds ${result.verified} (${result.state}), JSON-LD ${result.json_ld_verified} in ${result.total_ms} ms`)
process.exit(result.verified && result.json_ld_verified ? 0 : 1)
