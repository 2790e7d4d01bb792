// JSON-LD contexts a wallet uploads for its credentials (a Credence addition; ACA-Py reads its own
// cache and the network). Listed with the URLs Credence ships, so a controller sees what resolves.
// Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toContextList } from './mappers'
import { contextList, removed, uploadBody, uploaded, urlQuery } from './schemas'

export const jsonLdRouteDeclarations = ({ services: { jsonLdContexts } }: RoomDeps) => [
  route({
    method: 'POST',
    path: '/jsonld/contexts',
    auth: 'requireTenant',
    summary: 'Upload a JSON-LD context for this wallet',
    body: uploadBody,
    response: uploaded,
    async handle({ body, principal }) {
      await jsonLdContexts.upload(principal().walletId, body.url, body.context)
      return { url: body.url }
    },
  }),
  route({
    method: 'GET',
    path: '/jsonld/contexts',
    auth: 'requireTenant',
    summary: "The wallet's uploaded JSON-LD contexts and those Credence ships",
    response: contextList,
    async handle({ principal }) {
      return toContextList(await jsonLdContexts.list(principal().walletId))
    },
  }),
  route({
    method: 'DELETE',
    path: '/jsonld/contexts',
    auth: 'requireTenant',
    summary: 'Remove an uploaded JSON-LD context',
    query: urlQuery,
    response: removed,
    async handle({ query, principal }) {
      await jsonLdContexts.remove(principal().walletId, query.url)
      return {}
    },
  }),
]
