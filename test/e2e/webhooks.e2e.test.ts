// Webhooks: every state change reaches the wallet's targets, in order, in both formats (ACA-Py's
// bare record under /topic/{topic}/, and the acapy-cloud envelope), signed with the target's
// secret. Delivery is durable: with the receiver down and Credence restarted mid-way, nothing is
// lost once the receiver is back. The live SSE stream carries the same events. Operators read a
// wallet's delivery log (pending, failed, delivered) and redeliver from it with the admin key.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { openEventStream } from '../helpers/eventStream'
import { call } from '../helpers/http'
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

    await sink.waitFor('the out-of-band record to be done', (all) =>
      all.some((d) => d.path === '/acapy/topic/out_of_band/' && d.body.invi_msg_id === invitationMsgId && d.body.state === 'done'),
    )
    // As ACA-Py: done when the request arrives, and a single-use invitation deleted right after.
    await sink.waitFor('the out-of-band record to be deleted', (all) =>
      all.some((d) => d.path === '/acapy/topic/out_of_band/' && d.body.invi_msg_id === invitationMsgId && d.body.state === 'deleted'),
    )
    expect(sink.deliveries.filter((d) => d.path === '/acapy/topic/out_of_band/' && d.body.invi_msg_id === invitationMsgId).map((d) => d.body.state)).toEqual([
      'await-response',
      'done',
      'deleted',
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

// The delivery log and redelivery (admin key), against a target that refuses until told otherwise.
// Few, quick retries here, so a refused webhook is given up within a second.
describe('webhook delivery log', () => {
  const STEADY_KEY = 'steady-target-api-key'
  const FLAKY_KEY = 'flaky-target-api-key'
  let sink: WebhookSink
  let server: ServerProcess
  let tenant: TestTenant
  let admin: Record<string, string>

  beforeAll(async () => {
    sink = await startWebhookSink()
    sink.status = (path) => (path.startsWith('/flaky') ? 500 : 200)
    server = await startServerProcess({
      ...sqlite.env(tempDataDir()),
      CREDENCE_WEBHOOK_RETRY_MS: '100',
      CREDENCE_WEBHOOK_MAX_ATTEMPTS: '3',
    })
    admin = { 'x-api-key': adminKeyOf(server.env as Record<string, string>) }
    tenant = await createTenant(server, 'Logged', {
      webhookUrls: [`${sink.url}/steady#${STEADY_KEY}`, `${sink.url}/flaky#format=envelope&api_key=${FLAKY_KEY}`],
    })
  })

  afterAll(async () => {
    await server?.stop()
    await sink?.stop()
  })

  const deliveries = (query: string, headers = admin) => call(server.adminUrl, 'GET', `/webhooks/deliveries?${query}`, { headers })
  const redeliver = (id: number | string, headers = admin) => call(server.adminUrl, 'POST', `/webhooks/deliveries/${id}/redeliver`, { headers })
  /** The log's items of one invitation's out-of-band event, once `ready` holds for them. */
  const itemsOf = (inviMsgId: string, ready: (items: any[]) => boolean, query = '') =>
    waitFor<any[]>(`the delivery log of invitation ${inviMsgId}`, async () => {
      const { status, body } = await deliveries(`wallet_id=${tenant.walletId}&topic=out_of_band${query}`)
      expect(status).toBe(200)
      const items = body.results.filter((item: any) => item.payload.invi_msg_id === inviMsgId)
      return ready(items) ? items : undefined
    })
  const steadyCopies = (inviMsgId: string) =>
    sink.deliveries.filter((d) => d.path === '/steady/topic/out_of_band/' && d.body.invi_msg_id === inviMsgId)
  const byTarget = (items: any[], path: string) => items.find((item) => item.target_url === `${sink.url}${path}`)

  let inviMsgId: string

  it('shows a delivered webhook with its payload, and one whose target kept refusing as failed with the error', async () => {
    const created = await tenant.api('POST', '/out-of-band/create-invitation', { body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
    inviMsgId = created.body.invi_msg_id
    const items = await itemsOf(inviMsgId, (found) => found.some((i) => i.state === 'delivered') && found.some((i) => i.state === 'failed'))
    expect(steadyCopies(inviMsgId)).toHaveLength(1)
    expect(sink.refused.filter((d) => d.path === '/flaky' && d.body.payload.invi_msg_id === inviMsgId)).toHaveLength(3)
    expect(byTarget(items, '/steady')).toEqual({
      delivery_id: expect.any(Number),
      wallet_id: tenant.walletId,
      scope: 'wallet',
      target_url: `${sink.url}/steady`,
      format: 'acapy',
      topic: 'out_of_band',
      state: 'delivered',
      attempts: 1,
      last_error: null,
      created_at: expect.any(String),
      delivered_at: expect.any(String),
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      next_attempt_at: null,
      payload: expect.objectContaining({ invi_msg_id: inviMsgId, state: 'await-response' }),
    })
    expect(byTarget(items, '/flaky')).toMatchObject({
      format: 'envelope',
      state: 'failed',
      attempts: 3,
      last_error: `${sink.url}/flaky answered 500`,
      delivered_at: null,
      next_attempt_at: null,
    })
    const failedOnly = await deliveries(`wallet_id=${tenant.walletId}&state=failed`)
    expect(failedOnly.body.results.map((item: any) => item.state)).toEqual(['failed'])
    // The targets' API keys are in their configured strings, never in the log.
    const everything = await deliveries(`wallet_id=${tenant.walletId}&limit=500`)
    expect(JSON.stringify(everything.body)).not.toContain(STEADY_KEY)
    expect(JSON.stringify(everything.body)).not.toContain(FLAKY_KEY)
  })

  it('redelivers a failed webhook once its target answers again', async () => {
    const failed = byTarget(await itemsOf(inviMsgId, (found) => found.length === 2), '/flaky')
    sink.status = () => 200
    const redelivered = await redeliver(failed.delivery_id)
    expect(redelivered.status).toBe(200)
    expect(redelivered.body).toMatchObject({ delivery_id: failed.delivery_id, state: 'pending', attempts: 0, payload: failed.payload })
    const arrived = await sink.waitFor('the failed webhook to arrive', (all) => all.some((d) => d.path === '/flaky' && d.body.payload.invi_msg_id === inviMsgId))
    // The envelope format carries the event's id in its body as well as the header, as every attempt did.
    const envelope = arrived.find((d) => d.path === '/flaky' && d.body.payload.invi_msg_id === inviMsgId)!
    expect(envelope.body.event_id).toBe(failed.event_id)
    expect(envelope.headers['x-credence-event-id']).toBe(failed.event_id)
    expect(sink.refused.filter((d) => d.path === '/flaky' && d.body.payload.invi_msg_id === inviMsgId).every((d) => d.body.event_id === failed.event_id)).toBe(true)
    const items = await itemsOf(inviMsgId, (found) => found.every((item) => item.state === 'delivered'))
    expect(byTarget(items, '/flaky')).toMatchObject({ delivery_id: failed.delivery_id, state: 'delivered', attempts: 1 })
  })

  it('redelivers a delivered webhook as a new delivery, which the target receives a second time', async () => {
    const delivered = byTarget(await itemsOf(inviMsgId, (found) => found.length === 2), '/steady')
    const again = await redeliver(delivered.delivery_id)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ state: 'pending', attempts: 0, delivered_at: null, target_url: `${sink.url}/steady`, payload: delivered.payload })
    expect(again.body.delivery_id).toBeGreaterThan(delivered.delivery_id)
    await sink.waitFor('the second copy', () => steadyCopies(inviMsgId).length === 2)
    expect(steadyCopies(inviMsgId).map((d) => d.headers['x-credence-delivery'])).toEqual([String(delivered.delivery_id), String(again.body.delivery_id)])
    // A new delivery of the same event: the receiver can tell it is not a new event.
    expect(again.body.event_id).toBe(delivered.event_id)
    expect(steadyCopies(inviMsgId).map((d) => d.headers['x-credence-event-id'])).toEqual([delivered.event_id, delivered.event_id])
    const items = await itemsOf(inviMsgId, (found) => found.length === 3 && found.every((item) => item.state === 'delivered'))
    expect(items.map((item) => item.delivery_id)).toEqual([again.body.delivery_id, expect.any(Number), expect.any(Number)])
  })

  it('answers 404 for an unknown delivery, 409 when its target is gone, and names the bad query field', async () => {
    const unknown = await redeliver(987654321)
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toContain('987654321')
    for (const [query, field] of [
      [`wallet_id=${tenant.walletId}&state=nope`, 'state'],
      [`wallet_id=${tenant.walletId}&limit=0`, 'limit'],
      [`wallet_id=${tenant.walletId}&limit=501`, 'limit'],
      ['state=failed', 'wallet_id'],
      ['wallet_id=not-a-wallet', 'wallet_id'],
    ]) {
      const refused = await deliveries(query)
      expect(refused.status, query).toBe(422)
      expect(refused.body.field, query).toBe(field)
    }
    expect((await redeliver('abc')).body.field).toBe('delivery_id')

    const [flaky] = (await itemsOf(inviMsgId, (found) => found.length === 3)).filter((item) => item.target_url === `${sink.url}/flaky`)
    const updated = await call(server.adminUrl, 'PUT', `/multitenancy/wallet/${tenant.walletId}`, {
      headers: admin,
      body: { wallet_webhook_urls: [`${sink.url}/steady#${STEADY_KEY}`] },
    })
    expect(updated.status).toBe(200)
    const gone = await redeliver(flaky.delivery_id)
    expect(gone.status).toBe(409)
    expect(gone.body).toMatchObject({ field: 'delivery_id', error: expect.stringContaining('no longer') })
    expect(JSON.stringify(gone.body)).not.toContain(FLAKY_KEY)
  })

  it('is for the admin key only', async () => {
    const tenantToken = { authorization: `Bearer ${tenant.token}` }
    expect((await deliveries(`wallet_id=${tenant.walletId}`, tenantToken)).status).toBe(401)
    expect((await deliveries(`wallet_id=${tenant.walletId}`, {})).status).toBe(401)
    expect((await deliveries(`wallet_id=${tenant.walletId}`, { 'x-api-key': 'not-the-admin-key' })).status).toBe(401)
    expect((await redeliver(1, tenantToken)).status).toBe(401)
    expect((await redeliver(1, {})).status).toBe(401)
  })

  it('keeps no delivered webhooks with CREDENCE_WEBHOOK_LOG_HOURS=0, and prunes what was kept', async () => {
    expect(await server.stop()).toBe(0)
    server = await startServerProcess({ ...(server.env as Record<string, string>), CREDENCE_WEBHOOK_LOG_HOURS: '0' })
    await waitFor('the kept log to be pruned', async () =>
      (await deliveries(`wallet_id=${tenant.walletId}&state=delivered`)).body.results.length === 0 ? true : undefined,
    )
    const created = await tenant.api('POST', '/out-of-band/create-invitation', { body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] } })
    const fresh = created.body.invi_msg_id
    await sink.waitFor('the new webhook', () => steadyCopies(fresh).length === 1)
    await itemsOf(fresh, (found) => found.length === 0)
    expect((await deliveries(`wallet_id=${tenant.walletId}`)).body.results).toEqual([])
  })
})
