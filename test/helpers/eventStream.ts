// A wallet's live event stream (GET /events/stream, server-sent events), read in the background
// into a list until the test stops it.
export interface LiveEvent {
  topic: string
  wallet_id: string
  payload: any
}

export interface LiveEvents {
  events: LiveEvent[]
  /** The stream's response status and headers (content type and the like). */
  status: number
  headers: Headers
  /** Closes the stream and waits for the reader to finish. */
  stop(): Promise<void>
}

/** Opens the ACA-Py face's stream, or the one at `path` (the controller face's /api/v1/events/stream). */
export async function openEventStream(adminUrl: string, headers: Record<string, string>, path = '/events/stream'): Promise<LiveEvents> {
  const events: LiveEvent[] = []
  const controller = new AbortController()
  const stream = await fetch(`${adminUrl}${path}`, { headers, signal: controller.signal })
  const reading = (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '))
          if (data) events.push(JSON.parse(data.slice(6)))
          buffer = buffer.slice(end + 2)
        }
      }
    } catch {
      // aborted by stop()
    }
  })()
  return {
    events,
    status: stream.status,
    headers: stream.headers,
    stop: async () => {
      controller.abort()
      await reading
    },
  }
}
