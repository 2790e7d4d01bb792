// What credential and presentation exchanges share. ACA-Py abandons an exchange on which its own
// side sends a problem report; Credo only sends the report and leaves the record as it was. So the
// record is abandoned here, with the reason, and its state change announced as Credo would.
import { EventEmitter } from '@credo-ts/core'

import type { TenantAgent } from './tenants'

interface AbandonableRecord {
  state: string
  errorMessage?: string
  clone(): this
}

export async function abandonWithReason<R extends AbandonableRecord>(
  tenantAgent: TenantAgent,
  record: R,
  reason: string,
  how: { abandoned: R['state']; save: (record: R) => Promise<void>; eventType: string; payloadKey: 'credentialRecord' | 'proofRecord' },
): Promise<void> {
  const previousState = record.state
  record.errorMessage = reason
  record.state = how.abandoned
  await how.save(record)
  tenantAgent.dependencyManager.resolve(EventEmitter).emit(tenantAgent.context, {
    type: how.eventType,
    payload: { [how.payloadKey]: record.clone(), previousState },
  })
}
