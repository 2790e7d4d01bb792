// The one middleware that answers errors: DomainErrors (src/errors.ts) become their status with
// the reason (and field); 4xx bodies name the reason; 5xx bodies never carry details (those go to the log).
import type { NextFunction, Request, Response } from 'express'

import { DomainError, notFoundError, type DomainErrorKind } from '../errors'
import type { AppLogger } from '../logger'

const STATUS: Record<DomainErrorKind, number> = {
  bad_request: 400,
  invalid: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
  not_implemented: 501,
  peer_unavailable: 502,
  unavailable: 503,
}

/** Body-parser and similar library errors carry a status and a `type`. */
interface HttpLibraryError extends Error {
  status?: number
  type?: string
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction) {
  next(notFoundError(`No route for ${req.method} ${req.path}`))
}

export function errorHandler(logger: AppLogger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof DomainError) {
      if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds))
      return res.status(STATUS[error.kind]).json({ error: error.message, ...(error.field ? { field: error.field } : {}) })
    }
    const libraryError = error as HttpLibraryError
    if (libraryError.type === 'entity.parse.failed') {
      return res.status(400).json({ error: 'Request body is not valid JSON' })
    }
    if (libraryError.type === 'entity.too.large') {
      return res.status(413).json({ error: 'Request body is too large' })
    }
    if (libraryError.status && libraryError.status >= 400 && libraryError.status < 500) {
      return res.status(libraryError.status).json({ error: libraryError.message })
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed')
    res.status(500).json({ error: 'Internal server error' })
  }
}
