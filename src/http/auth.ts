// Admin authentication, as ACA-Py does it: the admin key in `x-api-key`. Compared in constant
// time over SHA-256 digests so neither content nor length leaks through timing.
import type { NextFunction, Request, Response } from 'express'
import { createHash, timingSafeEqual } from 'node:crypto'

import { unauthorized } from './errors'

const digest = (value: string) => createHash('sha256').update(value).digest()

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
