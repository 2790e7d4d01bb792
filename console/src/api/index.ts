// The console's one way to reach Credence: its own admin API, with the key its user signed in
// with. Every call is typed by its path and method from the OpenAPI document (schema.d.ts is
// generated from openapi.json): path and query parameters, the body, and the answer. Errors come
// back as the API writes them ({error, field}) so forms can show them inline.
import createClient, { type Client, type ClientPathsWithMethod, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch'

import type { components, paths } from './schema'

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

type Method = 'get' | 'put' | 'post' | 'delete'

/** The documented paths that answer `method`, as the document spells them (`/api/v1/invitations/{invitation_id}`). */
export type PathOf<M extends Method> = ClientPathsWithMethod<Client<paths>, M>

/** The JSON a route answers with on success, as the document declares it: `unknown` while it declares none. */
export type Reply<M extends Method, P extends PathOf<M>> =
  paths[P][M] extends infer Operation extends Record<string, unknown>
    ? Extract<FetchResponse<Operation, object, 'application/json'>, { error?: never }>['data']
    : never

/** The JSON body a route takes. */
export type RequestBody<M extends Method, P extends PathOf<M>> = NonNullable<NonNullable<MaybeOptionalInit<paths[P], M>>['body']>

/** `params` ({path, query}) and `body`; required when the route requires any of them. */
type Init<M extends Method, P extends PathOf<M>> = MaybeOptionalInit<paths[P], M>
type Call<M extends Method> = <P extends PathOf<M>>(
  path: P,
  ...init: undefined extends Init<M, P> ? [init?: Init<M, P>] : [init: Init<M, P>]
) => Promise<Reply<M, P>>

export interface Api {
  GET: Call<'get'>
  POST: Call<'post'>
  PUT: Call<'put'>
  DELETE: Call<'delete'>
}

export function headersFor(session: Session, path: string): Record<string, string> {
  const headers: Record<string, string> = { 'x-api-key': session.apiKey }
  if (session.admin && session.walletId && path.startsWith('/api/v1/')) headers['x-wallet-id'] = session.walletId
  return headers
}

// openapi-fetch (openapi-typescript's own client) rather than a wrapper of ours: its types make
// params and bodies required exactly when the document requires them, and its runtime puts path
// parameters, the query string and the JSON body on the request the way those types describe.
const client = createClient<paths>()

/** The client, seen from inside `api`: the calls are typed at `Api`, so here any path is a string. */
type Untyped = (path: string, init?: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>

type ErrorBody = components['schemas']['Error']
const isErrorBody = (body: unknown): body is ErrorBody => typeof body === 'object' && body !== null && typeof (body as ErrorBody).error === 'string'

/** The typed API as `session`: `api(session).GET('/api/v1/connections/{connection_id}', {params: {path: {connection_id}}})`. */
export function api(session: Session): Api {
  const call =
    (method: 'GET' | 'POST' | 'PUT' | 'DELETE') =>
    async (path: string, init?: object): Promise<unknown> => {
      let result: Awaited<ReturnType<Untyped>>
      try {
        result = await (client[method] as Untyped)(path, { ...init, headers: headersFor(session, path) })
      } catch (failure) {
        throw new ApiError(0, failure instanceof SyntaxError ? 'Credence answered with something other than JSON' : 'Credence could not be reached')
      }
      const { data, error, response } = result
      if (response.ok) return data
      const body = isErrorBody(error) ? error : undefined
      throw new ApiError(response.status, body?.error ?? `${response.status} ${response.statusText}`, body?.field)
    }
  return { GET: call('GET'), POST: call('POST'), PUT: call('PUT'), DELETE: call('DELETE') } as Api
}

/** One event of the wallet's live stream, as the document declares its data lines; `payload` is the topic's record as webhooks carry it. */
export type WalletEvent = paths['/api/v1/events/stream']['get']['responses'][200]['content']['text/event-stream']

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
          if (data) onEvent(JSON.parse(data) as WalletEvent)
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
