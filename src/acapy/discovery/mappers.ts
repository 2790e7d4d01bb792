// ACA-Py face: V20DiscoveryRecord (reference §13).
import type { z } from 'zod'

import type { DiscoveryRecord } from '../../services/discovery'
import { acapyTimestamp } from '../serialization'
import type { discoveryRecord } from './schemas'

export function toDiscoveryRecord(record: DiscoveryRecord): z.input<typeof discoveryRecord> {
  return {
    discovery_exchange_id: record.discoveryExchangeId,
    ...(record.connectionId ? { connection_id: record.connectionId } : {}),
    queries_msg: record.queriesMsg,
    // The disclosures message as ACA-Py shows it; none while the query is unanswered.
    ...(record.state === 'done'
      ? {
          disclosures: {
            '@type': 'https://didcomm.org/discover-features/2.0/disclosures',
            ...(record.disclosuresMsgId ? { '@id': record.disclosuresMsgId } : {}),
            '~thread': { thid: record.discoveryExchangeId },
            disclosures: record.disclosures,
          },
        }
      : {}),
    state: record.state,
    trace: false,
    created_at: acapyTimestamp(record.createdAt),
    updated_at: acapyTimestamp(record.updatedAt),
  }
}
