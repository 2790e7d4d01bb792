// The bench's webhook receiver on loopback: ACA-Py and Credence post `<url>/topic/<topic>/`.
// Only basic messages are awaited (ACA-Py has no route to read them back); the rest is counted.
import http from 'node:http'

export async function startWebhookReceiver() {
  const waiting = new Map()
  const arrived = new Set()
  let received = 0
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received++
      res.writeHead(200).end()
      if (!req.url?.includes('/topic/basicmessages')) return
      try {
        const { content } = JSON.parse(body)
        const resolve = waiting.get(content)
        if (resolve) {
          waiting.delete(content)
          resolve()
        } else arrived.add(content)
      } catch {
        // not a message we sent
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received
    },
    /** Resolves when a basic message with `content` has been delivered (or already was). */
    message(content, timeoutMs = 60_000) {
      if (arrived.delete(content)) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(content)
          reject(new Error(`basic message ${content} not delivered in ${timeoutMs} ms`))
        }, timeoutMs)
        waiting.set(content, () => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  }
}
