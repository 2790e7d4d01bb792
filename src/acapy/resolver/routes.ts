// ACA-Py face, resolver room (reference §13): 404 not found, 501 method not supported.
// Declared as data (http/route.ts).
import { badRequest } from '../../errors'
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toResolutionResult } from './mappers'
import { DID, didParams, resolutionResult } from './schemas'

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
      return toResolutionResult(await services.resolver.resolve(principal().walletId, params.did))
    },
  }),
]
