// Gives every admin request an id and a child logger (res.locals.logger), and writes one line per
// request when it ends. Headers are never logged, so keys and tokens cannot leak from here.
import type { NextFunction, Request, Response } from 'express'
import { randomUUID } from 'node:crypto'

import type { AppLogger } from '../logger'

export function requestContext(logger: AppLogger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = (req.header('x-request-id') ?? '').slice(0, 64) || randomUUID()
    const started = process.hrtime.bigint()
    res.locals.logger = logger.child({ requestId })
    res.setHeader('x-request-id', requestId)
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6
      ;(res.locals.logger as AppLogger).info(
        { method: req.method, path: req.path, status: res.statusCode, durationMs },
        'request',
      )
    })
    next()
  }
}
