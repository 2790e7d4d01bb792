// The console's one way to reach Credence: its own admin API, with the key its user signed in
// with. Errors come back as the API writes them ({error, field}) so forms can show them inline.

/** Who is signed in. The admin key acts in a wallet only once one is picked (x-wallet-id). */
export interface Session {
  apiKey: string
  admin: boolean
  walletId?: string
  walletLabel?: string
  /** A wallet key's roles; the admin key acts with super-admin rights. */
  roles: string[]
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field the API named, e.g. `attributes.0.value`. */
    readonly field?: string,
  ) {
    super(message)
  }
}

function headersFor(session: Session, path: string): Record<string, string> {
  const headers: Record<string, string> = { 'x-api-key': session.apiKey }
  if (session.admin && session.walletId && path.startsWith('/api/v1/')) headers['x-wallet-id'] = session.walletId
  return headers
}

export async function api<T = any>(session: Session, method: string, path: string, body?: unknown): Promise<T> {
  const headers = headersFor(session, path)
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, 'Credence could not be reached')
  }
  const text = await response.text()
  let data: any
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    data = undefined
  }
  if (!response.ok) throw new ApiError(response.status, data?.error ?? `${response.status} ${response.statusText}`, data?.field)
  return data as T
}

export interface WalletEvent {
  topic: string
  wallet_id: string
  payload: Record<string, any>
}

/**
 * Reads the wallet's live event stream (Server-Sent Events over fetch, since EventSource cannot
 * send the key header) until `signal` aborts; reconnects after a pause when the stream drops.
 */
export async function followEvents(session: Session, onEvent: (event: WalletEvent) => void, onLive: (live: boolean) => void, signal: AbortSignal) {
  while (!signal.aborted) {
    try {
      const response = await fetch('/api/v1/events/stream', { headers: headersFor(session, '/api/v1/events/stream'), signal })
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`)
      onLive(true)
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n')
          if (data) onEvent(JSON.parse(data))
        }
      }
    } catch {
      // Dropped or refused: try again shortly, unless we were stopped.
    }
    onLive(false)
    if (signal.aborted) return
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}
