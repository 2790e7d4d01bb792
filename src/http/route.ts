// A route as data: method, path, the credential it takes, its request and response schemas, and a
// `handle` that calls one service and maps the result. `mountRoutes` does the rest for every route
// alike (guard → parse → principal → handle → answer, a service error's fields renamed as the
// face's requests name them), and the OpenAPI document reads the same declaration
// (http/openapi.ts), so what is validated, answered and documented is said once.
import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express'
import { z } from 'zod'

import { withFieldNames } from '../errors'
import type { KeyActor } from '../services/apiKeys'
import { keyActorOf, maybePrincipalOf, principalOf, type AuthKind, type Principal } from './auth'

/** The guards a route may name (built by createApp, http/auth.ts), each with the credential it takes. */
const GUARD_KINDS = {
  /** Admin key in `x-api-key`. */
  requireAdmin: 'admin',
  /** A tenant credential; sets the principal. */
  requireTenant: 'tenant-token',
  /** Proven base API key in `x-api-key`. */
  requireBaseKey: 'base-key',
  /** Proven wallet API key in `x-api-key` (or the admin key with `x-wallet-id`); sets the principal. */
  requireWalletKey: 'wallet-key',
  /** requireWalletKey, but the admin key may come without a wallet (then no principal is set). */
  requireWalletKeyOrAdmin: 'wallet-key',
  /** Base key, admin key or a wallet key; sets the key actor for the API key service to authorize. */
  requireKeyManager: 'base-or-wallet-key',
} as const satisfies Record<string, AuthKind>
export type Guard = keyof typeof GUARD_KINDS
export type Guards = Record<Guard, RequestHandler>

/** The credential a route takes, as the OpenAPI document names it; none for an open route. */
export const authKindOf = (route: Route): AuthKind | undefined => (route.auth === 'open' ? undefined : GUARD_KINDS[route.auth])

/** How a face reads a request part: the ACA-Py face leniently (acapy/requestParsing.ts), the controller face strictly. */
export type RequestParser = <S extends z.ZodTypeAny>(schema: S, value: unknown, part: 'body' | 'query' | 'params') => z.output<S>

/**
 * An answer other than a 200 JSON body, which `handle` returns as it is: JSON with another status
 * (a probe's 503), bytes of another media type (a QR code, a page), or a stream the route keeps
 * writing (server-sent events). The route's `produces` and `alsoAnswers` document it.
 */
export class Reply {
  private constructor(readonly write: (req: Request, res: Response) => void) {}
  static status(status: number, body: unknown): Reply {
    return new Reply((_req, res) => void res.status(status).json(body))
  }
  static bytes(type: string, body: Buffer | string, headers: Record<string, string> = {}): Reply {
    return new Reply((_req, res) => void res.set(headers).type(type).send(body))
  }
  static file(file: string, headers: Record<string, string> = {}): Reply {
    return new Reply((_req, res) => void res.set(headers).sendFile(file))
  }
  /** The route writes the response itself: an event stream it ends when done, or an answer by the request's `accept`. */
  static written(write: (req: Request, res: Response) => void): Reply {
    return new Reply(write)
  }
}

/** The `response` of a route whose answers are all of the media types it `produces`. */
export const noJsonAnswer = z.never()

type Output<S> = S extends z.ZodTypeAny ? z.output<S> : undefined

export interface RouteInput<Q, B, P> {
  query: Q
  body: B
  /** The path's parameters, parsed with `params` when the route declares it. */
  params: P
  /** The wallet the credential selects; guards that set no principal make reading it a bug. */
  principal(): Principal
  /** The principal, or none where the guard may admit a credential without one (requireWalletKeyOrAdmin). */
  maybePrincipal(): Principal | undefined
  /** Who manages API keys (requireKeyManager); the API key service decides what it may do. */
  keyActor(): KeyActor
}

export interface Route<
  Q extends z.ZodTypeAny | undefined = z.ZodTypeAny | undefined,
  B extends z.ZodTypeAny | undefined = z.ZodTypeAny | undefined,
  P extends z.ZodTypeAny | undefined = z.ZodTypeAny | undefined,
  R extends z.ZodTypeAny = z.ZodTypeAny,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Express syntax (`/wallet/did/:did`). */
  path: string
  /** The guard that admits the request, or `open`. */
  auth: Guard | 'open'
  /** One line for the API documentation. */
  summary: string
  params?: P
  query?: Q
  body?: B
  /** Its JSON answer (status 200), as the face's clients read it; `noJsonAnswer` for a route that answers none. */
  response: R
  /** The media types it may answer with besides JSON (`image/png`, `text/event-stream`), which `handle` answers through a Reply. */
  produces?: readonly string[]
  /** For a route that produces `text/event-stream`: what each event's `data:` line carries. */
  events?: z.ZodTypeAny
  /** Other statuses the route answers on purpose, with the same schema (a probe's 503). */
  alsoAnswers?: Record<number, string>
  /**
   * The request fields, by the path a service's error gives them, that this route calls otherwise
   * than its face does (`{'schema.issuerId': 'issuer_id'}`): an error about one names the field as
   * this route's request does.
   */
  errorFields?: Record<string, string>
  handle(input: RouteInput<Output<Q>, Output<B>, P extends z.ZodTypeAny ? z.output<P> : Record<string, string>>): Promise<z.input<R> | Reply>
}

/** Declares a route; the identity function that lets TypeScript infer its schemas' types. */
export const route = <Q extends z.ZodTypeAny | undefined, B extends z.ZodTypeAny | undefined, P extends z.ZodTypeAny | undefined, R extends z.ZodTypeAny>(
  declaration: Route<Q, B, P, R>,
) => declaration as unknown as Route

/**
 * How one face of the API reads a request part, and what its requests call the fields services
 * name in their errors (`connectionId` → `conn_id`; errors.ts withFieldNames).
 */
export interface FaceReading {
  parse: RequestParser
  fieldNames?: Readonly<Record<string, string>>
}

/**
 * A router serving `routes`, each behind its guard, its request read and its errors' fields named
 * as `face` does (a route's own `errorFields` first).
 */
export function mountRoutes(guards: Guards, routes: readonly Route[], face: FaceReading): Router {
  const router = Router()
  const { parse } = face
  for (const declaration of routes) {
    const fieldNames = { ...face.fieldNames, ...declaration.errorFields }
    const serve = async (req: Request, res: Response) => {
      // Path first, then query, then body: the first problem named is the one nearest the route.
      const params = declaration.params ? parse(declaration.params, req.params, 'params') : req.params
      const query = declaration.query ? parse(declaration.query, req.query, 'query') : undefined
      const body = declaration.body ? parse(declaration.body, req.body, 'body') : undefined
      const input = {
        query,
        body,
        params,
        principal: () => principalOf(res),
        maybePrincipal: () => maybePrincipalOf(res),
        keyActor: () => keyActorOf(res),
      }
      const answer = await declaration.handle(input).catch((error: unknown) => {
        throw withFieldNames(error, fieldNames)
      })
      if (answer instanceof Reply) answer.write(req, res)
      else res.json(answer)
    }
    const guard = declaration.auth === 'open' ? [] : [guards[declaration.auth]]
    // Express 4 ignores rejected promises: each is handed to the error middleware.
    const handle = (req: Request, res: Response, next: NextFunction) => void serve(req, res).catch(next)
    router[declaration.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](declaration.path, ...guard, handle)
  }
  return router
}
