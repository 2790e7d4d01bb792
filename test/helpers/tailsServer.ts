// A tails server on loopback, as ACA-Py expects one (indy-tails-server's protocol): `PUT /hash/<hash>`
// (ACA-Py's askar-anoncreds wallets) or `PUT /<rev_reg_id>` (its legacy askar wallets, with the
// genesis beside) with the file in the multipart field `tails` stores it, a GET of the same path
// serves it. ACA-Py cannot make a revocable credential definition without one. Files are kept as
// uploaded; the holders check the hash themselves.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TailsServer {
  url: string
  /** Uploaded files by path: `hash/<hash>` or `<rev_reg_id>`. */
  files: Map<string, Buffer>
  /** GETs answered, by path. */
  served: string[]
  stop(): Promise<void>
}

export async function startTailsServer(): Promise<TailsServer> {
  const files = new Map<string, Buffer>()
  const served: string[] = []
  const server = http.createServer(async (req, res) => {
    const matched = /^\/(hash\/[1-9A-HJ-NP-Za-km-z]+|[1-9A-HJ-NP-Za-km-z]+(?::|%3A)4(?::|%3A)[^/]+)$/.exec(req.url ?? '')?.[1]
    if (!matched) return void res.writeHead(404).end()
    const key = decodeURIComponent(matched)
    if (req.method === 'GET') {
      const file = files.get(key)
      if (!file) return void res.writeHead(404).end()
      served.push(key)
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file)
    }
    if (req.method !== 'PUT') return void res.writeHead(405).end()
    if (files.has(key)) return void res.writeHead(409).end()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    // Node's own multipart parser, through a Request.
    const form = await new Request('http://tails.invalid/', { method: 'PUT', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) }).formData()
    const tails = form.get('tails')
    if (!(tails instanceof Blob)) return void res.writeHead(400).end('no tails field')
    files.set(key, Buffer.from(await tails.arrayBuffer()))
    res.writeHead(200, { 'content-type': 'text/plain' }).end(key)
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
