// Discover features 2.0 for one wallet: ask a connection what it supports (or ourselves, as ACA-Py
// does without a connection) and keep the answer as a discovery record in the tenant's wallet.
import { FeatureRegistry, utils, type Feature } from '../agent/credo'

import { badRequest, notFoundError } from '../errors'
import type { TenantEventBus } from '../events/tenantEvents'
import type { TenantService } from './tenants'

const RECORD_TYPE = 'credence-discovery-v2'
const DISCLOSURE_TIMEOUT_MS = 7000

export interface DiscoveryRecord {
  discoveryExchangeId: string
  connectionId?: string
  queriesMsg: Record<string, unknown>
  disclosures: { 'feature-type': string; id: string; roles?: string[] }[]
  /** The disclosures message's `@id` (records kept before it was stored have none). */
  disclosuresMsgId?: string
  state: 'query-sent' | 'done'
  createdAt: string
  updatedAt: string
}

const toDisclosure = (feature: Feature) => ({
  'feature-type': feature.type,
  id: feature.id,
  ...((feature as Feature & { roles?: string[] }).roles ? { roles: (feature as Feature & { roles?: string[] }).roles } : {}),
})

export function discoveryService(deps: { tenants: TenantService; events: TenantEventBus }) {
  const { tenants, events } = deps
  return {
    async query(walletId: string, input: { connectionId?: string; protocol: string; goalCode: string }): Promise<DiscoveryRecord> {
      const queries = [
        { featureType: 'protocol', match: input.protocol },
        { featureType: 'goal-code', match: input.goalCode },
      ]
      // What was asked, in the message's terms (Credo does not hand out the message it sends); as in
      // ACA-Py, the exchange's id is the thread's.
      const discoveryExchangeId = utils.uuid()
      const queriesMsg = {
        '@type': 'https://didcomm.org/discover-features/2.0/queries',
        '@id': utils.uuid(),
        '~thread': { thid: discoveryExchangeId },
        queries: queries.map((query) => ({ 'feature-type': query.featureType, match: query.match })),
      }
      const record = await tenants.withTenant(walletId, async (tenantAgent) => {
        let features: Feature[] = []
        let answered = true
        if (input.connectionId) {
          const connection = await tenantAgent.connections.findById(input.connectionId)
          if (!connection) throw notFoundError(`Connection ${input.connectionId} not found`)
          if (!connection.isReady) throw badRequest('connectionId', `Connection ${input.connectionId} not ready`)
          try {
            const result = await tenantAgent.discovery.queryFeatures({
              connectionId: input.connectionId,
              protocolVersion: 'v2',
              queries,
              awaitDisclosures: true,
              awaitDisclosuresTimeoutMs: DISCLOSURE_TIMEOUT_MS,
            })
            features = result.features ?? []
          } catch (error) {
            // No disclosure in time: the record says the query was sent and nothing came back.
            if ((error as Error).name !== 'TimeoutError') throw error
            answered = false
          }
        } else {
          features = tenantAgent.dependencyManager.resolve(FeatureRegistry).query(...queries)
        }
        const now = new Date().toISOString()
        const discovery: DiscoveryRecord = {
          discoveryExchangeId,
          connectionId: input.connectionId,
          queriesMsg,
          disclosures: features.map(toDisclosure),
          disclosuresMsgId: answered ? utils.uuid() : undefined,
          state: answered ? 'done' : 'query-sent',
          createdAt: now,
          updatedAt: now,
        }
        await tenantAgent.genericRecords.save({
          id: discovery.discoveryExchangeId,
          content: discovery as unknown as Record<string, unknown>,
          tags: { type: RECORD_TYPE, connectionId: input.connectionId ?? '' },
        })
        return discovery
      })
      events.publish(walletId, { kind: 'discovery', record })
      return record
    },

    async records(walletId: string, connectionId?: string): Promise<DiscoveryRecord[]> {
      const records = await tenants.withTenant(walletId, (tenantAgent) =>
        tenantAgent.genericRecords.findAllByQuery({ type: RECORD_TYPE, ...(connectionId ? { connectionId } : {}) }),
      )
      return records.map((record) => record.content as unknown as DiscoveryRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    },
  }
}

export type DiscoveryService = ReturnType<typeof discoveryService>
