// ACA-Py's admin websocket, `GET /ws` on the admin port (admin/server.py websocket_handler and
// send_webhook in ACA-Py 1.7): the first message is `{"topic":"settings","payload":{authenticated,
// label, endpoint, no_receive_invites, help_link}}`; then every event the webhooks carry, as
// `{"topic", "payload", "wallet_id"}` and nothing else (acapy-controller drops a message with any
// other key); after 5 s with nothing sent, `{"topic":"ping","authenticated":…}`, which ACA-Py sends
// because browsers cannot see protocol pings.
//
// Who sees what. As in ACA-Py, the admin key (header `x-api-key`, or a later message
// `{"x-api-key": "…"}`) or insecure mode sees every wallet's events, each tagged with its wallet.
// Unlike ACA-Py, a tenant token sees its own wallet's events (ACA-Py gives it none outside OAuth),
// and an unauthenticated socket gets the settings and keepalives only: ACA-Py also sends it every
// wallet's trust-ping events, which would show one tenant's activity to anyone.
// A bad bearer token is refused before the upgrade (401), as ACA-Py's middleware does.
import type http from 'node:http'
import type { Duplex } from 'node:stream'
import WebSocket, { WebSocketServer } from 'ws'

import type { TenantEvent, TenantEventBus } from '../events/tenantEvents'
import type { AppLogger } from '../logger'
import type { WalletService } from '../services/wallets'
import { isSecret } from './auth'

const KEEPALIVE_MS = 5_000
/** A client this far behind is cut off rather than buffered without end (as the SSE stream). */
const MAX_UNREAD_BYTES = 1024 * 1024
/** Messages from the client are tiny (`{"x-api-key": …}`); anything larger is not one. */
const MAX_CLIENT_MESSAGE_BYTES = 4096

export interface AdminSocketDeps {
  events: TenantEventBus
  wallets: WalletService
  adminApiKey: string
  insecureMode: boolean
  settings: { label: string; endpoint: string }
  logger: AppLogger
}

type Audience = { kind: 'all' } | { kind: 'wallet'; walletId: string } | { kind: 'none' }

function refuseUpgrade(socket: Duplex, status: number, message: string) {
  const body = JSON.stringify({ error: message })
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
}

/** Serves /ws on `server`; returns a function that closes every socket (shutdown). */
export function serveAdminSocket(server: http.Server, deps: AdminSocketDeps): () => void {
  const log = deps.logger.child({ component: 'admin-ws' })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES })

  async function audienceOf(req: http.IncomingMessage): Promise<Audience | 'refused'> {
    if (deps.insecureMode || isSecret(header(req, 'x-api-key'), deps.adminApiKey)) return { kind: 'all' }
    const authorization = header(req, 'authorization')
    if (!authorization) return { kind: 'none' }
    const [scheme, token, ...rest] = authorization.split(' ')
    if (scheme !== 'Bearer' || !token || rest.length > 0) return 'refused'
    try {
      return { kind: 'wallet', walletId: (await deps.wallets.authenticateToken(token)).walletId }
    } catch {
      return 'refused'
    }
  }

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (new URL(req.url ?? '/', 'http://admin').pathname !== '/ws') return refuseUpgrade(socket, 400, 'Only /ws takes a websocket on the admin port')
    audienceOf(req).then(
      (audience) => {
        if (audience === 'refused') return refuseUpgrade(socket, 401, 'Authorization token missing or invalid')
        wss.handleUpgrade(req, socket, head, (ws) => serve(ws, audience))
      },
      () => socket.destroy(),
    )
  })

  function serve(ws: WebSocket, initial: Audience) {
    let audience = initial
    let keepalive: NodeJS.Timeout | undefined
    const authenticated = () => audience.kind !== 'none'
    const send = (message: Record<string, unknown>) => {
      if (ws.readyState !== WebSocket.OPEN) return
      if (ws.bufferedAmount > MAX_UNREAD_BYTES) return ws.terminate()
      ws.send(JSON.stringify(message))
      clearTimeout(keepalive)
      keepalive = setTimeout(() => send({ topic: 'ping', authenticated: authenticated() }), KEEPALIVE_MS)
    }
    const deliver = (event: TenantEvent) => send({ topic: event.topic, payload: event.payload, wallet_id: event.walletId })
    const close = () => ws.close(1001, 'server shutting down')
    let unsubscribe = subscribe(audience)
    function subscribe(to: Audience): () => void {
      if (to.kind === 'all') return deps.events.subscribeAll(deliver, close)
      if (to.kind === 'wallet') return deps.events.subscribe(to.walletId, deliver, close)
      return () => undefined
    }

    // Errors (bad frames and the like) close this socket only.
    ws.on('error', (error: Error & { code?: string }) => {
      log.debug({ reason: error.code ?? error.message }, 'admin websocket closed on an error')
      ws.terminate()
    })
    ws.on('close', () => {
      clearTimeout(keepalive)
      unsubscribe()
    })
    // ACA-Py's late authentication: `{"x-api-key": "<admin key>"}`; anything else is ignored.
    ws.on('message', (data) => {
      let message: unknown
      try {
        message = JSON.parse(String(data))
      } catch {
        return
      }
      const key = (message as Record<string, unknown> | null)?.['x-api-key']
      if (audience.kind !== 'all' && typeof key === 'string' && isSecret(key, deps.adminApiKey)) {
        unsubscribe()
        audience = { kind: 'all' }
        unsubscribe = subscribe(audience)
      }
    })
    send({
      topic: 'settings',
      payload: { authenticated: authenticated(), label: deps.settings.label, endpoint: deps.settings.endpoint, no_receive_invites: false, help_link: null },
    })
  }

  return () => {
    for (const ws of wss.clients) ws.close(1001, 'server shutting down')
  }
}

const header = (req: http.IncomingMessage, name: string) => {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}
