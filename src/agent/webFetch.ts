// Fetching public JSON that another party names (did:web documents, did:web AnonCreds objects):
// https only (plain http only to loopback hosts, and only when CREDENCE_DID_WEB_ALLOW_HTTP is on),
// no redirects, a time limit and a size limit. Failures say no more than that the fetch failed, so
// a caller cannot map hosts and ports through them.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const HOSTNAME = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)$/
const FETCH_TIMEOUT_MS = 5000

export class PublicFetchError extends Error {}

export const isLoopbackHost = (hostname: string) => LOOPBACK_HOSTS.has(hostname)

/** Why `url` may not be fetched, or undefined when it may. */
export function whyNotFetchable(url: URL, allowHttp: boolean): string | undefined {
  if (url.username || url.password) return 'URL carries credentials'
  if (!HOSTNAME.test(url.hostname)) return 'host is not a host name'
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:' && allowHttp && isLoopbackHost(url.hostname)) return undefined
  return 'only https is allowed'
}

/** The body as text, or undefined (and the rest left unread) once it passes `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > limit) {
      await response.body?.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** GETs JSON from `url`; `undefined` for a 404, a PublicFetchError for every other failure. */
export async function fetchPublicJson(url: URL, options: { allowHttp: boolean; maxBytes: number }): Promise<unknown | undefined> {
  const refused = whyNotFetchable(url, options.allowHttp)
  if (refused) throw new PublicFetchError(`${url.origin} may not be fetched: ${refused}`)
  let response: Response
  try {
    response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
  } catch {
    throw new PublicFetchError(`${url.origin} could not be reached`)
  }
  if (response.status === 404) {
    await response.body?.cancel().catch(() => undefined)
    return undefined
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    throw new PublicFetchError(`${url.origin} did not answer with the document`)
  }
  const text = await readLimited(response, options.maxBytes).catch(() => undefined)
  if (text === undefined) throw new PublicFetchError(`the document at ${url.origin} is too large or was cut off`)
  try {
    return JSON.parse(text)
  } catch {
    throw new PublicFetchError(`the document at ${url.origin} is not JSON`)
  }
}
