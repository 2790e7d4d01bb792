// Who is calling. Admin routes check the admin key (`x-api-key`, as ACA-Py); tenant routes resolve
// a tenant credential into one principal, so handlers never read auth headers themselves.
// Keys are compared in constant time over SHA-256 digests so neither content nor length leaks.
// Every guard asks the throttle (authThrottle.ts) first and reports each presented credential that
// fails verification to it, so guessing is slowed on every route alike; missing or malformed
// headers guess nothing and are not counted.
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { createHash, timingSafeEqual } from 'node:crypto'

import type { RequestScope } from '../requestScope'
import { WRITE_ROLES, type ApiKey, type ApiKeyService, type KeyActor } from '../services/apiKeys'
import type { WalletService } from '../services/wallets'
import { badRequest, DomainError, forbidden, unauthorizedError as unauthorized } from '../errors'
import type { AuthThrottle } from './authThrottle'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The caller of a tenant-scoped request: exactly one wallet, whichever header style arrived. */
export interface Principal {
  walletId: string
  /** ACA-Py bearer tokens carry full tenant rights ('tenant'); API keys carry their roles. */
  roles: string[]
  /** The API key used, when the credential was one. */
  keyId?: string
  via: 'tenant-token' | 'api-key' | 'admin-key'
}

/** Which credential a route accepts, as the OpenAPI document names it (each guard's, http/route.ts). */
export type AuthKind = 'admin' | 'tenant-token' | 'base-key' | 'base-or-wallet-key' | 'wallet-key'
/** A guard that only runs `fn` for requests whose source address is not throttled. */
const guard = (throttle: AuthThrottle, fn: RequestHandler): RequestHandler => (req, res, next) => {
  const held = throttle.admit(req)
  if (held) return next(held)
  fn(req, res, next)
}

/**
 * Hands an error to `next`, counting it with the throttle when it is a 401 for a credential that
 * was presented (which then may come back as a 429).
 */
const refuse = (throttle: AuthThrottle, req: Request, credential: string, next: NextFunction) => (error: unknown) =>
  next(error instanceof DomainError && error.kind === 'unauthorized' ? throttle.failed(req, credential, error) : error)

function withWallet(res: Response, principal: Principal) {
  res.locals.principal = principal
  ;(res.locals.scope as RequestScope).walletId = principal.walletId
}

const sameKey = (given: string | undefined, expected: Buffer) => !!given && timingSafeEqual(digest(given), expected)

/** Whether `given` is `secret`, compared in constant time (for callers outside the guards). */
export const isSecret = (given: string | undefined, secret: string) => sameKey(given, digest(secret))

/** The principal, if the guard set one (see `adminWithoutWallet`). */
export const maybePrincipalOf = (res: Response): Principal | undefined => res.locals.principal as Principal | undefined

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined
  if (!principal) throw new Error('route is missing requireTenant')
  return principal
}

/**
 * The admin key in `x-api-key`; in insecure mode (ACA-Py's `--admin-insecure-mode`, refused in
 * production) no key at all, for local development and ACA-Py's own scenario scripts.
 */
export function requireAdminKey(adminApiKey: string, throttle: AuthThrottle, insecureMode = false): RequestHandler {
  const expected = digest(adminApiKey)
  return guard(throttle, (req: Request, _res: Response, next: NextFunction) => {
    if (insecureMode) return next()
    const given = req.header('x-api-key')
    if (!given) return next(unauthorized('API Key invalid or missing'))
    if (!sameKey(given, expected)) return refuse(throttle, req, given, next)(unauthorized('API Key invalid or missing'))
    next()
  })
}

/** Proven's internal routes: the base API key only. */
export function requireBaseKey(baseApiKey: string, throttle: AuthThrottle): RequestHandler {
  const expected = digest(baseApiKey)
  return guard(throttle, (req: Request, _res: Response, next: NextFunction) => {
    const given = req.header('x-api-key')
    if (!given) return next(unauthorized('Base API key invalid or missing'))
    if (!sameKey(given, expected)) return refuse(throttle, req, given, next)(unauthorized('Base API key invalid or missing'))
    next()
  })
}

