// ACA-Py face, resolver room (reference §13): 404 not found, 501 method not supported.
import { Router } from 'express'
import { z } from 'zod'

import { badRequest } from '../../errors'
import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'

const DID = /^did:[a-z0-9]+:\S+$/
const didParams = z.object({ did: z.string().max(10_000) })

export function resolverRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()

  router.get('/resolver/resolve/:did', requireTenant, handler(async (req, res) => {
    const { did } = parse(didParams, req.params, 'params')
    if (!DID.test(did)) throw badRequest('did', `${did} is not a DID (did:<method>:<id>)`)
    const resolution = await services.resolver.resolve(principalOf(res).walletId, did)
    res.json({
      did_document: resolution.didDocument,
      metadata: {
        resolver_type: 'native',
        resolver: `credo:${resolution.method}`,
        retrieved_time: resolution.retrievedTime,
        duration: resolution.durationMs,
      },
      document_metadata: resolution.documentMetadata,
    })
  }))

  return router
}
