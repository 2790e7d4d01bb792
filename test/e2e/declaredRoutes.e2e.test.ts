// Routes declared as data (src/http/route.ts) answer what they declare: each is called on a real
// server and its answer parsed with the declaration's own response schema, the one the OpenAPI
// document publishes. A declared route without a call here fails the test, so a room moved to
// declarations brings its calls along.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { routeListingDeps } from '../../src/app'
import { routeTable } from '../../src/http/rooms'
import { sqlite, tempDataDir } from '../helpers/backends'
import { openEventStream } from '../helpers/eventStream'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { startTailsServer, type TailsServer } from '../helpers/tailsServer'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'

/** A call's status, body and media type (`application/json`, `image/png`): the type says which schema to check. */
async function callServer(baseUrl: string, method: string, target: string, options: { headers?: Record<string, string>; body?: unknown }) {
  const hasBody = options.body !== undefined
  const response = await fetch(`${baseUrl}${target}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: hasBody ? JSON.stringify(options.body) : undefined,
  })
  const type = (response.headers.get('content-type') ?? '').split(';')[0]
  const text = await response.text()
  return { status: response.status, body: type === 'application/json' && text ? JSON.parse(text) : text, type }
}

/** Declared routes that cannot answer here, and why. */
const NOT_CALLED: Record<string, string> = {
  'POST /did/cheqd/create': 'writes to a cheqd network, which tests do not reach (README "What was verified how")',
  'POST /api/v1/emails/verify': 'needs an SMTP server; controllerRequests.e2e runs one and checks the answer',
  'POST /api/v1/fetch-taa': 'answers only with an Indy ledger configured (403 otherwise); indyLedger.e2e covers it against the double',
  'POST /api/v1/accept-taa': 'answers only with an Indy ledger configured (403 otherwise); indyLedger.e2e covers it against the double',
  ...Object.fromEntries(
    ['GET /ledger/config', 'GET /ledger/taa', 'POST /ledger/taa/accept', 'POST /ledger/register-nym', 'GET /ledger/did-verkey', 'GET /ledger/did-endpoint', 'GET /ledger/get-nym-role'].map((route) => [
      route,
      'answers only with an Indy ledger configured (403 otherwise); indyLedger.e2e parses its answers with this declaration against the double',
    ]),
  ),
  'POST /issue-credential-2.0/send-request':
    'answers 501 whatever the body (Credo 0.5 cannot start an exchange with a request), so never the record it declares; issueAndVerify.e2e checks the 501',
}

/** The calls, in order (later ones use what earlier ones made); `path` may use the context. */
type Context = { webDid?: string; keyDid?: string; subwallet?: string; connection?: string; message?: number; wallet?: string; controllerDid?: string; schemaId?: string; acSchemaId?: string; acCredDefId?: string; legacySchemaId?: string; legacyCredDefId?: string; thread?: string; peerExchange?: string; heldCredential?: string; peerKeyDid?: string; heldW3c?: string; peerDid?: string; peerConnection?: string; invitation?: unknown; received?: string; oobId?: string; inviMsgId?: string; delivery?: number; hooked?: { walletId: string; token: string }; peerSide?: string; exchange?: string; presentation?: string; peerPresentation?: string; candidate?: string; revCredDefId?: string; revRegId?: string; revExchange?: string; credRevId?: string; handRevRegId?: string; handTailsUri?: string; anonHandRevRegId?: string }
type Call = {
  route: string
  /**
   * Whose credential: the tenant's bearer token (default), its peer's, the admin key, the base key, an
   * API key of the tenant's wallet, or the token of the wallet with a webhook target (context.hooked).
   */
  as?: 'tenant' | 'peer' | 'admin' | 'base' | 'walletKey' | 'hooked'
  /** Asks again (for up to 20 s) until the answer satisfies this: for what arrives over DIDComm. */
  until?: (body: any) => boolean
  path?: (context: Context) => string
  body?: (context: Context) => unknown
  keep?: (body: any, context: Context) => void
  /** More request headers (`accept`). */
  headers?: Record<string, string>
  /** For an event stream: the call that makes an event, which the stream must then carry. */
  trigger?: Call
}
/** The peer (holder) is issued an AnonCreds and a JSON-LD credential by the tenant, then lists, reads and deletes them. */
function holderCalls(): Call[] {
  const receive = (offer: (context: Context) => unknown): Call[] => [
    // The exchange that puts a credential in the peer's wallet; issueCredentialCalls has the other routes.
    { route: 'POST /issue-credential-2.0/send', body: offer, keep: (body, context) => (context.thread = body.thread_id) },
    {
      route: 'GET /issue-credential-2.0/records',
      as: 'peer',
      path: (context) => `/issue-credential-2.0/records?thread_id=${context.thread}&state=offer-received`,
      until: (body) => body.results.length > 0,
      keep: (body, context) => (context.peerExchange = body.results[0].cred_ex_record.cred_ex_id),
    },
    { route: 'POST /issue-credential-2.0/records/:cred_ex_id/send-request', as: 'peer', path: (context) => `/issue-credential-2.0/records/${context.peerExchange}/send-request`, body: () => ({}) },
    {
      route: 'GET /issue-credential-2.0/records/:cred_ex_id',
      as: 'peer',
      path: (context) => `/issue-credential-2.0/records/${context.peerExchange}`,
      until: (body) => body.cred_ex_record.state === 'credential-received',
    },
    {
      route: 'POST /issue-credential-2.0/records/:cred_ex_id/store',
      as: 'peer',
      path: (context) => `/issue-credential-2.0/records/${context.peerExchange}/store`,
      body: () => ({}),
      keep: (body, context) => {
        if (body.anoncreds) context.heldCredential = body.anoncreds.cred_id_stored
        if (body.ld_proof) context.heldW3c = body.ld_proof.cred_id_stored
      },
    },
  ]
  return [
    ...receive((context) => ({
      connection_id: context.connection,
      filter: { anoncreds: { cred_def_id: context.acCredDefId } },
      credential_preview: { attributes: [{ name: 'name', value: 'Alice' }] },
    })),
    { route: 'GET /credentials', as: 'peer' },
    { route: 'GET /credential/:credential_id', as: 'peer', path: (context) => `/credential/${context.heldCredential}` },
    { route: 'GET /credential/revoked/:credential_id', as: 'peer', path: (context) => `/credential/revoked/${context.heldCredential}` },
    { route: 'POST /wallet/did/create', as: 'peer', body: () => ({ method: 'key' }), keep: (body, context) => (context.peerKeyDid = body.result.did) },
    ...receive((context) => ({
      connection_id: context.connection,
      filter: {
        ld_proof: {
          options: { proofType: 'Ed25519Signature2020' },
          credential: {
            '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
            type: ['VerifiableCredential', 'UniversityDegreeCredential'],
            issuer: context.keyDid,
            issuanceDate: '2026-01-01T00:00:00Z',
            credentialSubject: { id: context.peerKeyDid, degree: { type: 'BachelorDegree', name: 'Bachelor of Science' } },
          },
        },
      },
    })),
    { route: 'POST /credentials/w3c', as: 'peer', body: () => ({}) },
    { route: 'GET /credential/w3c/:credential_id', as: 'peer', path: (context) => `/credential/w3c/${context.heldW3c}` },
    { route: 'DELETE /credential/w3c/:credential_id', as: 'peer', path: (context) => `/credential/w3c/${context.heldW3c}` },
    { route: 'DELETE /credential/:credential_id', as: 'peer', path: (context) => `/credential/${context.heldCredential}` },
  ]
}

/** Until a DIDComm message has arrived: the first exchange of `protocol` in `state` on the thread kept last. */
const arrived = (protocol: string, state: string, keep: (body: any, context: Context) => void): Omit<Call, 'as'> => ({
  route: `GET /${protocol}/records`,
  path: (context) => `/${protocol}/records?thread_id=${context.thread}&state=${state}`,
  until: (body) => body.results.length > 0,
  keep,
})

/**
 * Issue-credential 2.0 besides the holder's set-up: an offer the tenant issues by hand (the peer keeps
 * the credential for presentProofCalls), a proposal the tenant answers, and a connectionless offer.
 */
function issueCredentialCalls(): Call[] {
  const record = (suffix = '') => (context: Context) => `/issue-credential-2.0/records/${context.exchange}${suffix}`
  const peerRecord = (suffix = '') => (context: Context) => `/issue-credential-2.0/records/${context.peerExchange}${suffix}`
  const anonCredsFilter = (context: Context) => ({ anoncreds: { cred_def_id: context.acCredDefId } })
  const preview = { attributes: [{ name: 'name', value: 'Alice' }] }
  return [
    {
      route: 'POST /issue-credential-2.0/send-offer',
      body: (context) => ({ connection_id: context.connection, filter: anonCredsFilter(context), credential_preview: preview, auto_issue: false, auto_remove: false }),
      keep: (body, context) => (context.thread = body.thread_id),
    },
    { ...arrived('issue-credential-2.0', 'offer-received', (body, context) => (context.peerExchange = body.results[0].cred_ex_record.cred_ex_id)), as: 'peer' },
    { route: 'POST /issue-credential-2.0/records/:cred_ex_id/send-request', as: 'peer', path: peerRecord('/send-request'), body: () => ({}) },
    arrived('issue-credential-2.0', 'request-received', (body, context) => (context.exchange = body.results[0].cred_ex_record.cred_ex_id)),
    { route: 'POST /issue-credential-2.0/records/:cred_ex_id/issue', path: record('/issue'), body: () => ({ comment: 'declared' }) },
    { route: 'GET /issue-credential-2.0/records/:cred_ex_id', as: 'peer', path: peerRecord(), until: (body) => body.cred_ex_record.state === 'credential-received' },
    { route: 'POST /issue-credential-2.0/records/:cred_ex_id/store', as: 'peer', path: peerRecord('/store'), body: () => ({}) },
    { route: 'GET /issue-credential-2.0/records/:cred_ex_id', path: record(), until: (body) => body.cred_ex_record.state === 'done' },
    { route: 'DELETE /issue-credential-2.0/records/:cred_ex_id', path: record() },
    {
      route: 'POST /issue-credential-2.0/send-proposal',
      as: 'peer',
      body: (context) => ({ connection_id: context.peerSide, filter: anonCredsFilter(context), credential_preview: preview }),
      keep: (body, context) => (context.thread = body.thread_id),
    },
    arrived('issue-credential-2.0', 'proposal-received', (body, context) => (context.exchange = body.results[0].cred_ex_record.cred_ex_id)),
    { route: 'POST /issue-credential-2.0/records/:cred_ex_id/send-offer', path: record('/send-offer'), body: () => ({}) },
    {
      route: 'POST /issue-credential-2.0/create-offer',
      body: (context) => ({ filter: anonCredsFilter(context), credential_preview: preview, auto_remove: false }),
      keep: (body, context) => (context.exchange = body.cred_ex_id),
    },
    { route: 'POST /issue-credential-2.0/records/:cred_ex_id/problem-report', path: record('/problem-report'), body: () => ({ description: 'declared' }) },
  ]
}

/**
 * Present-proof 2.0: the tenant asks for the peer's AnonCreds credential and verifies it, answers the
 * peer's proposal, and abandons a connectionless request.
 */
function presentProofCalls(): Call[] {
  const record = (suffix = '') => (context: Context) => `/present-proof-2.0/records/${context.presentation}${suffix}`
  const peerRecord = (suffix = '') => (context: Context) => `/present-proof-2.0/records/${context.peerPresentation}${suffix}`
  const request = (context: Context) => ({
    name: 'declared',
    version: '1.0',
    requested_attributes: { who: { name: 'name', restrictions: [{ cred_def_id: context.acCredDefId }] } },
    requested_predicates: {},
  })
  return [
    {
      route: 'POST /present-proof-2.0/send-request',
      body: (context) => ({ connection_id: context.connection, presentation_request: { anoncreds: request(context) }, auto_verify: false, auto_remove: false }),
      keep: (body, context) => {
        context.thread = body.thread_id
        context.presentation = body.pres_ex_id
      },
    },
    { ...arrived('present-proof-2.0', 'request-received', (body, context) => (context.peerPresentation = body.results[0].pres_ex_id)), as: 'peer' },
    {
      route: 'GET /present-proof-2.0/records/:pres_ex_id/credentials',
      as: 'peer',
      path: peerRecord('/credentials'),
      keep: (body, context) => (context.candidate = body[0].cred_info.referent),
    },
    {
      route: 'POST /present-proof-2.0/records/:pres_ex_id/send-presentation',
      as: 'peer',
      path: peerRecord('/send-presentation'),
      body: (context) => ({ anoncreds: { requested_attributes: { who: { cred_id: context.candidate, revealed: true } }, requested_predicates: {}, self_attested_attributes: {} } }),
    },
    { route: 'GET /present-proof-2.0/records/:pres_ex_id', path: record(), until: (body) => body.state === 'presentation-received' },
    { route: 'POST /present-proof-2.0/records/:pres_ex_id/verify-presentation', path: record('/verify-presentation'), body: () => ({}) },
    { route: 'DELETE /present-proof-2.0/records/:pres_ex_id', path: record() },
    {
      route: 'POST /present-proof-2.0/send-proposal',
      as: 'peer',
      body: (context) => ({ connection_id: context.peerSide, presentation_proposal: { anoncreds: request(context) } }),
      keep: (body, context) => (context.thread = body.thread_id),
    },
    arrived('present-proof-2.0', 'proposal-received', (body, context) => (context.presentation = body.results[0].pres_ex_id)),
    { route: 'POST /present-proof-2.0/records/:pres_ex_id/send-request', path: record('/send-request'), body: () => ({}) },
    {
      route: 'POST /present-proof-2.0/create-request',
      body: (context) => ({ presentation_request: { anoncreds: request(context) }, auto_remove: false }),
      keep: (body, context) => (context.presentation = body.pres_ex_id),
    },
    { route: 'POST /present-proof-2.0/records/:pres_ex_id/problem-report', path: record('/problem-report'), body: () => ({ description: 'declared' }) },
  ]
}

function connectionCalls(): Call[] {
  const on = (suffix = '') => (context: Context) => `/connections/${context.connection}${suffix}`
  return [
    { route: 'GET /connections' },
    { route: 'GET /connections/:conn_id', path: on() },
    { route: 'GET /connections/:conn_id/endpoints', path: on('/endpoints') },
    { route: 'POST /connections/:conn_id/metadata', path: on('/metadata'), body: () => ({ metadata: { note: 'declared' } }) },
    { route: 'GET /connections/:conn_id/metadata', path: on('/metadata') },
    { route: 'POST /connections/:conn_id/send-message', path: on('/send-message'), body: () => ({ content: 'hello' }) },
    { route: 'POST /connections/:conn_id/send-ping', path: on('/send-ping'), body: () => ({}) },
  ]
}

/** Requests to the peer's public did:web (one accepted, one rejected), and an invitation accepted by hand. */
function didExchangeCalls(): Call[] {
  const toPeer = (context: Context) => `?their_public_did=${encodeURIComponent(context.peerDid!)}`
  const nextRequest: Call = {
    route: 'GET /connections',
    as: 'peer',
    path: () => '/connections?state=request',
    until: (body) => body.results.length > 0,
    keep: (body, context) => (context.peerConnection = body.results[0].connection_id),
  }
  return [
    { route: 'POST /wallet/did/create', as: 'peer', body: () => ({ method: 'web' }), keep: (body, context) => (context.peerDid = body.result.did) },
    { route: 'POST /wallet/did/public', as: 'peer', path: (context) => `/wallet/did/public?did=${encodeURIComponent(context.peerDid!)}` },
    { route: 'POST /didexchange/create-request', path: (context) => `/didexchange/create-request${toPeer(context)}` },
    nextRequest,
    { route: 'POST /didexchange/:conn_id/accept-request', as: 'peer', path: (context) => `/didexchange/${context.peerConnection}/accept-request` },
    { route: 'GET /connections', as: 'peer', path: () => '/connections?state=request', until: (body) => body.results.length === 0 },
    { route: 'POST /v1/connections/did-exchange/create-request', path: (context) => `/v1/connections/did-exchange/create-request${toPeer(context)}` },
    nextRequest,
    { route: 'POST /didexchange/:conn_id/reject', as: 'peer', path: (context) => `/didexchange/${context.peerConnection}/reject`, body: () => ({ reason: 'declared' }) },
    // An invitation the tenant receives without accepting it.
    {
      route: 'POST /out-of-band/create-invitation',
      as: 'peer',
      body: () => ({ handshake_protocols: ['https://didcomm.org/didexchange/1.1'] }),
      keep: (body, context) => (context.invitation = body.invitation),
    },
    {
      route: 'POST /out-of-band/receive-invitation',
      path: () => '/out-of-band/receive-invitation?auto_accept=false',
      body: (context) => context.invitation,
      keep: (body, context) => (context.received = body.connection_id),
    },
    { route: 'POST /didexchange/:conn_id/accept-invitation', path: (context) => `/didexchange/${context.received}/accept-invitation` },
    { route: 'DELETE /connections/:conn_id', path: (context) => `/connections/${context.received}` },
  ]
}

/** Out-of-band invitations with their links, the status routes, the ledger list, webhooks and event streams. */
function outOfBandAndOperatorCalls(): Call[] {
  const invitationOf = (suffix: string) => (context: Context) => `/out-of-band/invitations/${context.oobId}${suffix}`
  const anInvitation: Call = { route: 'POST /out-of-band/create-invitation', body: () => ({ handshake_protocols: ['https://didcomm.org/didexchange/1.1'] }) }
  return [
    {
      route: 'POST /out-of-band/create-invitation',
      body: () => ({ handshake_protocols: ['https://didcomm.org/didexchange/1.1'] }),
      keep: (body, context) => {
        context.oobId = body.oob_id
        context.inviMsgId = body.invi_msg_id
        context.invitation = body.invitation
      },
    },
    { route: 'GET /out-of-band/records' },
    { route: 'GET /out-of-band/invitations', path: (context) => `/out-of-band/invitations?oob_id=${context.oobId}` },
    { route: 'GET /out-of-band/invitations/:oob_id/short-url', path: invitationOf('/short-url') },
    { route: 'GET /out-of-band/invitations/:oob_id/qr', path: invitationOf('/qr') },
    { route: 'GET /out-of-band/invitations/:oob_id/qr', path: invitationOf('/qr?format=png') },
    { route: 'POST /out-of-band/receive-invitation', as: 'peer', path: () => '/out-of-band/receive-invitation?auto_accept=false', body: (context) => context.invitation },
    { route: 'DELETE /out-of-band/invitations/:invi_msg_id', path: (context) => `/out-of-band/invitations/${context.inviMsgId}` },
    { route: 'GET /', as: 'base', headers: { accept: 'application/json' } },
    { route: 'GET /', as: 'base', headers: { accept: 'text/html' } },
    { route: 'GET /api/doc', as: 'base' },
    { route: 'GET /api/doc/openapi.json', as: 'base' },
    { route: 'GET /console', as: 'base' },
    { route: 'GET /status/live', as: 'base' },
    { route: 'GET /status/ready', as: 'base' },
    { route: 'GET /status', as: 'admin' },
    { route: 'GET /status/config', as: 'admin' },
    { route: 'GET /webhooks/targets' },
    { route: 'GET /webhooks/base-targets', as: 'admin' },
    { route: 'GET /events/stream', trigger: anInvitation },
    { route: 'GET /api/v1/events/stream', as: 'walletKey', trigger: anInvitation },
    // A wallet whose webhook target refuses (nothing listens on the discard port): its deliveries stay in the log.
    {
      route: 'POST /multitenancy/wallet',
      as: 'admin',
      body: () => ({ wallet_name: 'declared-hooked', label: 'Hooked', wallet_type: 'askar', wallet_webhook_urls: ['http://127.0.0.1:9/hook'] }),
      keep: (body, context) => (context.hooked = { walletId: body.wallet_id, token: body.token }),
    },
    { route: 'POST /out-of-band/create-invitation', as: 'hooked', body: () => ({ handshake_protocols: ['https://didcomm.org/didexchange/1.1'] }) },
    { route: 'POST /anoncreds/wallet/upgrade', as: 'hooked', path: () => '/anoncreds/wallet/upgrade?wallet_name=declared-hooked' },
    {
      route: 'GET /webhooks/deliveries',
      as: 'admin',
      path: (context) => `/webhooks/deliveries?wallet_id=${context.hooked!.walletId}`,
      until: (body) => body.results.length > 0,
      keep: (body, context) => (context.delivery = body.results[0].delivery_id),
    },
    { route: 'POST /webhooks/deliveries/:delivery_id/redeliver', as: 'admin', path: (context) => `/webhooks/deliveries/${context.delivery}/redeliver` },
  ]
}

/**
 * The controller face's exchange rooms (invitations, contacts, credentials, verifications,
 * presentations): the peer accepts an invitation of the tenant's contact, which is then issued
 * and asked for credentials by request records; the tenant accepts an invitation of the peer's.
 * What these calls make is kept in their own `made`, apart from the shared context.
 */
function controllerExchangeCalls(): Call[] {
  const made: { invitation?: number; invitationMessage?: unknown; spare?: number; peerInvitationUrl?: string; request?: number; jsonLdRequest?: number; verification?: number; jsonLdVerification?: number; exchange?: string; presentation?: string } = {}
  const contact = 'declared-contact'
  return [
    { route: 'POST /api/v1/invitations', as: 'walletKey', body: () => ({ contact_id: contact, invitation_mode: 'once' }), keep: (body) => (made.invitation = body.invitation_id) },
    { route: 'GET /api/v1/invitations', as: 'walletKey' },
    { route: 'GET /api/v1/invitations/:invitation_id', as: 'walletKey', path: () => `/api/v1/invitations/${made.invitation}`, keep: (body) => (made.invitationMessage = body.invitation) },
    { route: 'GET /api/v1/invitations/:invitation_id/links', as: 'walletKey', path: () => `/api/v1/invitations/${made.invitation}/links` },
    { route: 'PUT /api/v1/invitations/:invitation_id', as: 'walletKey', path: () => `/api/v1/invitations/${made.invitation}`, body: () => ({ description: 'declared' }) },
    // The peer accepts the contact's invitation.
    { route: 'POST /out-of-band/receive-invitation', as: 'peer', path: () => '/out-of-band/receive-invitation?auto_accept=true', body: () => made.invitationMessage },
    { route: 'GET /api/v1/contacts', as: 'walletKey' },
    { route: 'GET /api/v1/contacts/:contact_id', as: 'walletKey', path: () => `/api/v1/contacts/${contact}`, until: (body) => body.connection_ids.length > 0 },
    {
      route: 'POST /api/v1/credentials',
      as: 'walletKey',
      body: (context) => ({ contact_id: contact, schema_id: context.schemaId, attributes: [{ name: 'name', value: 'Alice' }], timeout: 0 }),
      keep: (body) => (made.request = body[0].request_id),
    },
    { route: 'GET /api/v1/credential-records', as: 'walletKey' },
    {
      route: 'GET /api/v1/credential-records/:request_id',
      as: 'walletKey',
      path: () => `/api/v1/credential-records/${made.request}`,
      until: (body) => body.credential_exchange_id.length > 0,
      keep: (body) => (made.exchange = body.credential_exchange_id[0]),
    },
    { route: 'GET /api/v1/credentials', as: 'walletKey' },
    { route: 'GET /api/v1/credentials/:credential_definition_id', as: 'walletKey', path: () => `/api/v1/credentials/${made.exchange}` },
    {
      route: 'POST /api/v1/credentials/json-ld',
      as: 'walletKey',
      body: (context) => ({
        contact_id: contact,
        context: ['https://www.w3.org/2018/credentials/examples/v1'],
        type: ['UniversityDegreeCredential'],
        attributes: [{ name: 'degree', value: { type: 'BachelorDegree', name: 'Bachelor of Science' } }],
        did: context.keyDid,
        timeout: 0,
      }),
      keep: (body) => (made.jsonLdRequest = body[0].request_id),
    },
    { route: 'GET /api/v1/credentials/json-ld/:request_id', as: 'walletKey', path: () => `/api/v1/credentials/json-ld/${made.jsonLdRequest}` },
    {
      route: 'POST /api/v1/verifications',
      as: 'walletKey',
      body: (context) => ({ contact_id: contact, schemas: [{ schema_id: context.schemaId, schema_attributes: ['name'] }], timeout: 0 }),
      keep: (body) => (made.verification = body[0].verification_id),
    },
    { route: 'GET /api/v1/verifications', as: 'walletKey' },
    {
      route: 'GET /api/v1/verifications/:verification_id',
      as: 'walletKey',
      path: () => `/api/v1/verifications/${made.verification}`,
      until: (body) => body.presentation_exchange_id.length > 0,
      keep: (body) => (made.presentation = body.presentation_exchange_id[0]),
    },
    {
      route: 'POST /api/v1/verifications/json-ld',
      as: 'walletKey',
      body: () => ({ contact_id: contact, definitions: [{ context: ['https://www.w3.org/2018/credentials#VerifiableCredential'], attributes: ['degree'], label: 'Degree' }], timeout: 0 }),
      keep: (body) => (made.jsonLdVerification = body[0].verification_id),
    },
    { route: 'GET /api/v1/verifications/json-ld/:verification_id', as: 'walletKey', path: () => `/api/v1/verifications/json-ld/${made.jsonLdVerification}` },
    { route: 'GET /api/v1/presentations', as: 'walletKey' },
    { route: 'GET /api/v1/presentations/:presentation_exchange_id', as: 'walletKey', path: () => `/api/v1/presentations/${made.presentation}` },
    // An invitation of the peer's, which the tenant accepts.
    {
      route: 'POST /out-of-band/create-invitation',
      as: 'peer',
      body: () => ({ handshake_protocols: ['https://didcomm.org/didexchange/1.1'] }),
      keep: (body) => (made.peerInvitationUrl = body.invitation_url),
    },
    { route: 'POST /api/v1/invitations/accept', as: 'walletKey', body: () => ({ invitation_url: made.peerInvitationUrl }) },
    { route: 'POST /api/v1/invitations', as: 'walletKey', body: () => ({ invitation_mode: 'multi' }), keep: (body) => (made.spare = body.invitation_id) },
    { route: 'DELETE /api/v1/invitations/:invitation_id', as: 'walletKey', path: () => `/api/v1/invitations/${made.spare}` },
  ]
}

/** A revocable credential definition, an offer that takes an index on its registry, and that index revoked and published. */
function revocationCalls(): Call[] {
  const revRegPath = (suffix = '') => (context: Context) => `/anoncreds/revocation/registry/${encodeURIComponent(context.revRegId!)}${suffix}`
  return [
    {
      route: 'POST /anoncreds/credential-definition',
      body: (context) => ({
        credential_definition: { issuerId: context.webDid, schemaId: context.acSchemaId, tag: 'revocable' },
        options: { support_revocation: true, revocation_registry_size: 4 },
      }),
      keep: (body, context) => (context.revCredDefId = body.credential_definition_state.credential_definition_id),
    },
    { route: 'GET /anoncreds/revocation/registries', path: (context) => `/anoncreds/revocation/registries?cred_def_id=${encodeURIComponent(context.revCredDefId!)}` },
    {
      route: 'GET /anoncreds/revocation/active-registry/:cred_def_id',
      path: (context) => `/anoncreds/revocation/active-registry/${encodeURIComponent(context.revCredDefId!)}`,
      keep: (body, context) => (context.revRegId = body.result.revoc_reg_id),
    },
    { route: 'GET /anoncreds/revocation/registry/:rev_reg_id', path: revRegPath() },
    { route: 'GET /anoncreds/revocation/registry/:rev_reg_id/tails-file', path: revRegPath('/tails-file') },
    {
      route: 'POST /issue-credential-2.0/create-offer',
      body: (context) => ({
        filter: { anoncreds: { cred_def_id: context.revCredDefId } },
        credential_preview: { '@type': 'issue-credential/2.0/credential-preview', attributes: [{ name: 'name', value: 'Revocable' }] },
      }),
      keep: (body, context) => (context.revExchange = body.cred_ex_id),
    },
    {
      route: 'GET /anoncreds/revocation/credential-record',
      path: (context) => `/anoncreds/revocation/credential-record?cred_ex_id=${context.revExchange}`,
      keep: (body, context) => (context.credRevId = body.result.cred_rev_id),
    },
    { route: 'GET /anoncreds/revocation/registry/:rev_reg_id/issued', path: revRegPath('/issued') },
    { route: 'GET /anoncreds/revocation/registry/:rev_reg_id/issued/details', path: revRegPath('/issued/details') },
    { route: 'POST /anoncreds/revocation/revoke', body: (context) => ({ rev_reg_id: context.revRegId, cred_rev_id: context.credRevId, publish: false }) },
    { route: 'POST /anoncreds/revocation/clear-pending-revocations', body: () => ({}) },
    { route: 'POST /anoncreds/revocation/revoke', body: (context) => ({ cred_ex_id: context.revExchange, publish: false }) },
    { route: 'POST /anoncreds/revocation/publish-revocations', body: () => ({}) },
    // The same through ACA-Py's legacy family (revoking again changes nothing).
    { route: 'GET /revocation/registries/created', path: (context) => `/revocation/registries/created?cred_def_id=${encodeURIComponent(context.revCredDefId!)}&state=active` },
    { route: 'GET /revocation/active-registry/:cred_def_id', path: (context) => `/revocation/active-registry/${encodeURIComponent(context.revCredDefId!)}` },
    { route: 'GET /revocation/registry/:rev_reg_id', path: (context) => `/revocation/registry/${encodeURIComponent(context.revRegId!)}` },
    { route: 'GET /revocation/registry/:rev_reg_id/tails-file', path: (context) => `/revocation/registry/${encodeURIComponent(context.revRegId!)}/tails-file` },
    { route: 'GET /revocation/credential-record', path: (context) => `/revocation/credential-record?cred_ex_id=${context.revExchange}` },
    { route: 'GET /revocation/registry/:rev_reg_id/issued', path: (context) => `/revocation/registry/${encodeURIComponent(context.revRegId!)}/issued` },
    { route: 'GET /revocation/registry/:rev_reg_id/issued/details', path: (context) => `/revocation/registry/${encodeURIComponent(context.revRegId!)}/issued/details` },
    { route: 'POST /revocation/revoke', body: (context) => ({ cred_ex_id: context.revExchange, publish: false }) },
    { route: 'POST /revocation/clear-pending-revocations', body: () => ({}) },
    { route: 'POST /revocation/publish-revocations', body: () => ({}) },
    // By hand: a state set and set back, then rotations in both families.
    { route: 'PATCH /anoncreds/revocation/registry/:rev_reg_id/set-state', path: (context) => `${revRegPath('/set-state')(context)}?state=full` },
    { route: 'PATCH /revocation/registry/:rev_reg_id/set-state', path: (context) => `/revocation/registry/${encodeURIComponent(context.revRegId!)}/set-state?state=active` },
    { route: 'POST /anoncreds/revocation/active-registry/:cred_def_id/rotate', path: (context) => `/anoncreds/revocation/active-registry/${encodeURIComponent(context.revCredDefId!)}/rotate` },
    { route: 'POST /revocation/active-registry/:cred_def_id/rotate', path: (context) => `/revocation/active-registry/${encodeURIComponent(context.revCredDefId!)}/rotate` },
    // ACA-Py's by-hand steps: a legacy registry through create, definition, tails upload, entry; an anoncreds one made whole.
    {
      route: 'POST /revocation/create-registry',
      body: (context) => ({ credential_definition_id: context.revCredDefId, max_cred_num: 4 }),
      keep: (body, context) => ((context.handRevRegId = body.result.revoc_reg_id), (context.handTailsUri = body.result.tails_public_uri)),
    },
    { route: 'POST /revocation/registry/:rev_reg_id/definition', path: (context) => `/revocation/registry/${encodeURIComponent(context.handRevRegId!)}/definition` },
    { route: 'PUT /revocation/registry/:rev_reg_id/tails-file', path: (context) => `/revocation/registry/${encodeURIComponent(context.handRevRegId!)}/tails-file` },
    { route: 'PATCH /revocation/registry/:rev_reg_id', path: (context) => `/revocation/registry/${encodeURIComponent(context.handRevRegId!)}`, body: (context) => ({ tails_public_uri: context.handTailsUri }) },
    { route: 'POST /revocation/registry/:rev_reg_id/entry', path: (context) => `/revocation/registry/${encodeURIComponent(context.handRevRegId!)}/entry` },
    { route: 'GET /revocation/registry/:rev_reg_id/issued/indy_recs', path: (context) => `/revocation/registry/${encodeURIComponent(context.handRevRegId!)}/issued/indy_recs` },
    { route: 'GET /anoncreds/revocation/registry/:rev_reg_id/issued/indy_recs', path: revRegPath('/issued/indy_recs') },
    {
      route: 'PUT /revocation/registry/:rev_reg_id/fix-revocation-entry-state',
      path: (context) => `/revocation/registry/${encodeURIComponent(context.revRegId!)}/fix-revocation-entry-state?apply_ledger_update=false`,
    },
    { route: 'PUT /anoncreds/revocation/registry/:rev_reg_id/fix-revocation-entry-state', path: (context) => `${revRegPath('/fix-revocation-entry-state')(context)}?apply_ledger_update=true` },
    {
      route: 'POST /anoncreds/revocation-registry-definition',
      body: (context) => ({ revocation_registry_definition: { issuerId: context.webDid, credDefId: context.revCredDefId, tag: 'by-hand', maxCredNum: 4 }, options: {} }),
      keep: (body, context) => (context.anonHandRevRegId = body.revocation_registry_definition_state.revocation_registry_definition_id),
    },
    { route: 'POST /anoncreds/revocation-list', body: (context) => ({ rev_reg_def_id: context.anonHandRevRegId }) },
    { route: 'PUT /anoncreds/revocation/registry/:rev_reg_id/active', path: (context) => `/anoncreds/revocation/registry/${encodeURIComponent(context.anonHandRevRegId!)}/active` },
    { route: 'PUT /anoncreds/registry/:rev_reg_id/active', path: (context) => `/anoncreds/registry/${encodeURIComponent(context.handRevRegId!)}/active` },
    { route: 'PUT /anoncreds/revocation/registry/:rev_reg_id/tails-file', path: (context) => `/anoncreds/revocation/registry/${encodeURIComponent(context.anonHandRevRegId!)}/tails-file` },
    { route: 'PUT /anoncreds/registry/:rev_reg_id/tails-file', path: (context) => `/anoncreds/registry/${encodeURIComponent(context.anonHandRevRegId!)}/tails-file` },
    { route: 'DELETE /revocation/registry/delete-tails-file', path: (context) => `/revocation/registry/delete-tails-file?cred_def_id=${encodeURIComponent(context.revCredDefId!)}` },
    // Already revoked above: the controller face answers the row as it stands.
    { route: 'POST /api/v1/credentials/:credential_exchange_id/revoke', as: 'walletKey', path: (context) => `/api/v1/credentials/${context.revExchange}/revoke`, body: () => ({ notify: false }) },
  ]
}

const CALLS: Call[] = [
  { route: 'POST /wallet/did/create', body: () => ({ method: 'key' }), keep: (body, context) => (context.keyDid = body.result.did) },
  { route: 'POST /wallet/did/create', body: () => ({ method: 'web' }), keep: (body, context) => (context.webDid = body.result.did) },
  { route: 'GET /wallet/did/public' },
  { route: 'POST /wallet/did/public', path: (context) => `/wallet/did/public?did=${encodeURIComponent(context.webDid!)}` },
  { route: 'GET /wallet/did/public' },
  { route: 'GET /wallet/did', path: () => '/wallet/did?method=web' },
  {
    route: 'POST /anoncreds/schema',
    body: (context) => ({ schema: { issuerId: context.webDid, name: 'declared-acapy', version: '1.0', attrNames: ['name'] } }),
    keep: (body, context) => (context.acSchemaId = body.schema_state.schema_id),
  },
  { route: 'GET /anoncreds/schema/:id', path: (context) => `/anoncreds/schema/${encodeURIComponent(context.acSchemaId!)}` },
  { route: 'GET /anoncreds/schemas' },
  {
    route: 'POST /anoncreds/credential-definition',
    body: (context) => ({ credential_definition: { issuerId: context.webDid, schemaId: context.acSchemaId, tag: 'default' } }),
    keep: (body, context) => (context.acCredDefId = body.credential_definition_state.credential_definition_id),
  },
  { route: 'GET /anoncreds/credential-definition/:id', path: (context) => `/anoncreds/credential-definition/${encodeURIComponent(context.acCredDefId!)}` },
  { route: 'GET /anoncreds/credential-definitions' },
  ...revocationCalls(),
  {
    route: 'POST /schemas',
    body: () => ({ schema_name: 'declared-legacy', schema_version: '1.0', attributes: ['name'] }),
    keep: (body, context) => (context.legacySchemaId = body.schema_id),
  },
  { route: 'GET /schemas/created' },
  { route: 'GET /schemas/:id', path: (context) => `/schemas/${encodeURIComponent(context.legacySchemaId!)}` },
  {
    route: 'POST /credential-definitions',
    body: (context) => ({ schema_id: context.legacySchemaId }),
    keep: (body, context) => (context.legacyCredDefId = body.credential_definition_id),
  },
  { route: 'GET /credential-definitions/created' },
  { route: 'GET /credential-definitions/:id', path: (context) => `/credential-definitions/${encodeURIComponent(context.legacyCredDefId!)}` },
  { route: 'GET /settings' },
  { route: 'PUT /settings', body: () => ({ extra_settings: { ACAPY_AUTO_ACCEPT_INVITES: true } }) },
  { route: 'GET /resolver/resolve/:did', path: (context) => `/resolver/resolve/${encodeURIComponent(context.keyDid!)}` },
  { route: 'GET /discover-features-2.0/queries', path: () => '/discover-features-2.0/queries?query_protocol=https://didcomm.org/*' },
  { route: 'GET /discover-features-2.0/records' },
  { route: 'POST /jsonld/contexts', body: () => ({ url: 'https://example.com/declared/v1', context: { '@context': { name: 'https://schema.org/name' } } }) },
  { route: 'GET /jsonld/contexts' },
  { route: 'DELETE /jsonld/contexts', path: () => `/jsonld/contexts?url=${encodeURIComponent('https://example.com/declared/v1')}` },
  {
    route: 'POST /api/subwallet/create',
    as: 'base',
    body: () => ({ wallet_name: 'declared-sub', label: 'Sub' }),
    keep: (body, context) => (context.subwallet = body.wallet_id),
  },
  { route: 'GET /api/subwallets', as: 'base' },
  { route: 'GET /api/subwallets/:wallet_id', as: 'base', path: (context) => `/api/subwallets/${context.subwallet}` },
  { route: 'POST /api/apikey/create', as: 'base', body: (context) => ({ wallet_id: context.subwallet, name: 'ops', roles: ['admin'] }) },
  { route: 'GET /api/apikeys', as: 'base', path: (context) => `/api/apikeys?wallet_id=${context.subwallet}` },
  { route: 'POST /api/apikey/revoke', as: 'base', body: (context) => ({ wallet_id: context.subwallet, name: 'ops' }) },
  { route: 'GET /api/v1/connections', as: 'walletKey' },
  { route: 'GET /api/v1/connections/:connection_id', as: 'walletKey', path: (context) => `/api/v1/connections/${context.connection}` },
  {
    route: 'POST /api/v1/messages',
    as: 'walletKey',
    body: (context) => ({ connection_id: context.connection, message: 'hello' }),
    keep: (body, context) => (context.message = body.id),
  },
  { route: 'GET /api/v1/messages', as: 'walletKey' },
  { route: 'GET /api/v1/messages/:id', as: 'walletKey', path: (context) => `/api/v1/messages/${context.message}` },
  { route: 'GET /api/v1/session', as: 'walletKey' },
  { route: 'GET /api/v1/session', as: 'admin' },
  { route: 'POST /api/v1/create-did', as: 'walletKey', body: () => ({ method: 'web' }), keep: (body, context) => (context.controllerDid = body.did) },
  { route: 'GET /api/v1/dids', as: 'walletKey' },
  { route: 'POST /api/v1/set-public-did', as: 'walletKey', path: (context) => `/api/v1/set-public-did?DID=${encodeURIComponent(context.controllerDid!)}` },
  { route: 'POST /api/v1/context', as: 'walletKey', body: () => ({ context_file_id: 'declared.json', file: { '@context': { name: 'https://schema.org/name' } } }) },
  {
    route: 'POST /api/v1/schemas',
    as: 'walletKey',
    body: () => ({ name: 'declared', version: '1.0', attributes: ['name'] }),
    keep: (body, context) => (context.schemaId = body.schema_id),
  },
  { route: 'GET /api/v1/schemas', as: 'walletKey' },
  { route: 'POST /api/v1/credential-definitions', as: 'walletKey', body: (context) => ({ schema_id: context.schemaId }) },
  { route: 'GET /api/v1/credential-definitions', as: 'walletKey' },
  ...holderCalls(),
  ...issueCredentialCalls(),
  ...presentProofCalls(),
  ...connectionCalls(),
  ...outOfBandAndOperatorCalls(),
  ...didExchangeCalls(),
  ...controllerExchangeCalls(),
  ...(['POST /multitenancy/wallet/:wallet_id/remove', 'DELETE /multitenancy/wallet/:wallet_id'] as const).flatMap((removal, index): Call[] => [
    {
      route: 'POST /multitenancy/wallet',
      as: 'admin',
      body: () => ({ wallet_name: `declared-${index}`, label: 'MT' }),
      keep: (body, context) => (context.wallet = body.wallet_id),
    },
    { route: 'GET /multitenancy/wallets', as: 'admin' },
    { route: 'GET /multitenancy/wallet/:wallet_id', as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}` },
    { route: 'PUT /multitenancy/wallet/:wallet_id', as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}`, body: () => ({ label: 'MT 2' }) },
    { route: 'POST /multitenancy/wallet/:wallet_id/token', as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}/token`, body: () => ({}) },
    { route: removal, as: 'admin', path: (context) => `/multitenancy/wallet/${context.wallet}${removal.startsWith('POST') ? '/remove' : ''}`, body: () => ({}) },
  ]),
]

