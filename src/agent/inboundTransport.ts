// The public DIDComm endpoint: one HTTP server on the inbound port that takes encrypted envelopes
// by POST and upgrades WebSocket connections for Credo's WS transport.
//
// Why not Credo's HttpInboundTransport: it binds every interface, answers 500 to any bad body
// (garbage, truncated JSON, messages for no known tenant), requires an exact Content-Type string
// and gives us no say over shutdown. Why not its WsInboundTransport: its sockets have no 'error'
// listener (one malformed frame killed the process), it keeps every socket it ever saw, and its
// send callback throws where nothing catches. Here bad input is a JSON 4xx (HTTP) or a closed
// socket (WebSocket) and one bounded, throttled log line; the server stays up. The public port is
// unauthenticated, so it is also bounded: message size, connections per peer address, idle
// WebSockets and slow requests (config: CREDENCE_INBOUND_*).
import {
  type Agent,
  type AgentContext,
  type EncryptedMessage,
  type InboundTransport,
  type TransportSession,
  CredoError,
  DidCommMimeType,
  type RoutingCreatedEvent,
  MessageReceiver,
  RoutingEventTypes,
  TransportService,
  utils,
} from '@credo-ts/core'
import express, { type NextFunction, type Request, type Response } from 'express'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'

import { logThrottle, type AppLogger } from '../logger'
import { SETTINGS } from '../config'
import { closeServer } from '../http/closeServer'
import { listen } from '../http/listen'

const ACCEPTED_TYPES = [DidCommMimeType.V0, DidCommMimeType.V1, 'application/json']
const JWE_FIELDS = ['protected', 'iv', 'ciphertext', 'tag'] as const
/** More recipients than any real envelope has; each one costs a routing lookup. */
const MAX_RECIPIENTS = 20
/**
 * A recipient key id is a base58 key (44 characters for Ed25519). Credo decodes it in time that
 * grows with the square of its length: a 40,000-character kid held the event loop for 30 s.
 */
const MAX_KID_CHARS = 128
/** Messages of one WebSocket processed at once; past it the socket is not read until one ends. */
const WS_MESSAGES_IN_FLIGHT = 16
/** The longest reason a log line or a refusal carries. */
const MAX_REASON_CHARS = 300

export interface InboundLimits {
  maxMessageBytes: number
  maxConnectionsPerAddress: number
  idleTimeoutMs: number
  requestTimeoutMs: number
}

/**
 * Credo's tenants module saves the routing record of a new key from an event listener it does not
 * await, so on a fast link (loopback) a peer's reply can arrive before the key is routable. A
 * message to a key made in the last few seconds is retried briefly before it is refused; one to
 * any other unknown key is refused at once (a forged envelope must not hold a request for long).
 */
const ROUTING_RETRY_DELAYS_MS = [50, 150, 400, 1000]
const RECENT_KEY_MS = 10_000
const isRoutingMiss = (error: unknown) =>
  error instanceof Error && typeof error.message === 'string' && error.message.includes("Couldn't determine tenant id")

/** Recipient keys (base58) made in the last RECENT_KEY_MS. */
class RecentKeys {
  private readonly madeAt = new Map<string, number>()

  public add(key: string) {
    const now = Date.now()
    // Oldest first (insertion order): drop the expired ones from the front.
    for (const [old, at] of this.madeAt) {
      if (now - at < RECENT_KEY_MS) break
      this.madeAt.delete(old)
    }
    this.madeAt.set(key, now)
  }

  public includesAny(keys: string[]): boolean {
    return keys.some((key) => {
      const at = this.madeAt.get(key)
      return at !== undefined && Date.now() - at < RECENT_KEY_MS
    })
  }
}

