// ACA-Py face: V20DiscoveryRecord (reference §13).
import type { DiscoveryRecord } from '../../services/discovery'
import { acapyTimestamp, dropNullish } from '../serialization'

export function toDiscoveryRecord(record: DiscoveryRecord) {
  return dropNullish({
    discovery_exchange_id: record.discoveryExchangeId,
    connection_id: record.connectionId,
    queries_msg: record.queriesMsg,
    disclosures: { disclosures: record.disclosures },
    state: record.state,
    trace: false,
    created_at: acapyTimestamp(record.createdAt),
    updated_at: acapyTimestamp(record.updatedAt),
  })
}
