// A tails server on loopback, as ACA-Py expects one (indy-tails-server's protocol): `PUT /hash/<hash>`
// with the file in the multipart field `tails` stores it, `GET /hash/<hash>` serves it. ACA-Py
// cannot make a revocable credential definition without one. Files are kept as uploaded; the
// holders check the hash themselves.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TailsServer {
  url: string
  /** Uploaded files by hash. */
  files: Map<string, Buffer>
  /** GETs answered, by hash. */
  served: string[]
  stop(): Promise<void>
}

export async function startTailsServer(): Promise<TailsServer> {
  const files = new Map<string, Buffer>()
  const served: string[] = []
  const server = http.createServer(async (req, res) => {
    const hash = /^\/hash\/([1-9A-HJ-NP-Za-km-z]+)$/.exec(req.url ?? '')?.[1]
    if (!hash) return void res.writeHead(404).end()
    if (req.method === 'GET') {
      const file = files.get(hash)
      if (!file) return void res.writeHead(404).end()
      served.push(hash)
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file)
    }
    if (req.method !== 'PUT') return void res.writeHead(405).end()
    if (files.has(hash)) return void res.writeHead(409).end()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    // Node's own multipart parser, through a Request.
    const form = await new Request('http://tails.invalid/', { method: 'PUT', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) }).formData()
    const tails = form.get('tails')
    if (!(tails instanceof Blob)) return void res.writeHead(400).end('no tails field')
    files.set(hash, Buffer.from(await tails.arrayBuffer()))
    res.writeHead(200, { 'content-type': 'text/plain' }).end(hash)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    served,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