async function receiveWithRoutingRetry(receive: () => Promise<void>, retry: boolean): Promise<void> {
  for (const delay of retry ? ROUTING_RETRY_DELAYS_MS : []) {
    try {
      return await receive()
    } catch (error) {
      if (!isRoutingMiss(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
  return receive()
}

class HttpTransportSession implements TransportSession {
  public readonly type = 'http'
  public constructor(
    public readonly id: string,
    private readonly req: Request,
    private readonly res: Response,
  ) {}

  public async close(): Promise<void> {
    if (!this.res.headersSent) this.res.status(200).end()
  }

  public async send(agentContext: AgentContext, encryptedMessage: EncryptedMessage): Promise<void> {
    if (this.res.headersSent) throw new CredoError('http transport session has been closed.')
    // Answer in the mime type the peer used, which keeps older agents happy.
    const requestType = this.req.headers['content-type']?.split(';')[0].trim()
    const type =
      requestType && requestType !== 'application/json' && ACCEPTED_TYPES.includes(requestType)
        ? requestType
        : agentContext.config.didCommMimeType
    this.res.status(200).contentType(type).send(JSON.stringify(encryptedMessage))
  }
}

class WsTransportSession implements TransportSession {
  public readonly type = 'WebSocket'
  public constructor(
    public readonly id: string,
    private readonly socket: WebSocket,
    private readonly logger: AppLogger,
  ) {}

  public async send(_agentContext: AgentContext, encryptedMessage: EncryptedMessage): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) throw new CredoError('WebSocket transport session has been closed.')
    // A failed send is the peer's socket going away: logged, never thrown from the callback.
    this.socket.send(JSON.stringify(encryptedMessage), (error) => {
      if (error) this.logger.debug({ reason: error.message }, 'WebSocket send failed')
    })
  }

  /** Credo closes a session it will not answer on, as its own WebSocket transport does. */
  public async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close()
  }
}

function refuse(res: Response, status: number, error: string) {
  res.status(status).json({ error })
}

interface Envelope {
  body: unknown
  /** The recipient key ids of its protected header. */
  kids: string[]
}

/** Checks shape only (decryption and tenant routing are Credo's): the envelope, or why it is not one. */
function parseEnvelope(text: string): Envelope | { problem: string } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { problem: 'body is not valid JSON' }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'body must be a JSON object' }
  for (const field of JWE_FIELDS) {
    if (typeof (body as Record<string, unknown>)[field] !== 'string') {
      return { problem: `body is not an encrypted DIDComm envelope: field "${field}" is missing or not a string` }
    }
  }
  let header: unknown
  try {
    header = JSON.parse(Buffer.from((body as { protected: string }).protected, 'base64url').toString('utf8'))
  } catch {
    return { problem: 'body is not an encrypted DIDComm envelope: "protected" is not base64url JSON' }
  }
  const recipients = (header as { recipients?: unknown })?.recipients
  if (!Array.isArray(recipients) || recipients.length === 0) {
    return { problem: 'body is not an encrypted DIDComm envelope: "protected" names no recipients' }
  }
  if (recipients.length > MAX_RECIPIENTS) return { problem: `envelope has more than ${MAX_RECIPIENTS} recipients` }
  const kids = recipients.map((recipient) => (recipient as { header?: { kid?: unknown } })?.header?.kid).filter((kid): kid is string => typeof kid === 'string')
  if (kids.some((kid) => kid.length > MAX_KID_CHARS)) return { problem: `envelope names a recipient key id longer than ${MAX_KID_CHARS} characters` }
  return { body, kids }
}

/** What the sender is told: Credo's reason for a refused message, nothing for our own faults. */
const refusalReason = (error: unknown) =>
  (error instanceof CredoError ? `message refused: ${error.message}` : 'message could not be processed').slice(0, MAX_REASON_CHARS)

export class DidCommInboundTransport implements InboundTransport {
  private readonly server: http.Server
  private readonly wsServer: WebSocketServer
  /** Open TCP connections per peer address, for CREDENCE_INBOUND_MAX_CONNECTIONS_PER_ADDRESS. */
  private readonly connectionsByAddress = new Map<string, number>()
  /** WebSockets that sent a message or a pong since the last heartbeat. */
  private readonly awake = new WeakSet<WebSocket>()
  private heartbeat?: NodeJS.Timeout
  /** One line per kind of refusal and peer, at most a few a minute: a flood writes no flood of log. */
  private readonly refusalThrottle = logThrottle()
  private readonly logger: AppLogger
  private readonly recentKeys = new RecentKeys()
  /** Public non-DIDComm routes (hosted DID documents, short links), attached once services exist. */
  private publicRoutes?: express.Router

