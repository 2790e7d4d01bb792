// The public DIDComm endpoint: one HTTP server on the inbound port that takes encrypted envelopes
// by POST and upgrades WebSocket connections for Credo's WS transport.
//
// Why not Credo's HttpInboundTransport: it binds every interface, answers 500 to any bad body
// (garbage, truncated JSON, messages for no known tenant), requires an exact Content-Type string
// and gives us no say over shutdown. Here bad input is a JSON 4xx and the server stays up.
import {
  type Agent,
  type AgentContext,
  type EncryptedMessage,
  type InboundTransport,
  type TransportSession,
  CredoError,
  DidCommMimeType,
  MessageReceiver,
  TransportService,
  utils,
} from '@credo-ts/core'
import { WsInboundTransport } from '@credo-ts/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

import type { AppLogger } from '../logger'
import { closeServer } from '../http/closeServer'

const ACCEPTED_TYPES = [DidCommMimeType.V0, DidCommMimeType.V1, 'application/json']
const JWE_FIELDS = ['protected', 'iv', 'ciphertext', 'tag'] as const
const MAX_BODY = '5mb'
const MAX_BODY_BYTES = 5 * 1024 * 1024
/** More recipients than any real envelope has; each one costs a routing lookup. */
const MAX_RECIPIENTS = 20

/**
 * Credo's tenants module saves the routing record of a new key from an event listener it does not
 * await, so on a fast link (loopback) a peer's reply can arrive before the key is routable. Such
 * a message is retried briefly before it is refused.
 */
const ROUTING_RETRY_DELAYS_MS = [50, 150, 400, 1000]
const isRoutingMiss = (error: unknown) =>
  error instanceof Error && typeof error.message === 'string' && error.message.includes("Couldn't determine tenant id")

async function receiveWithRoutingRetry(receive: () => Promise<void>): Promise<void> {
  for (const delay of ROUTING_RETRY_DELAYS_MS) {
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

function refuse(res: Response, status: number, error: string) {
  res.status(status).json({ error })
}

/** Checks shape only: decryption and tenant routing are Credo's. Returns the reason it is not a JWE. */
function whyNotEnvelope(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object'
  for (const field of JWE_FIELDS) {
    if (typeof (body as Record<string, unknown>)[field] !== 'string') {
      return `body is not an encrypted DIDComm envelope: field "${field}" is missing or not a string`
    }
  }
  let header: unknown
  try {
    header = JSON.parse(Buffer.from((body as { protected: string }).protected, 'base64url').toString('utf8'))
  } catch {
    return 'body is not an encrypted DIDComm envelope: "protected" is not base64url JSON'
  }
  const recipients = (header as { recipients?: unknown })?.recipients
  if (!Array.isArray(recipients) || recipients.length === 0) {
    return 'body is not an encrypted DIDComm envelope: "protected" names no recipients'
  }
  if (recipients.length > MAX_RECIPIENTS) return `envelope has more than ${MAX_RECIPIENTS} recipients`
  return undefined
}

/** What the sender is told: Credo's reason for a refused message, nothing for our own faults. */
const refusalReason = (error: unknown) =>
  error instanceof CredoError ? `message refused: ${error.message}` : 'message could not be processed'

export class DidCommInboundTransport implements InboundTransport {
  private readonly server: http.Server
  private readonly wsServer = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES })
  public readonly wsTransport = new WsInboundTransport({ server: this.wsServer })
  /** Public non-DIDComm routes (hosted DID documents, short links), attached once services exist. */
  private publicRoutes?: express.Router

  public constructor(
    private readonly options: { host: string; port: number; logger: AppLogger; shutdownTimeoutMs: number },
  ) {
    this.server = http.createServer()
  }

  /** The bound address, useful when the configured port was 0. */
  public get address(): AddressInfo {
    return this.server.address() as AddressInfo
  }

  public async start(agent: Agent): Promise<void> {
    const app = this.buildApp(agent)
    this.server.on('request', app)
    this.server.on('upgrade', (req, socket, head) => {
      this.wsServer.handleUpgrade(req, socket, head, (ws) => this.wsServer.emit('connection', ws, req))
    })
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    this.options.logger.info({ address: this.address }, 'DIDComm inbound endpoint listening')
  }

  public async stop(): Promise<void> {
    for (const client of this.wsServer.clients) client.close(1001, 'server shutting down')
    await closeServer(this.server, this.options.shutdownTimeoutMs)
  }

  /** Serves `router` on this port next to the DIDComm endpoint. */
  public servePublic(router: express.Router): void {
    this.publicRoutes = router
  }

  private buildApp(agent: Agent) {
    const messageReceiver = agent.dependencyManager.resolve(MessageReceiver)
    const transportService = agent.dependencyManager.resolve(TransportService)
    const logger = this.options.logger.child({ component: 'inbound' })
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
      express.text({ type: () => true, limit: MAX_BODY }),
      async (req, res) => {
        let body: unknown
        try {
          body = JSON.parse(typeof req.body === 'string' ? req.body : '')
        } catch {
          return refuse(res, 400, 'body is not valid JSON')
        }
        const problem = whyNotEnvelope(body)
        if (problem) return refuse(res, 400, problem)

        const session = new HttpTransportSession(utils.uuid(), req, res)
        req.once('close', () => transportService.removeSession(session))
        try {
          await receiveWithRoutingRetry(() => messageReceiver.receiveMessage(body, { session }))
          if (!res.headersSent) res.status(200).end()
        } catch (error) {
          // Whatever fails here failed on this message (not addressed to us, undecryptable,
          // unknown protocol, invalid content): the sender gets a 400, we keep serving.
          logger.warn({ err: error }, 'inbound DIDComm message refused')
          if (!res.headersSent) refuse(res, 400, refusalReason(error))
        } finally {
          transportService.removeSession(session)
        }
      },
    )

    app.use((req, res, next) => (this.publicRoutes ? this.publicRoutes(req, res, next) : next()))
    app.use((req, res) => refuse(res, 404, `No DIDComm endpoint at ${req.method} ${req.path}`))
    app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
      if (error.type === 'entity.too.large') return refuse(res, 413, `body exceeds ${MAX_BODY}`)
      if (error.status && error.status < 500) return refuse(res, error.status, error.message)
      logger.error({ err: error }, 'inbound endpoint failed')
      refuse(res, 500, 'internal error')
    })
    return app
  }
}