const declared = routeTable(routeListingDeps('test'))

describe('routes declared as data', () => {
  let server: ServerProcess
  let tenant: TestTenant
  let peer: TestTenant
  let tails: TailsServer
  const keys = { admin: '', base: '', walletKey: '' }
  const context: Context = {}
  const dataDir = tempDataDir()

  beforeAll(async () => {
    // did:web over plain http on loopback: the peer resolves the issuer's AnonCreds objects there.
    // A tails server, for the routes that upload to one.
    tails = await startTailsServer()
    server = await startServerProcess({ ...sqlite.env(dataDir), CREDENCE_DID_WEB_ALLOW_HTTP: 'true', CREDENCE_TAILS_SERVER_BASE_URL: tails.url })
    tenant = await createTenant(server, 'Declared')
    keys.admin = fs.readFileSync(path.join(dataDir, 'secrets', 'admin-api-key'), 'utf8').trim()
    keys.base = fs.readFileSync(path.join(dataDir, 'secrets', 'base-api-key'), 'utf8').trim()
    const minted = await callServer(server.adminUrl, 'POST', '/api/apikey/create', {
      headers: { 'x-api-key': keys.base },
      body: { wallet_id: tenant.walletId, name: 'declared', roles: ['admin'] },
    })
    keys.walletKey = minted.body.api_key
    // A connection for the routes that show one.
    peer = await createTenant(server, 'Peer')
    const connected = await connectTenants(tenant, peer)
    context.connection = connected.inviterConnection
    context.peerSide = connected.inviteeConnection
  }, 60_000)

  afterAll(async () => {
    await server?.stop()
    await tails?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('are each called below, or say why they cannot be', () => {
    expect(declared.length).toBeGreaterThan(0)
    const called = new Set([...CALLS.map((call) => call.route), ...Object.keys(NOT_CALLED)])
    expect(declared.map((entry) => `${entry.method} ${entry.path}`).filter((route) => !called.has(route))).toEqual([])
  })

  it('answer what their response schema declares', async () => {
    for (const call of CALLS) {
      const entry = declared.find((candidate) => `${candidate.method} ${candidate.path}` === call.route)
      const [method, routePath] = call.route.split(' ')
      const target = call.path ? call.path(context) : routePath
      const options = call.body === undefined ? {} : { body: call.body(context) }
      const headersOf = (as: Call['as']): Record<string, string> => {
        if (as === 'peer') return { authorization: `Bearer ${peer.token}` }
        if (as === 'hooked') return { authorization: `Bearer ${context.hooked!.token}` }
        if (as === undefined || as === 'tenant') return { authorization: `Bearer ${tenant.token}` }
        return { 'x-api-key': keys[as] }
      }
      const ask = async () => {
        if (!call.trigger) return callServer(server.adminUrl, method, target, { ...options, headers: { ...headersOf(call.as), ...call.headers } })
        // A stream answers for as long as it is open: its first event after the trigger is the answer.
        const stream = await openEventStream(server.adminUrl, headersOf(call.as), target)
        try {
          const [triggerMethod, triggerPath] = call.trigger.route.split(' ')
          const made = await callServer(server.adminUrl, triggerMethod, call.trigger.path?.(context) ?? triggerPath, {
            body: call.trigger.body?.(context),
            headers: headersOf(call.trigger.as),
          })
          expect(made.status, `${call.trigger.route} (the trigger): ${JSON.stringify(made.body)}`).toBe(200)
          const event = await waitFor(`an event on ${call.route}`, async () => stream.events[0])
          return { status: stream.status, body: event, type: stream.headers.get('content-type')?.split(';')[0] }
        } finally {
          await stream.stop()
        }
      }
      let { status, body, type } = await ask()
      for (let tries = 0; call.until && status === 200 && !call.until(body) && tries < 80; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        ;({ status, body, type } = await ask())
      }
      expect(status, `${call.route}: ${JSON.stringify(body)}`).toBe(200)
      if (call.until) expect(call.until(body), `${call.route} never answered as awaited: ${JSON.stringify(body)}`).toBe(true)
      expect(entry, `${call.route} is declared`).toBeDefined()
      const { response, produces = [], events } = entry!
      // JSON answers are checked against the response schema, an event stream's event against its events schema,
      // and other media types only for being declared.
      const schema = type === 'application/json' ? response : type === 'text/event-stream' ? events : undefined
      if (schema) {
        const parsed = schema.safeParse(body)
        expect(parsed.success, `${call.route} answered ${JSON.stringify(body)}: ${parsed.success ? '' : parsed.error.message}`).toBe(true)
      }
      if (type !== 'application/json') expect(produces, `${call.route} answered ${type}`).toContain(type)
      call.keep?.(body, context)
    }
  }, 120_000)
})
