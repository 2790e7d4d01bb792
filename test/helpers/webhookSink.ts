// A webhook receiver on loopback that records every delivery (path, headers, body) in order.
// It can be stopped and started again on the same port, to play a target that goes away, and told
// to answer some paths with an error, to play a target that is there but refuses.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { waitFor } from './waitFor'

export interface Delivery {
  path: string
  headers: http.IncomingHttpHeaders
  rawBody: string
  body: any
}

export interface WebhookSink {
  url: string
  /** Posts answered 2xx, in order of arrival. */
  deliveries: Delivery[]
  /** Posts answered with an error status. */
  refused: Delivery[]
  /** The status each post is answered with, by path; 200 unless a test says otherwise. */
  status: (path: string) => number
  stop(): Promise<void>
  start(): Promise<void>
  /** Waits until `predicate` holds for the deliveries so far. */
  waitFor(what: string, predicate: (deliveries: Delivery[]) => boolean, timeoutMs?: number): Promise<Delivery[]>
}

export async function startWebhookSink(port = 0): Promise<WebhookSink> {
  const deliveries: Delivery[] = []
  const refused: Delivery[] = []
  let server: http.Server | undefined
  let boundPort = port

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = http.createServer((req, res) => {
        let raw = ''
        req.on('data', (chunk) => (raw += chunk))
        req.on('end', () => {
          let body: unknown = raw
          try {
            body = JSON.parse(raw)
          } catch {
            // recorded as text
          }
          const delivery = { path: req.url ?? '', headers: req.headers, rawBody: raw, body }
          const status = sink.status(delivery.path)
          ;(status < 300 ? deliveries : refused).push(delivery)
          res.writeHead(status).end()
        })
      })
      server.once('error', reject)
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server!.address() as AddressInfo).port
        resolve()
      })
    })

  await listen()
  const sink: WebhookSink = {
    url: `http://127.0.0.1:${boundPort}`,
    deliveries,
    refused,
    status: () => 200,
    stop: () =>
      new Promise<void>((resolve) => {
        server?.closeAllConnections()
        server?.close(() => resolve())
      }),
    start: listen,
    waitFor: (what, predicate, timeoutMs = 30_000) =>
      waitFor(what, async () => (predicate(deliveries) ? deliveries : undefined), timeoutMs),
  }
  return sink
}
