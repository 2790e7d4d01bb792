// The bench scenarios, written once against the ACA-Py admin API so they run unchanged on
// Credence and on ACA-Py. A scenario sets up what its flows share (tenants, DIDs, a credential
// definition), then runs flows; each flow times its steps.
import { randomUUID } from 'node:crypto'

import { recordIn, waitFor } from './admin.mjs'
import { percentile } from './runner.mjs'

async function timed(steps, name, run) {
  const begin = performance.now()
  const value = await run()
  steps[name] = performance.now() - begin
  return value
}

/** Connects `inviter` to `invitee` (out-of-band + DID exchange 1.1); both sides' connection ids. */
export async function connect(inviter, invitee) {
  const invitation = await inviter.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
    handshake_protocols: ['https://didcomm.org/didexchange/1.1'],
  })
  const received = await invitee.api('POST', '/out-of-band/receive-invitation?auto_accept=true', invitation.invitation)
  const [inviterSide] = await Promise.all([
    waitFor('the inviter connection', async () => {
      const { results } = await inviter.api('GET', `/connections?invitation_msg_id=${invitation.invi_msg_id}`)
      return results?.[0]?.rfc23_state === 'completed' ? results[0].connection_id : undefined
    }),
    waitFor('the invitee connection', async () => {
      const connection = await invitee.api('GET', `/connections/${received.connection_id}`)
      return connection.rfc23_state === 'completed' ? true : undefined
    }),
  ])
  return { inviterSide, inviteeSide: received.connection_id }
}

/** The tenant every reader of the `reads` scenario is connected to, one per target. */
const hubs = new WeakMap()
const hubOf = (admin) => {
  if (!hubs.has(admin)) hubs.set(admin, admin.tenant('hub'))
  return hubs.get(admin)
}

const didKey = async (tenant) => (await tenant.api('POST', '/wallet/did/create', { method: 'key', options: { key_type: 'ed25519' } })).result.did

/** Issues `offer` (a filter plus preview) on `connection` and takes it to the holder's store. */
async function issue(issuer, holder, connection, offer) {
  const sent = await issuer.api('POST', '/issue-credential-2.0/send', { connection_id: connection, ...offer })
  const offered = await recordIn(holder, '/issue-credential-2.0/records', 'offer-received', sent.thread_id)
  await holder.api('POST', `/issue-credential-2.0/records/${offered.cred_ex_record.cred_ex_id}/send-request`, {})
  const arrived = await recordIn(holder, '/issue-credential-2.0/records', 'credential-received', sent.thread_id)
  await holder.api('POST', `/issue-credential-2.0/records/${arrived.cred_ex_record.cred_ex_id}/store`, {})
}

/** Asks for `presentation_request`, presents with `presentation`, verifies; fails unless verified. */
async function prove(verifier, holder, connection, presentationRequest, presentation) {
  const asked = await verifier.api('POST', '/present-proof-2.0/send-request', { connection_id: connection, presentation_request: presentationRequest })
  const received = await recordIn(holder, '/present-proof-2.0/records', 'request-received', asked.thread_id)
  await holder.api('POST', `/present-proof-2.0/records/${received.pres_ex_id}/send-presentation`, await presentation(received))
  const presented = await recordIn(verifier, '/present-proof-2.0/records', 'presentation-received', asked.thread_id)
  const verified = await verifier.api('POST', `/present-proof-2.0/records/${presented.pres_ex_id}/verify-presentation`, {})
  if (verified.verified !== 'true') throw new Error(`presentation not verified: ${JSON.stringify(verified).slice(0, 300)}`)
}

