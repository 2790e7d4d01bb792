// The public DIDComm port under a hostile peer: malformed WebSocket frames of every kind (thousands,
// each once crashed the process), floods of connections, silent sockets and oversized forged
// envelopes. The server keeps serving, its memory returns to its level, no record is created and
// each refused message costs a bounded few hundred bytes of log at most. DIDComm over WebSocket
// still works between two servers afterwards.
import fs from 'node:fs'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

import { sqlite, tempDataDir } from '../helpers/backends'
import { openEventStream, type LiveEvents } from '../helpers/eventStream'
import { freePorts } from '../helpers/ports'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { connectTenants, createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { MALFORMED_FRAMES, sendRawAfterUpgrade } from '../helpers/wsFrames'

const CONNECTIONS_PER_ADDRESS = 40
const IDLE_SECONDS = 2
const MAX_MESSAGE_BYTES = 1024 * 1024
/** Rounds over every kind of malformed frame: 14 kinds × this many connections. */
const FRAME_ROUNDS = Number(process.env.CREDENCE_TEST_FRAME_ROUNDS ?? 150)

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024
const live = async (server: ServerProcess) => (await fetch(`${server.adminUrl}/status/live`)).status

/** An envelope for a key no tenant here owns, padded to about `bytes`. */
function forgedEnvelope(bytes: number): string {
  const header = { enc: 'xchacha20poly1305_ietf', typ: 'JWM/1.0', alg: 'Anoncrypt', recipients: [{ encrypted_key: 'AA', header: { kid: '8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K' } }] }
  return JSON.stringify({ protected: Buffer.from(JSON.stringify(header)).toString('base64url'), iv: 'AA', ciphertext: 'A'.repeat(bytes), tag: 'AA' })
}

async function openWebSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  return socket
}

/** Runs `tasks` with at most `width` at once. */
async function inParallel(width: number, tasks: (() => Promise<unknown>)[]) {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) await tasks[next++]()
  }))
}

