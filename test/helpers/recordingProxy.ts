// A loopback HTTP proxy in front of one admin URL that records every exchange passing through it
// (method, path, status, response body), so a test can check what a client was really answered.
// Websocket upgrades (the admin /ws) are passed through untouched and not recorded.
import http from 'node:http'
import net from 'node:net'

export interface RecordedExchange {
  method: string
  /** The path with its query string, as the client asked. */
  url: string
  status: number
  contentType: string
  body: string
}

export interface RecordingProxy {
  /** e.g. http://127.0.0.1:12345 (no trailing slash) */
  url: string
  /** Every HTTP exchange so far, in the order the answers came back. */
  exchanges: RecordedExchange[]
  stop(): Promise<void>
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target)
  const exchanges: RecordedExchange[] = []
  const sockets = new Set<net.Socket>()

  const server = http.createServer((req, res) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const body = Buffer.concat(chunks)
          exchanges.push({
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            status: answer.statusCode ?? 0,
            contentType: String(answer.headers['content-type'] ?? ''),
            body: body.toString('utf8'),
          })
          const headers = { ...answer.headers }
          delete headers['transfer-encoding']
          headers['content-length'] = String(body.length)
          res.writeHead(answer.statusCode ?? 502, headers)
          res.end(body)
        })
      },
    )
    forward.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`recording proxy: ${error.message}`)
    })
    req.pipe(forward)
  })

  // A websocket (or any upgrade): replay the request head to the target, then splice the sockets.
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const socket = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`]
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? upstream.host : req.rawHeaders[i + 1]}`)
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`)
      if (head.length) socket.write(head)
      socket.pipe(client)
      client.pipe(socket)
    })
    for (const s of [socket, client]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {
        socket.destroy()
        client.destroy()
      })
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    stop: async () => {
      for (const s of sockets) s.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