  public constructor(
    private readonly options: {
      host: string
      port: number
      logger: AppLogger
      shutdownTimeoutMs: number
      limits: InboundLimits
      /** Credo's processDidCommMessagesConcurrently: else one WebSocket's messages run one at a time. */
      processConcurrently: boolean
    },
  ) {
    this.logger = options.logger.child({ component: 'inbound' })
    this.server = http.createServer({ requestTimeout: options.limits.requestTimeoutMs, headersTimeout: Math.min(options.limits.requestTimeoutMs, 60_000) })
    this.wsServer = new WebSocketServer({ noServer: true, maxPayload: options.limits.maxMessageBytes })
  }

  /** The bound address, useful when the configured port was 0. */
  public get address(): AddressInfo {
    return this.server.address() as AddressInfo
  }

  public async start(agent: Agent): Promise<void> {
    agent.events.on<RoutingCreatedEvent>(RoutingEventTypes.RoutingCreatedEvent, (event) =>
      this.recentKeys.add(event.payload.routing.recipientKey.publicKeyBase58),
    )
    const app = this.buildApp(agent)
    this.server.on('connection', (socket) => this.admitConnection(socket))
    this.server.on('request', app)
    this.server.on('upgrade', (req, socket, head) => {
      // A socket that fails during the handshake must not take the process with it.
      socket.on('error', () => socket.destroy())
      this.wsServer.handleUpgrade(req, socket, head, (ws) => this.serveWebSocket(agent, ws, req))
    })
    this.heartbeat = setInterval(() => this.beat(), Math.max(this.options.limits.idleTimeoutMs / 2, 500))
    this.heartbeat.unref()
    await listen(this.server, {
      port: this.options.port,
      host: this.options.host,
      portSetting: SETTINGS.inboundPort.env,
      hostSetting: SETTINGS.inboundHost.env,
    })
    this.logger.info({ address: this.address }, 'DIDComm inbound endpoint listening')
  }

  public async stop(): Promise<void> {
    clearInterval(this.heartbeat)
    for (const client of this.wsServer.clients) client.close(1001, 'server shutting down')
    await closeServer(this.server, this.options.shutdownTimeoutMs)
  }

  /** Serves `router` on this port next to the DIDComm endpoint. */
  public servePublic(router: express.Router): void {
    this.publicRoutes = router
  }

  /** One bounded line for a refused message or connection: never its content. */
  private logRefusal(peer: string | undefined, reason: string, fields: Record<string, unknown> = {}) {
    const verdict = this.refusalThrottle(`${peer} ${reason.slice(0, 60)}`)
    if (!verdict.write) return
    this.logger.warn(
      { peer, reason: reason.slice(0, MAX_REASON_CHARS), ...fields, ...(verdict.skipped ? { repeatsSkipped: verdict.skipped } : {}) },
      'inbound DIDComm message refused',
    )
  }

  /** Counts a TCP connection against its address; past the limit it is closed before a byte is read. */
  private admitConnection(socket: Socket) {
    const address = socket.remoteAddress ?? 'unknown'
    const open = (this.connectionsByAddress.get(address) ?? 0) + 1
    if (open > this.options.limits.maxConnectionsPerAddress) {
      this.logRefusal(address, 'too many connections from this address', { limit: this.options.limits.maxConnectionsPerAddress })
      socket.destroy()
      return
    }
    this.connectionsByAddress.set(address, open)
    socket.once('close', () => {
      const left = (this.connectionsByAddress.get(address) ?? 1) - 1
      if (left <= 0) this.connectionsByAddress.delete(address)
      else this.connectionsByAddress.set(address, left)
    })
  }

  /** Closes WebSockets that neither sent nor answered since the last beat, and pings the rest. */
  private beat() {
    for (const ws of this.wsServer.clients) {
      if (!this.awake.has(ws)) {
        ws.terminate()
        continue
      }
      this.awake.delete(ws)
      ws.ping()
    }
  }

  private receive(messageReceiver: MessageReceiver, envelope: Envelope, session: TransportSession) {
    return receiveWithRoutingRetry(
      () => messageReceiver.receiveMessage(envelope.body as EncryptedMessage, { session }),
      this.recentKeys.includesAny(envelope.kids),
    )
  }

