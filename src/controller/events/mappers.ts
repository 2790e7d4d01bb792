// Proven face: the events of a tenant's changes that are the controller API's own — its issuance
// and verification request records, with the credentials room's mappers (`issuance_request`,
// `verification_request`). events/tenantEvents.ts calls this for every change; the ACA-Py face
// (src/acapy/events.ts) shows the rest.
import { toRequestRecordEvent } from '../credentials/mappers'
import type { FaceEventMapper } from '../../events/tenantEvents'

export const controllerEventMapper: FaceEventMapper = (_walletId, change) => (change.kind === 'request-record' ? [toRequestRecordEvent(change.record)] : [])
