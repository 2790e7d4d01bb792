// What credential and presentation exchanges share.
//
// A step that sends needs the exchange's connection, ready (ACA-Py: 403 otherwise).
//
// ACA-Py abandons an exchange on which its own side sends a problem report; Credo only sends the
// report and leaves the record as it was. So the record is abandoned here, with the reason, and its
// state change announced as Credo would.
import { DidExchangeState, EventEmitter } from '@credo-ts/core'

import { forbidden, notFoundError } from '../errors'
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

/** The connection a new exchange is to start on: 404 when unknown, 403 until it is complete. */
export async function assertConnectionToStartOn(tenantAgent: TenantAgent, connectionId: string): Promise<void> {
  const connection = await tenantAgent.connections.findById(connectionId)
  if (!connection) throw notFoundError(`Connection ${connectionId} not found`)
  if (connection.state !== DidExchangeState.Completed) throw forbidden(`Connection ${connectionId} is not ready (state ${connection.state})`)
}

/** Refuses (403) a step on an exchange whose connection is gone or not ready; connectionless ones pass. */
export async function assertConnectionReady(tenantAgent: TenantAgent, record: { id: string; connectionId?: string }, what: string): Promise<void> {
  if (!record.connectionId) return
  const connection = await tenantAgent.connections.findById(record.connectionId)
  if (!connection || connection.state !== DidExchangeState.Completed) {
    throw forbidden(`The connection ${record.connectionId} of ${what} ${record.id} is ${connection ? `not ready (state ${connection.state})` : 'gone'}`)
  }
}