  private serveWebSocket(agent: Agent, ws: WebSocket, req: http.IncomingMessage) {
    const messageReceiver = agent.dependencyManager.resolve(MessageReceiver)
    const transportService = agent.dependencyManager.resolve(TransportService)
    const peer = req.socket.remoteAddress
    const session = new WsTransportSession(utils.uuid(), ws, this.logger)
    let inFlight = 0
    let serial: Promise<void> = Promise.resolve()
    this.awake.add(ws)
    // ws reports protocol violations (unmasked or oversized frames, reserved opcodes, bad UTF-8)
    // here and then closes the socket itself: only this connection ends.
    ws.on('error', (error: Error & { code?: string }) => {
      this.logRefusal(peer, `bad WebSocket frame: ${error.code ?? error.message}`)
      ws.terminate()
    })
    ws.on('pong', () => this.awake.add(ws))
    ws.on('close', () => transportService.removeSession(session))
    ws.on('message', (data: WebSocket.RawData) => {
      this.awake.add(ws)
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
      const parsed = parseEnvelope(bytes.toString('utf8'))
      if ('problem' in parsed) return this.logRefusal(peer, parsed.problem, { bytes: bytes.length, transport: 'ws' })
      const receive = async () => {
        try {
          await this.receive(messageReceiver, parsed, session)
        } catch (error) {
          this.logRefusal(peer, refusalReason(error), { bytes: bytes.length, transport: 'ws' })
        }
      }
      if (++inFlight >= WS_MESSAGES_IN_FLIGHT) ws.pause()
      const done = () => {
        if (--inFlight < WS_MESSAGES_IN_FLIGHT && ws.isPaused) ws.resume()
      }
      if (this.options.processConcurrently) void receive().finally(done)
      else serial = serial.then(receive).finally(done)
    })
  }

  private buildApp(agent: Agent) {
    const messageReceiver = agent.dependencyManager.resolve(MessageReceiver)
    const transportService = agent.dependencyManager.resolve(TransportService)
    const { maxMessageBytes } = this.options.limits
    const app = express()
    app.disable('x-powered-by')

    app.post(
      '/',
      (req, res, next) => {
        const type = req.headers['content-type']?.split(';')[0].trim().toLowerCase()
        if (!type || !ACCEPTED_TYPES.includes(type)) {
          return refuse(res, 415, `Content-Type must be one of ${ACCEPTED_TYPES.join(', ')}`)
        }
        next()
      },
      express.text({ type: () => true, limit: maxMessageBytes }),
      async (req, res) => {
        const text = typeof req.body === 'string' ? req.body : ''
        const parsed = parseEnvelope(text)
        if ('problem' in parsed) {
          this.logRefusal(req.socket.remoteAddress, parsed.problem, { bytes: text.length, transport: 'http' })
          return refuse(res, 400, parsed.problem)
        }
        const session = new HttpTransportSession(utils.uuid(), req, res)
        req.once('close', () => transportService.removeSession(session))
        try {
          await this.receive(messageReceiver, parsed, session)
          if (!res.headersSent) res.status(200).end()
        } catch (error) {
          // Whatever fails here failed on this message (not addressed to us, undecryptable,
          // unknown protocol, invalid content): the sender gets a 400, we keep serving.
          const reason = refusalReason(error)
          this.logRefusal(req.socket.remoteAddress, reason, { bytes: text.length, transport: 'http' })
          if (!res.headersSent) refuse(res, 400, reason)
        } finally {
          transportService.removeSession(session)
        }
      },
    )

    app.use((req, res, next) => (this.publicRoutes ? this.publicRoutes(req, res, next) : next()))
    app.use((req, res) => refuse(res, 404, `No DIDComm endpoint at ${req.method} ${req.path.slice(0, 200)}`))
    app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
      if (error.type === 'entity.too.large') {
        this.logRefusal(req.socket.remoteAddress, 'body too large', { limit: maxMessageBytes, transport: 'http' })
        return refuse(res, 413, `body exceeds ${maxMessageBytes} bytes`)
      }
      if (error.status && error.status < 500) return refuse(res, error.status, error.message.slice(0, MAX_REASON_CHARS))
      this.logger.error({ err: error }, 'inbound endpoint failed')
      refuse(res, 500, 'internal error')
    })
    return app
  }
}
