import type { NextFunction, Request, RequestHandler, Response } from 'express'

/** Express 4 ignores rejected promises; this hands them to the error middleware. */
export function handler(fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next)
  }
}
