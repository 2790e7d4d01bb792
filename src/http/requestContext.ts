// Gives every admin request an id and a request scope (see requestScope.ts: every log line written
// while serving it carries the id, and the wallet once auth knows it), and writes one line per
// request when it ends. Headers are never logged, so keys and tokens cannot leak from here.
import type { NextFunction, Request, Response } from 'express'
import { randomUUID } from 'node:crypto'

import type { AppLogger } from '../logger'
import { runInRequestScope, type RequestScope } from '../requestScope'

export function requestContext(logger: AppLogger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = (req.header('x-request-id') ?? '').slice(0, 64) || randomUUID()
    const started = process.hrtime.bigint()
    const scope: RequestScope = { requestId }
    res.locals.scope = scope
    res.setHeader('x-request-id', requestId)
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6
      // 'finish' fires outside the request's async context: name the scope explicitly.
      runInRequestScope(scope, () =>
        logger.info({ method: req.method, path: req.path, status: res.statusCode, durationMs }, 'request'),
      )
    })
    runInRequestScope(scope, next)
  }
}