/** Resolves a wallet API key into the request's principal; hands refusals to `next`. */
function authenticateWalletKey(
  apiKeys: ApiKeyService,
  throttle: AuthThrottle,
  given: string,
  req: Request,
  res: Response,
  next: NextFunction,
  then: (key: ApiKey) => void,
) {
  apiKeys.authenticate(given).then(
    (key) => {
      try {
        then(key)
      } catch (error) {
        // A known key without the right (403) is not a failed authentication.
        return next(error)
      }
      withWallet(res, { walletId: key.walletId, roles: key.roles, keyId: key.keyId, via: 'api-key' })
      next()
    },
    refuse(throttle, req, given, next),
  )
}

/** The header that names the wallet the admin key acts in on the wallet-key routes. */
export const ACT_AS_WALLET_HEADER = 'x-wallet-id'

/**
 * Proven's external routes: a wallet API key in `x-api-key` selects the wallet. The admin key is
 * taken too, with the wallet named in `x-wallet-id` (the console's "pick a wallet"): it could mint
 * that wallet a token anyway, and this way it does not rotate away the token a controller holds.
 * A wallet key with `x-wallet-id` is still its own wallet's: the header is read for the admin key only.
 */
export function requireWalletKey(
  apiKeys: ApiKeyService,
  baseApiKey: string,
  adminApiKey: string,
  /** Resolves when the wallet exists; rejects with a 404 otherwise. */
  walletExists: (walletId: string) => Promise<unknown>,
  throttle: AuthThrottle,
  /**
   * Let the admin key through without naming a wallet (res.locals.principal stays unset): for the
   * one route that tells a client which kind of key it holds, so asking is never an error.
   */
  { adminWithoutWallet = false }: { adminWithoutWallet?: boolean } = {},
): RequestHandler {
  const base = digest(baseApiKey)
  const admin = digest(adminApiKey)
  return guard(throttle, (req: Request, res: Response, next: NextFunction) => {
    const given = req.header('x-api-key')
    if (!given) return next(unauthorized('API key missing'))
    if (sameKey(given, base)) {
      return next(forbidden('The base API key manages wallets and keys only; use a wallet API key'))
    }
    if (sameKey(given, admin)) {
      const walletId = req.header(ACT_AS_WALLET_HEADER)
      if (!walletId && adminWithoutWallet) return next()
      if (!walletId) return next(badRequest(ACT_AS_WALLET_HEADER, `The admin key needs the ${ACT_AS_WALLET_HEADER} header naming the wallet to act in`))
      return walletExists(walletId).then(() => {
        withWallet(res, { walletId, roles: ['super-admin'], via: 'admin-key' })
        next()
      }, next)
    }
    authenticateWalletKey(apiKeys, throttle, given, req, res, next, (key) => {
      if (!READ_METHODS.has(req.method) && !key.roles.some((role) => WRITE_ROLES.includes(role))) {
        throw forbidden(`API key roles (${key.roles.join(', ')}) allow reading only`)
      }
    })
  })
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Key management: the base key or the admin key (both platform credentials, for any wallet), or a
 * wallet key whose roles the service then checks.
 */
export function requireKeyManager(apiKeys: ApiKeyService, baseApiKey: string, adminApiKey: string, throttle: AuthThrottle): RequestHandler {
  const platformKeys = [digest(baseApiKey), digest(adminApiKey)]
  return guard(throttle, (req: Request, res: Response, next: NextFunction) => {
    const given = req.header('x-api-key')
    if (!given) return next(unauthorized('API key missing'))
    if (platformKeys.some((key) => sameKey(given, key))) {
      res.locals.keyActor = { kind: 'base' } satisfies KeyActor
      return next()
    }
    authenticateWalletKey(apiKeys, throttle, given, req, res, next, (key) => {
      res.locals.keyActor = { kind: 'wallet-key', walletId: key.walletId, roles: key.roles } satisfies KeyActor
    })
  })
}

export function keyActorOf(res: Response): KeyActor {
  const actor = res.locals.keyActor as KeyActor | undefined
  if (!actor) throw new Error('route is missing requireKeyManager')
  return actor
}

export function requireTenant(wallets: WalletService, throttle: AuthThrottle): RequestHandler {
  return guard(throttle, (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization')
    if (!header) return next(unauthorized('Authorization token missing or invalid'))
    const [scheme, token, ...rest] = header.split(' ')
    if (scheme !== 'Bearer' || !token || rest.length > 0) {
      return next(unauthorized('Invalid Authorization header structure'))
    }
    wallets.authenticateToken(token).then((wallet) => {
      withWallet(res, { walletId: wallet.walletId, roles: ['tenant'], via: 'tenant-token' })
      next()
    }, refuse(throttle, req, token, next))
  })
}
