// Who is calling. Admin routes check the admin key (`x-api-key`, as ACA-Py); tenant routes resolve
// a tenant credential into one principal, so handlers never read auth headers themselves.
// Keys are compared in constant time over SHA-256 digests so neither content nor length leaks.
import type { NextFunction, Request, Response } from 'express'
import { createHash, timingSafeEqual } from 'node:crypto'

import type { AppLogger } from '../logger'
import type { WalletService } from '../services/wallets'
import { unauthorized } from './errors'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The caller of a tenant-scoped request: exactly one wallet. */
export interface Principal {
  walletId: string
  /** ACA-Py bearer tokens carry full tenant rights. */
  roles: string[]
  via: 'tenant-token'
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined
  if (!principal) throw new Error('route is missing requireTenant')
  return principal
}

export function requireAdminKey(adminApiKey: string) {
  const expected = digest(adminApiKey)
  return (req: Request, _res: Response, next: NextFunction) => {
    const given = req.header('x-api-key')
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return next(unauthorized('API Key invalid or missing'))
    }
    next()
  }
}

export function requireTenant(wallets: WalletService) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization')
    if (!header) return next(unauthorized('Authorization token missing or invalid'))
    const [scheme, token, ...rest] = header.split(' ')
    if (scheme !== 'Bearer' || !token || rest.length > 0) {
      return next(unauthorized('Invalid Authorization header structure'))
    }
    wallets.authenticateToken(token).then(
      (wallet) => {
        const principal: Principal = { walletId: wallet.walletId, roles: ['tenant'], via: 'tenant-token' }
        res.locals.principal = principal
        res.locals.logger = (res.locals.logger as AppLogger).child({ walletId: wallet.walletId })
        next()
      },
      next,
    )
  }
}
