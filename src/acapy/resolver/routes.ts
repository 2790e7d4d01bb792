// ACA-Py face, resolver room (reference §13): 404 not found, 501 method not supported.
// Declared as data (http/route.ts).
import { z } from 'zod'

import { badRequest } from '../../errors'
import { mountRoutes, route } from '../../http/route'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'

const DID = /^did:[a-z0-9]+:\S+$/

const didParams = z.object({ did: z.string().max(10_000) })

/** ACA-Py's ResolutionResult. */
const resolutionResult = z.object({
  did_document: z.record(z.string(), z.unknown()),
  metadata: z.object({ resolver_type: z.literal('native'), resolver: z.string(), retrieved_time: z.string(), duration: z.number() }),
  document_metadata: z.record(z.string(), z.unknown()),
})

export const resolverRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/resolver/resolve/:did',
    auth: 'requireTenant',
    summary: 'Resolve a DID',
    params: didParams,
    response: resolutionResult,
    async handle({ params, principal }) {
      if (!DID.test(params.did)) throw badRequest('did', `${params.did} is not a DID (did:<method>:<id>)`)
      const resolution = await services.resolver.resolve(principal().walletId, params.did)
      return {
        did_document: resolution.didDocument,
        metadata: {
          resolver_type: 'native' as const,
          resolver: `credo:${resolution.method}`,
          retrieved_time: resolution.retrievedTime,
          duration: resolution.durationMs,
        },
        document_metadata: resolution.documentMetadata,
      }
    },
  }),
]

export const resolverRoutes = (deps: RoomDeps) => mountRoutes(deps, resolverRouteDeclarations(deps), parse)
