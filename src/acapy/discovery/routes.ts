// ACA-Py face, discover features 2.0 room (reference §13). Declared as data (http/route.ts).
import { route } from '../../http/route'
import type { RoomDeps } from '../../http/roomDeps'
import { toDiscoveryRecord } from './mappers'
import { discoveryRecord, discoveryRecords, queriesQuery, recordsQuery } from './schemas'

export const discoveryRouteDeclarations = ({ services }: RoomDeps) => [
  route({
    method: 'GET',
    path: '/discover-features-2.0/queries',
    auth: 'requireTenant',
    summary: 'Query the features a connection supports, or this wallet its own',
    query: queriesQuery,
    // The record itself, as ACA-Py's route answers (its OpenAPI document says `{results}`, which
    // a client generated from it reads as a record with no results).
    response: discoveryRecord,
    // This query names the connection as the controller face does.
    errorFields: { connectionId: 'connection_id' },
    async handle({ query, principal }) {
      const record = await services.discovery.query(principal().walletId, {
        connectionId: query.connection_id,
        protocol: query.query_protocol,
        goalCode: query.query_goal_code,
      })
      return toDiscoveryRecord(record)
    },
  }),
  route({
    method: 'GET',
    path: '/discover-features-2.0/records',
    auth: 'requireTenant',
    summary: 'Discovery exchange records',
    query: recordsQuery,
    response: discoveryRecords,
    async handle({ query, principal }) {
      return { results: (await services.discovery.records(principal().walletId, query.connection_id)).map(toDiscoveryRecord) }
    },
  }),
]
