// Webhooks: every state change reaches the wallet's targets, in order, in both formats (ACA-Py's
// bare record under /topic/{topic}/, and the acapy-cloud envelope), signed with the target's
// secret. Delivery is durable: with the receiver down and Credence restarted mid-way, nothing is
// lost once the receiver is back. The live SSE stream carries the same events.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { openEventStream } from '../helpers/eventStream'
import { waitFor } from '../helpers/waitFor'
import { startWebhookSink, type Delivery, type WebhookSink } from '../helpers/webhookSink'

const INVITER_STATES = ['request-received', 'response-sent', 'completed']

describe('webhooks', () => {
  let sink: WebhookSink
  let server: ServerProcess
  let issuer: TestTenant
  let holder: TestTenant
  let secrets: Record<string, string>

  beforeAll(async () => {
    sink = await startWebhookSink()
    server = await startServerProcess({
      ...sqlite.env(tempDataDir()),
      CREDENCE_WEBHOOK_RETRY_MS: '200',
      CREDENCE_LABEL: 'credence-test',
      CREDENCE_WEBHOOK_URL: `${sink.url}/base`,
    })
    issuer = await createTenant(server, 'Issuer', {
      webhookUrls: [`${sink.url}/acapy#issuer-api-key`, `${sink.url}/cloud#format=envelope`],
    })
    // No targets of its own: ACA-Py dispatches such a wallet's events to the base targets.
    holder = await createTenant(server, 'Holder')
    const targets = await issuer.api('GET', '/webhooks/targets')
    expect(targets.body.results).toEqual([
      { scope: 'wallet', url: `${sink.url}/acapy`, format: 'acapy', signing_secret: expect.any(String) },
      { scope: 'wallet', url: `${sink.url}/cloud`, format: 'envelope', signing_secret: expect.any(String) },
    ])
    secrets = Object.fromEntries(targets.body.results.map((t: any) => [new URL(t.url).pathname, t.signing_secret]))
  })

  afterAll(async () => {
    await server?.stop()
    await sink?.stop()
  })

  async function connect(): Promise<{ invitationMsgId: string }> {
    const created = await issuer.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
    })
    const received = await holder.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: created.body.invitation })
    await holder.connectionReaches(received.body.connection_id, 'completed')
    return { invitationMsgId: created.body.invi_msg_id }
  }

  const acapyConnectionEvents = (invitationMsgId: string) =>
    sink.deliveries.filter((d) => d.path === '/acapy/topic/connections/' && d.body.invitation_msg_id === invitationMsgId)
  const cloudConnectionEvents = (invitationMsgId: string) =>
    sink.deliveries.filter((d) => d.path === '/cloud' && d.body.topic === 'connections' && d.body.payload.invitation_msg_id === invitationMsgId)
  /** States in the order they first arrived (delivery is at least once). */
  const firstSeen = (states: string[]) => states.filter((state, i) => states.indexOf(state) === i)

  function verifySignature(delivery: Delivery) {
    const timestamp = delivery.headers['x-credence-timestamp'] as string
    const secret = secrets[delivery.path.startsWith('/acapy') ? '/acapy' : '/cloud']
    const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.rawBody}`).digest('hex')}`
    expect(delivery.headers['x-credence-signature']).toBe(expected)
  }

  it('delivers connection and out-of-band state changes in order, in both formats, signed', async () => {
    const stream = await openEventStream(server.adminUrl, { authorization: `Bearer ${issuer.token}` })
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
    const live = stream.events

    const { invitationMsgId } = await connect()
    await sink.waitFor('all three inviter states in both formats', () =>
      acapyConnectionEvents(invitationMsgId).length >= 3 && cloudConnectionEvents(invitationMsgId).length >= 3,
    )
    const acapyEvents = acapyConnectionEvents(invitationMsgId)
    expect(acapyEvents.map((d) => d.body.rfc23_state)).toEqual(INVITER_STATES)
    expect(acapyEvents.map((d) => d.body.state)).toEqual(['request', 'response', 'active'])
    for (const delivery of acapyEvents) {
      expect(delivery.headers['x-wallet-id']).toBe(issuer.walletId)
      expect(delivery.headers['x-api-key']).toBe('issuer-api-key')
      verifySignature(delivery)
    }
    const cloudEvents = cloudConnectionEvents(invitationMsgId)
    expect(cloudEvents.map((d) => d.body.payload.state)).toEqual(INVITER_STATES)
    expect(cloudEvents[0].body).toMatchObject({ wallet_id: issuer.walletId, topic: 'connections', origin: 'credence-test' })
    expect(cloudEvents[0].headers['x-api-key']).toBeUndefined()
    cloudEvents.forEach(verifySignature)

    const oob = await sink.waitFor('the out-of-band record to be done', (all) =>
      all.some((d) => d.path === '/acapy/topic/out_of_band/' && d.body.invi_msg_id === invitationMsgId && d.body.state === 'done'),
    )
    expect(oob.filter((d) => d.path === '/acapy/topic/out_of_band/' && d.body.invi_msg_id === invitationMsgId).map((d) => d.body.state)).toEqual([
      'await-response',
      'done',
    ])
    expect(sink.deliveries.some((d) => d.path === '/cloud' && d.body.topic === 'oob' && d.body.payload.invi_msg_id === invitationMsgId)).toBe(true)

    await waitFor('the live stream to carry the same connection events', async () =>
      live.filter((e) => e.topic === 'connections' && e.payload.invitation_msg_id === invitationMsgId).length >= 3 ? true : undefined,
    )
    expect(live.filter((e) => e.topic === 'connections' && e.payload.invitation_msg_id === invitationMsgId).map((e) => e.payload.rfc23_state)).toEqual(INVITER_STATES)
    expect(live.every((e) => e.wallet_id === issuer.walletId)).toBe(true)

    // The holder's events went to the base target, marked with its wallet; the issuer's did not.
    const base = await sink.waitFor("the holder's completed connection on the base target", (all) =>
      all.some((d) => d.path === '/base/topic/connections/' && d.body.invitation_msg_id === invitationMsgId && d.body.rfc23_state === 'completed'),
    )
    const holderEvents = base.filter((d) => d.path.startsWith('/base/'))
    expect(holderEvents.every((d) => d.headers['x-wallet-id'] === holder.walletId)).toBe(true)
    const baseTargets = await fetch(`${server.adminUrl}/webhooks/base-targets`, { headers: { 'x-api-key': adminKeyOf(server.env as Record<string, string>) } })
    expect(await baseTargets.json()).toEqual({
      results: [{ scope: 'base', url: `${sink.url}/base`, format: 'acapy', signing_secret: expect.any(String) }],
    })
    await stream.stop()
  })

  it('ends a live stream when the wallet gets a new token (the old one no longer works)', async () => {
    const stream = await fetch(`${server.adminUrl}/events/stream`, { headers: { authorization: `Bearer ${holder.token}` } })
    expect(stream.status).toBe(200)
    const reader = stream.body!.getReader()
    await reader.read() // the ": connected" comment
    const reissued = await fetch(`${server.adminUrl}/multitenancy/wallet/${holder.walletId}/token`, {
      method: 'POST',
      headers: { 'x-api-key': adminKeyOf(server.env as Record<string, string>), 'content-type': 'application/json' },
      body: '{}',
    })
    expect(reissued.status).toBe(200)
    holder.token = ((await reissued.json()) as any).token
    const ended = await Promise.race([
      (async () => {
        try {
          for (;;) if ((await reader.read()).done) return true
        } catch {
          return true // cut off counts as ended too
        }
      })(),
      new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
    ])
    expect(ended).toBe(true)
  })

  it('loses nothing when the receiver is down and Credence restarts mid-way', async () => {
    await sink.stop()
    const { invitationMsgId } = await connect()
    // Credence has tried and failed at least once; now it restarts with the events still pending.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await server.stop()).toBe(0)
    server = await startServerProcess(server.env as Record<string, string>)
    await sink.start()
    await sink.waitFor('the events queued while the receiver was down', () =>
      firstSeen(acapyConnectionEvents(invitationMsgId).map((d) => d.body.rfc23_state)).length === 3 &&
      firstSeen(cloudConnectionEvents(invitationMsgId).map((d) => d.body.payload.state)).length === 3,
    )
    expect(firstSeen(acapyConnectionEvents(invitationMsgId).map((d) => d.body.rfc23_state))).toEqual(INVITER_STATES)
    expect(firstSeen(cloudConnectionEvents(invitationMsgId).map((d) => d.body.payload.state))).toEqual(INVITER_STATES)
    acapyConnectionEvents(invitationMsgId).forEach(verifySignature)
  })
})
