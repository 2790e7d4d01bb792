// Proven face: the events of a tenant's changes that are the controller API's own — its issuance
// and verification request records (`issuance_request`, `verification_request`), each in the shape
// its room answers with. events/tenantEvents.ts calls this for every change; the ACA-Py face
// (src/acapy/events.ts) shows the rest.
import type { FaceEventMapper } from '../../events/tenantEvents'
import type { RequestRecord } from '../../services/controllerRequests'
import { toAnonCredsIssuanceRecord, toJsonLdIssuanceRecord } from '../credentials/mappers'
import { toAnonCredsVerificationRecord, toJsonLdVerificationRecord } from '../verifications/mappers'

export function toRequestRecordEvent(record: RequestRecord): { topic: string; payload: Record<string, unknown> } {
  if (record.kind === 'anoncreds-verification') return { topic: 'verification_request', payload: toAnonCredsVerificationRecord(record) }
  if (record.kind === 'jsonld-verification') return { topic: 'verification_request', payload: toJsonLdVerificationRecord(record) }
  if (record.kind === 'jsonld-issuance') return { topic: 'issuance_request', payload: toJsonLdIssuanceRecord(record) }
  return { topic: 'issuance_request', payload: toAnonCredsIssuanceRecord(record) }
}

export const controllerEventMapper: FaceEventMapper = (_walletId, change) => (change.kind === 'request-record' ? [toRequestRecordEvent(change.record)] : [])
