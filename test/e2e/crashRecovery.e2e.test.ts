// kill -9 at random moments while connections are made and messages sent, on SQLite and on
// PostgreSQL, then a restart on the same data: every restart succeeds (a SQLite lock a kill left
// behind is cleared), a second server on a data directory in use is refused, no connection the
// peer saw completed is missing, every connection's latest state reaches the webhook receiver, and
// an event id always names one event. The longer run is `node scripts/crash-test.mjs` (README).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { BACKENDS, tempDataDir } from '../helpers/backends'
import { freePorts } from '../helpers/ports'
import { runServerProcessToExit, startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { startWebhookSink, type WebhookSink } from '../helpers/webhookSink'

const KILLS = Number(process.env.CREDENCE_TEST_KILLS ?? 3)
const FLOWS_PER_ROUND = 4

/** One invitation from `inviter`, taken by `invitee`; then two messages back. Errors are expected. */
async function connectAndMessage(inviter: TestTenant, invitee: TestTenant): Promise<void> {
  const invitation = await inviter.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
    body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
  })
  if (invitation.status !== 200) return
  const received = await invitee.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: invitation.body.invitation })
  const connectionId = received.body?.connection_id
  if (!connectionId) return
  // A kill of the inviter may leave it short of completed: then the messages fail, as they should.
  await waitFor('completed', async () => ((await invitee.api('GET', `/connections/${connectionId}`)).body?.rfc23_state === 'completed' ? true : undefined), 8000).catch(() => undefined)
  for (const content of ['one', 'two']) {
    await invitee.api('POST', `/connections/${connectionId}/send-message`, { body: { content } }).catch(() => undefined)
  }
}

describe.each(BACKENDS)('kill -9 and restart on $name', (backend) => {
  let env: Record<string, string>
  let target: ServerProcess | undefined
  let peer: ServerProcess
  let sink: WebhookSink
  let tenant: TestTenant

  beforeAll(async () => {
    sink = await startWebhookSink()
    const [adminPort, inboundPort] = await freePorts(2)
    env = { ...backend.env(tempDataDir()), CREDENCE_ADMIN_PORT: String(adminPort), CREDENCE_INBOUND_PORT: String(inboundPort), CREDENCE_WEBHOOK_RETRY_MS: '200' }
    target = await startServerProcess(env)
    peer = await startServerProcess(BACKENDS[0].env(tempDataDir()))
    tenant = await createTenant(target, 'Target', { webhookUrls: [`${sink.url}/target`] })
  })

  afterAll(async () => {
    await target?.stop()
    await peer?.stop()
    await sink?.stop()
    await backend.cleanup(env)
  })

  it('refuses a second server on a data directory in use, naming the process that has it', async () => {
    if (backend.env('x').CREDENCE_DATABASE_URL) return // the rule is SQLite's: PostgreSQL data is shared by design
    const [adminPort, inboundPort] = await freePorts(2)
    const second = await runServerProcessToExit({ ...env, CREDENCE_ADMIN_PORT: String(adminPort), CREDENCE_INBOUND_PORT: String(inboundPort) })
    expect(second.code).not.toBe(0)
    expect(second.output).toContain(`is in use by another Credence process (pid ${target!.pid})`)
    expect((await fetch(`${target!.adminUrl}/status/ready`)).status).toBe(200)
  })

  it(`survives ${KILLS} kills mid-traffic: restarts, records and events all there`, async () => {
    const invitees: TestTenant[] = []
    const outputs: string[] = []
    for (let round = 0; round < KILLS; round++) {
      const flows = await Promise.all(Array.from({ length: FLOWS_PER_ROUND }, (_, i) => createTenant(peer, `Peer ${round}.${i}`)))
      invitees.push(...flows)
      const running = Promise.all(flows.map((invitee) => connectAndMessage(tenant, invitee).catch(() => undefined)))
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1500))
      await target!.crash()
      outputs.push(target!.output())
      if (round === 0 && !env.CREDENCE_DATABASE_URL) {
        // What a kill inside a SQLite transaction leaves: the binding's lock folder.
        fs.mkdirSync(path.join(env.CREDENCE_DATA_DIR, 'credence.sqlite.lock'), { recursive: true })
      }
      target = await startServerProcess(env)
      await running
    }
    // One more round with no kill, so the last restart is seen working too.
    const last = await createTenant(peer, 'Peer last')
    invitees.push(last)
    await connectAndMessage(tenant, last)

    // Connections the peer saw completed are all on the target.
    const ours = (await tenant.api('GET', '/connections?limit=1000')).body.results as any[]
    for (const invitee of invitees) {
      const theirs = ((await invitee.api('GET', '/connections')).body.results as any[]).filter((c) => c.rfc23_state === 'completed')
      for (const connection of theirs) {
        expect(ours.map((c) => c.invitation_msg_id), `peer connection ${connection.connection_id}`).toContain(connection.invitation_msg_id)
      }
    }
    expect(ours.length).toBeGreaterThan(0)

    // Every connection's current state reached the receiver; an id always names the same event.
    const connectionEvents = () => sink.deliveries.filter((d) => d.path === '/target/topic/connections/')
    await waitFor('the latest state of every connection at the receiver', async () => {
      const current = (await tenant.api('GET', '/connections?limit=1000')).body.results as any[]
      const missing = current.filter(
        (c) => !connectionEvents().some((d) => d.body.connection_id === c.connection_id && d.body.rfc23_state === c.rfc23_state),
      )
      return missing.length === 0 ? true : undefined
    }, 60_000)
    const bodies = new Map<string, string>()
    let redelivered = 0
    for (const delivery of sink.deliveries) {
      const id = delivery.headers['x-credence-event-id'] as string
      expect(id).toBeTruthy()
      if (bodies.has(id)) {
        redelivered++
        expect(delivery.rawBody, `event ${id}`).toBe(bodies.get(id))
      }
      bodies.set(id, delivery.rawBody)
    }

    // The figures, for the README (scripts/crash-test.sh runs this with many kills).
    outputs.push(target!.output())
    const recovered = outputs.join('').match(/"replayed":(\d+)/g)?.map((m) => Number(m.split(':')[1])) ?? []
    const figures = {
      backend: backend.name,
      kills: KILLS,
      restarts: KILLS,
      connectionsOnTarget: ours.length,
      peerConnections: invitees.length,
      eventsDelivered: sink.deliveries.length,
      distinctEventIds: bodies.size,
      redeliveredSameId: redelivered,
      recoveredAfterKill: recovered.reduce((a, b) => a + b, 0),
      uncleanStopsSeenAtBoot: (outputs.join('').match(/leftover locks were cleared/g) ?? []).length,
    }
    console.log(`crash figures ${JSON.stringify(figures)}`)
    if (process.env.CREDENCE_CRASH_REPORT) fs.appendFileSync(process.env.CREDENCE_CRASH_REPORT, `${JSON.stringify(figures)}\n`)
  }, 60_000 + KILLS * 20_000)
})

