// ACA-Py face: V20DiscoveryRecord (reference §13).
import type { DiscoveryRecord } from '../../services/discovery'
import { acapyTimestamp, dropNullish } from '../serialization'

export function toDiscoveryRecord(record: DiscoveryRecord) {
  return dropNullish({
    discovery_exchange_id: record.discoveryExchangeId,
    connection_id: record.connectionId,
    queries_msg: record.queriesMsg,
    // The disclosures message as ACA-Py shows it; none while the query is unanswered.
    disclosures:
      record.state === 'done'
        ? dropNullish({
            '@type': 'https://didcomm.org/discover-features/2.0/disclosures',
            '@id': record.disclosuresMsgId,
            '~thread': { thid: record.discoveryExchangeId },
            disclosures: record.disclosures,
          })
        : undefined,
    state: record.state,
    trace: false,
    created_at: acapyTimestamp(record.createdAt),
    updated_at: acapyTimestamp(record.updatedAt),
  })
}