describe('a hostile peer on the public DIDComm port', () => {
  let target: ServerProcess
  let peer: ServerProcess
  let tenant: TestTenant
  let wsUrl: string

  const recordCounts = async () => ({
    oob: (await tenant.api('GET', '/out-of-band/records')).body.results.length,
    connections: (await tenant.api('GET', '/connections')).body.results.length,
  })

  beforeAll(async () => {
    // The target advertises only its WebSocket endpoint, so the peer's messages all arrive over it.
    const [adminPort, inboundPort] = await freePorts(2)
    wsUrl = `ws://127.0.0.1:${inboundPort}`
    target = await startServerProcess({
      ...sqlite.env(tempDataDir()),
      CREDENCE_ADMIN_PORT: String(adminPort),
      CREDENCE_INBOUND_PORT: String(inboundPort),
      CREDENCE_ENDPOINT: wsUrl,
      CREDENCE_INBOUND_MAX_CONNECTIONS_PER_ADDRESS: String(CONNECTIONS_PER_ADDRESS),
      CREDENCE_INBOUND_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
      CREDENCE_INBOUND_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
      CREDENCE_GC_INTERVAL_SECONDS: '2',
    })
    peer = await startServerProcess(sqlite.env(tempDataDir()))
    tenant = await createTenant(target, 'Target')
  })

  afterAll(async () => {
    await target?.stop()
    await peer?.stop()
  })

  it('survives thousands of malformed WebSocket frames of every kind, creating nothing and keeping its memory', async () => {
    const before = await recordCounts()
    // Warm up the paths the fuzzing takes, then take the memory level.
    await inParallel(4, Object.values(MALFORMED_FRAMES).map((make) => () => sendRawAfterUpgrade(wsUrl, make())))
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const rssBefore = rssOf(target.pid)

    const kinds = Object.entries(MALFORMED_FRAMES)
    const closedBy = new Map<string, number>()
    const tasks = Array.from({ length: FRAME_ROUNDS }, () =>
      kinds.map(([kind, make]) => async () => {
        if (await sendRawAfterUpgrade(wsUrl, make(), 5000)) closedBy.set(kind, (closedBy.get(kind) ?? 0) + 1)
      }),
    ).flat()
    await inParallel(16, tasks)
    expect(await live(target)).toBe(200)
    // Every kind is a protocol violation the server answers by closing that one connection
    // (random bytes may by chance be a valid frame, so most rather than all of those).
    for (const [kind] of kinds) {
      expect(closedBy.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(kind === 'random bytes' ? FRAME_ROUNDS * 0.5 : FRAME_ROUNDS)
    }

    // Well-framed messages that are not DIDComm, over one socket: dropped, socket kept.
    const socket = await openWebSocket(wsUrl)
    for (let i = 0; i < 500; i++) {
      socket.send(i % 3 === 0 ? 'not json' : i % 3 === 1 ? JSON.stringify({ protected: 'e30', iv: 'AA', ciphertext: 'AA', tag: 'AA' }) : Buffer.from([0xff, i % 256]))
    }
    socket.send(forgedEnvelope(100))
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(socket.readyState).toBe(WebSocket.OPEN)
    socket.close()

    expect(await recordCounts()).toEqual(before)
    const rssAfter = await waitFor('RSS back near its level', async () => {
      const rss = rssOf(target.pid)
      return rss < rssBefore + 64 * 1024 * 1024 ? rss : undefined
    }, 30_000)
    expect(rssAfter).toBeLessThan(rssBefore + 64 * 1024 * 1024)
  })

  it('closes a message over the size limit, connections past the per-address limit and silent sockets', async () => {
    // Over the size limit: close code 1009, the server goes on.
    const big = await openWebSocket(wsUrl)
    const code = await new Promise<number>((resolve) => {
      big.once('close', resolve)
      big.send(forgedEnvelope(MAX_MESSAGE_BYTES + 10))
    })
    expect(code).toBe(1009)

    // Past the per-address limit, connections are closed at once; those within it stay.
    const sockets = await Promise.all(
      Array.from({ length: CONNECTIONS_PER_ADDRESS + 10 }, () => {
        const socket = net.connect(Number(new URL(wsUrl).port), '127.0.0.1')
        socket.on('error', () => undefined)
        return new Promise<{ socket: net.Socket; closed: boolean }>((resolve) => {
          socket.once('close', () => resolve({ socket, closed: true }))
          setTimeout(() => resolve({ socket, closed: socket.destroyed }), 1500)
        })
      }),
    )
    const refused = sockets.filter(({ closed }) => closed).length
    expect(refused).toBeGreaterThanOrEqual(10)
    expect(refused).toBeLessThan(CONNECTIONS_PER_ADDRESS + 10)
    for (const { socket } of sockets) socket.destroy()

    // Once they are gone, connections are taken again.
    await waitFor('a connection to be taken again', async () => ((await fetch(`http://127.0.0.1:${new URL(wsUrl).port}/nothing`)).status === 404 ? true : undefined))

    // A WebSocket that never answers a ping is closed after about the idle timeout.
    const started = Date.now()
    expect(await sendRawAfterUpgrade(wsUrl, undefined, IDLE_SECONDS * 3000 + 2000)).toBe(true)
    expect(Date.now() - started).toBeLessThan(IDLE_SECONDS * 3000 + 1000)
    expect(await live(target)).toBe(200)
  })

  it('writes a bounded line per refused message, whatever its size, and throttles repeats', async () => {
    const logBytes = () => Buffer.byteLength(target.output())
    const post = (body: string) =>
      fetch(`${new URL(wsUrl).origin.replace('ws:', 'http:')}/`, { method: 'POST', headers: { 'content-type': 'application/didcomm-envelope-enc' }, body })

    // A 40,000-character key id once held the event loop for 30 s (its base58 decoding is
    // quadratic): refused at once, the admin port answering meanwhile.
    const longKid = { ...JSON.parse(forgedEnvelope(10)) }
    longKid.protected = Buffer.from(JSON.stringify({ alg: 'Anoncrypt', recipients: [{ encrypted_key: 'AA', header: { kid: '1'.repeat(40_000) } }] })).toString('base64url')
    const startedKid = Date.now()
    const [refusedKid, liveMeanwhile] = await Promise.all([post(JSON.stringify(longKid)), live(target)])
    expect(refusedKid.status).toBe(400)
    expect(((await refusedKid.json()) as { error: string }).error).toContain('recipient key id longer than')
    expect(liveMeanwhile).toBe(200)
    expect(Date.now() - startedKid).toBeLessThan(2000)

    // A message for no known key, 900 kB: refused with a 400, a few hundred bytes of log.
    let mark = logBytes()
    const refused = await post(forgedEnvelope(900 * 1024))
    expect(refused.status).toBe(400)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const perMessage = logBytes() - mark
    expect(perMessage).toBeGreaterThan(0)
    expect(perMessage).toBeLessThan(2048)
    expect(target.output().slice(mark)).not.toContain('AAAAAAAAAA')

    // Sixty more of them, over HTTP and WebSocket: refused at once (no routing retry for a key
    // we never made) and throttled to a few lines in all.
    mark = logBytes()
    const socket = await openWebSocket(wsUrl)
    const started = Date.now()
    for (let i = 0; i < 30; i++) {
      expect((await post(forgedEnvelope(200 * 1024))).status).toBe(400)
      socket.send(forgedEnvelope(200 * 1024))
    }
    expect(Date.now() - started).toBeLessThan(10_000)
    await new Promise((resolve) => setTimeout(resolve, 2500))
    socket.close()
    expect(logBytes() - mark).toBeLessThan(20 * 1024)
  })

  it('still carries DIDComm over WebSocket: two servers connect and exchange basic messages both ways', async () => {
    const holder = await createTenant(peer, 'Holder')
    const { inviterConnection, inviteeConnection } = await connectTenants(tenant, holder)
    const targetEvents = await openEventStream(target.adminUrl, { authorization: `Bearer ${tenant.token}` })
    const peerEvents = await openEventStream(peer.adminUrl, { authorization: `Bearer ${holder.token}` })
    try {
      expect((await holder.api('POST', `/connections/${inviteeConnection}/send-message`, { body: { content: 'over the socket' } })).status).toBe(200)
      expect((await tenant.api('POST', `/connections/${inviterConnection}/send-message`, { body: { content: 'and back' } })).status).toBe(200)
      const received = (events: LiveEvents, content: string) => () =>
        Promise.resolve(events.events.some((e) => e.topic === 'basicmessages' && e.payload.content === content) || undefined)
      await waitFor('the message over the WebSocket', received(targetEvents, 'over the socket'))
      await waitFor('the answer', received(peerEvents, 'and back'))
    } finally {
      await targetEvents.stop()
      await peerEvents.stop()
    }
    // Basic messages are private to the log: content never appears above debug.
    expect(target.output()).not.toContain('over the socket')
    expect(peer.output()).not.toContain('and back')
  })
})