export const SCENARIOS = {
  connect: {
    what: 'out-of-band invitation → DID exchange 1.1 → both completed',
    async setup(admin) {
      return { inviter: await admin.tenant('inviter'), invitee: await admin.tenant('invitee') }
    },
    async flow({ inviter, invitee }, steps) {
      await timed(steps, 'connect', () => connect(inviter, invitee))
    },
  },

  message: {
    what: 'basic message A → B, until B’s webhook arrives',
    async setup(admin, hooks) {
      const [sender, receiver] = [await admin.tenant('sender', hooks.url), await admin.tenant('receiver', hooks.url)]
      const { inviterSide } = await connect(sender, receiver)
      return { sender, connection: inviterSide }
    },
    async flow({ sender, connection }, steps, hooks) {
      const content = `bench ${randomUUID()}`
      await timed(steps, 'round_trip', async () => {
        const delivered = hooks.message(content)
        await sender.api('POST', `/connections/${connection}/send-message`, { content })
        await delivered
      })
    },
  },

  jsonld: {
    what: 'connect + JSON-LD issuance (Ed25519Signature2018, did:key) + DIF proof, verified',
    async setup(admin) {
      const [issuer, holder] = [await admin.tenant('issuer'), await admin.tenant('holder')]
      return { issuer, holder, issuerDid: await didKey(issuer), holderDid: await didKey(holder) }
    },
    async flow({ issuer, holder, issuerDid, holderDid }, steps) {
      const { inviterSide } = await timed(steps, 'connect', () => connect(issuer, holder))
      const givenName = `Alice ${randomUUID()}`
      const credential = {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/citizenship/v1'],
        type: ['VerifiableCredential', 'PermanentResident'],
        issuer: issuerDid,
        issuanceDate: '2024-01-01T00:00:00Z',
        credentialSubject: { id: holderDid, type: ['PermanentResident'], givenName, familyName: 'Bench' },
      }
      await timed(steps, 'issue', () =>
        issue(issuer, holder, inviterSide, { filter: { ld_proof: { credential, options: { proofType: 'Ed25519Signature2018', proofPurpose: 'assertionMethod' } } } }),
      )
      const definition = {
        id: randomUUID(),
        format: { ldp_vp: { proof_type: ['Ed25519Signature2018'] } },
        input_descriptors: [
          {
            id: 'resident',
            schema: [{ uri: 'https://w3id.org/citizenship#PermanentResident' }],
            constraints: { fields: [{ path: ['$.credentialSubject.givenName'], filter: { type: 'string', const: givenName } }] },
          },
        ],
      }
      await timed(steps, 'prove', () =>
        prove(issuer, holder, inviterSide, { dif: { presentation_definition: definition, options: { challenge: randomUUID() } } }, async () => ({ dif: {} })),
      )
    },
  },

  anoncreds: {
    what: 'connect + AnonCreds issuance + proof with a predicate, the issuer an ENDORSER on a local indy-node pool',
    ledger: true,
    async setup(admin) {
      if (!admin.ledger) throw new Error('the anoncreds scenario needs the target on the Indy pool')
      const [issuer, holder] = [await admin.tenant('issuer', undefined, { anoncreds: true }), await admin.tenant('holder', undefined, { anoncreds: true })]
      // Onboarded as ACA-Py users do it: a sov DID in the wallet, its NYM written by the trustee
      // (ENDORSER), then made public (which writes its endpoint), then schema and definition.
      const { did, verkey } = (await issuer.api('POST', '/wallet/did/create', { method: 'sov' })).result
      await admin.ledger.trustee.writeNym({ dest: did, verkey, role: 'ENDORSER' })
      await waitFor('the DID made public', async () => {
        try {
          return await issuer.api('POST', `/wallet/did/public?did=${did}`)
        } catch (error) {
          // A read right after the write may reach a node that has not applied it yet.
          if (/not posted|not.*ledger|404/i.test(String(error.message))) return undefined
          throw error
        }
      }, 20_000)
      // The pool's ledger outlives runs: a version no run used before.
      const version = `${Math.floor(Date.now() / 1000)}.${Math.floor(Math.random() * 1e6)}`
      const schema = await issuer.api('POST', '/anoncreds/schema', { schema: { issuerId: did, name: 'bench', version, attrNames: ['name', 'level'] }, options: {} })
      const schemaId = schema.schema_state.schema_id
      const definition = await waitFor('the credential definition', async () => {
        try {
          return await issuer.api('POST', '/anoncreds/credential-definition', {
            credential_definition: { issuerId: did, schemaId, tag: 'bench' },
            options: { support_revocation: false },
          })
        } catch (error) {
          // ACA-Py may answer the schema before a node serves it.
          if (/schema/i.test(String(error.message)) && /not found|404|could not/i.test(String(error.message))) return undefined
          throw error
        }
      }, 30_000)
      const credDefId = definition.credential_definition_state.credential_definition_id
      // Readable before the first offer (an ACA-Py write may return before the object is).
      await waitFor('the credential definition read back', async () => {
        try {
          return await holder.api('GET', `/anoncreds/credential-definition/${encodeURIComponent(credDefId)}`)
        } catch {
          return undefined
        }
      }, 30_000)
      return { issuer, holder, credDefId }
    },
    async flow({ issuer, holder, credDefId }, steps) {
      const { inviterSide } = await timed(steps, 'connect', () => connect(issuer, holder))
      const name = `Alice ${randomUUID()}`
      await timed(steps, 'issue', () =>
        issue(issuer, holder, inviterSide, {
          filter: { anoncreds: { cred_def_id: credDefId } },
          credential_preview: { attributes: [{ name: 'name', value: name }, { name: 'level', value: '3' }] },
        }),
      )
      const restrictions = [{ cred_def_id: credDefId, 'attr::name::value': name }]
      await timed(steps, 'prove', () =>
        prove(
          issuer,
          holder,
          inviterSide,
          {
            anoncreds: {
              name: 'bench',
              version: '1.0',
              requested_attributes: { who: { name: 'name', restrictions } },
              requested_predicates: { level: { name: 'level', p_type: '>=', p_value: 2, restrictions } },
            },
          },
          async (received) => {
            const [candidate] = await holder.api('GET', `/present-proof-2.0/records/${received.pres_ex_id}/credentials`)
            const credId = candidate.cred_info.referent
            return { anoncreds: { requested_attributes: { who: { cred_id: credId, revealed: true } }, requested_predicates: { level: { cred_id: credId } }, self_attested_attributes: {} } }
          },
        ),
      )
    },
  },

  reads: {
    what: 'GET /connections with tenant tokens: 50 clients at once, each its own tenant with one connection',
    concurrency: 50,
    async setup(admin) {
      const reader = await admin.tenant('reader')
      await connect(await hubOf(admin), reader)
      return { reader }
    },
    async flow({ reader }, steps) {
      const { results } = await timed(steps, 'list', () => reader.api('GET', '/connections'))
      if (results?.length !== 1) throw new Error(`expected the reader's one connection, got ${results?.length}`)
    },
  },

  tenants: {
    what: 'create tenants; then, in random order, a tenant-scoped call on each (first use) and again (repeat use)',
    async setup() {
      return { created: [], createMs: [] }
    },
    async flow(shared, steps, _hooks, admin) {
      shared.created.push(await timed(steps, 'create', () => admin.tenant('t')))
      shared.createMs.push(steps.create)
    },
    /**
     * After every tenant exists: the first call after all the others were made, then a second.
     * Returns create latency per 1,000 tenants already in the store, to show where it grows.
     */
    async finish(shared, record) {
      const order = [...shared.created].sort(() => Math.random() - 0.5)
      for (const tenant of order) {
        const steps = {}
        await timed(steps, 'first_use', () => tenant.api('GET', '/connections'))
        await timed(steps, 'repeat_use', () => tenant.api('GET', '/connections'))
        record(steps)
      }
      const byThousand = []
      for (let from = 0; from < shared.createMs.length; from += 1000) {
        const sorted = shared.createMs.slice(from, from + 1000).sort((a, b) => a - b)
        byThousand.push({ tenants_before: from, p50_ms: percentile(sorted, 50), p95_ms: percentile(sorted, 95) })
      }
      return { create_by_thousand: byThousand }
    },
  },
}