describe('stalled handshakes and exchanges time out to abandoned', () => {
  let quick: ServerProcess
  let patient: ServerProcess
  let sink: WebhookSink

  beforeAll(async () => {
    sink = await startWebhookSink()
    // `quick` gives up after 3 s; `patient` keeps the defaults (handshakes an hour, exchanges never).
    quick = await startServerProcess({ ...BACKENDS[0].env(tempDataDir()), CREDENCE_HANDSHAKE_TIMEOUT_SECONDS: '3', CREDENCE_EXCHANGE_TIMEOUT_SECONDS: '3' })
    patient = await startServerProcess(BACKENDS[0].env(tempDataDir()))
  })

  afterAll(async () => {
    await quick?.stop()
    await patient?.stop()
    await sink?.stop()
  })

  it('abandons a DID exchange request left unanswered, with the reason and its webhook', async () => {
    const inviter = await createTenant(quick, 'Inviter', { webhookUrls: [`${sink.url}/inviter`] })
    const invitee = await createTenant(patient, 'Invitee')
    // Accepted by hand on the inviter's side, and nobody does.
    const invitation = await inviter.api('POST', '/out-of-band/create-invitation?auto_accept=false', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
    })
    const received = await invitee.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: invitation.body.invitation })
    const waiting = await waitFor('the request at the inviter', async () => {
      const { body } = await inviter.api('GET', `/connections?invitation_msg_id=${invitation.body.invi_msg_id}`)
      return body.results?.[0]?.rfc23_state === 'request-received' ? body.results[0] : undefined
    })
    const abandoned = await inviter.connectionReaches(waiting.connection_id, 'abandoned')
    expect(abandoned.error_msg).toMatch(/handshake timed out: no progress in state request-received/)
    await sink.waitFor('the abandoned webhook', (all) =>
      all.some((d) => d.path === '/inviter/topic/connections/' && d.body.connection_id === waiting.connection_id && d.body.rfc23_state === 'abandoned'),
    )
    // The invitee's server keeps the default of an hour: its side still waits.
    expect((await invitee.api('GET', `/connections/${received.body.connection_id}`)).body.rfc23_state).toBe('request-sent')
  })

  it('abandons a proof request nobody answers once the exchange timeout passes', async () => {
    const verifier = await createTenant(quick, 'Verifier', { webhookUrls: [`${sink.url}/verifier`] })
    const holder = await createTenant(patient, 'Holder')
    const { inviterConnection } = await connectTenants(verifier, holder)
    const asked = await verifier.api('POST', '/present-proof-2.0/send-request', {
      body: {
        connection_id: inviterConnection,
        presentation_request: { anoncreds: { name: 'who', version: '1.0', requested_attributes: { who: { name: 'name' } } } },
        auto_remove: false,
      },
    })
    expect(asked.status, JSON.stringify(asked.body)).toBe(200)
    const record = await waitFor('the request abandoned', async () => {
      const { body } = await verifier.api('GET', `/present-proof-2.0/records/${asked.body.pres_ex_id}`)
      return body.state === 'abandoned' ? body : undefined
    }, 20_000)
    expect(record.error_msg).toMatch(/exchange timed out: no progress in state request-sent/)
    await sink.waitFor('the abandoned webhook', (all) =>
      all.some((d) => d.path === '/verifier/topic/present_proof_v2_0/' && d.body.pres_ex_id === asked.body.pres_ex_id && d.body.state === 'abandoned'),
    )
    // The holder's server does not time exchanges out by default: the request waits for a person.
    const atHolder = await holder.api('GET', `/present-proof-2.0/records?thread_id=${asked.body.thread_id}`)
    expect(atHolder.body.results[0].state).toBe('request-received')
  })
})
