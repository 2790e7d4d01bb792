// What credential and presentation exchanges share: finding one (404), checking the state a step
// needs, keeping our flags on it, failing it, listing, deleting. The credential and proof services
// each describe their kind of exchange once (`ExchangeKind`) and take these helpers for it.
//
// A step that sends needs the exchange's connection, ready (ACA-Py: 403 otherwise).
//
// ACA-Py abandons an exchange on which its own side sends a problem report; Credo only sends the
// report and leaves the record as it was. So the record is abandoned here, with the reason, and its
// state change announced as Credo would.
import { DidExchangeState, EventEmitter, MessageSendingError, RecordNotFoundError, type BaseRecord } from '../agent/credo'

import { badRequest, forbidden, notFoundError } from '../errors'
import type { TenantAgent } from './tenants'

/** Our metadata on a Credo exchange record (credential or presentation). */
export const EXCHANGE_METADATA_KEY = 'credence:exchange'

/** What a Credo credential or proof exchange record has that the helpers use. */
export interface ExchangeRecord<S extends string = string> extends BaseRecord {
  state: S
  connectionId?: string
  errorMessage?: string
}

/** One kind of exchange, as the helpers need it: its Credo API, its states and events. */
export interface ExchangeKind<R extends ExchangeRecord<S>, S extends string, V> {
  /** How messages name one (`Credential exchange`). */
  name: string
  /** The request field that names an exchange, for errors about its state. */
  idField: string
  api(tenantAgent: TenantAgent): {
    findById(id: string): Promise<R | null>
    update(record: R): Promise<void>
    findAllByQuery(query: never): Promise<R[]>
  }
  deleteById(tenantAgent: TenantAgent, id: string): Promise<void>
  sendProblemReport(tenantAgent: TenantAgent, id: string, description: string): Promise<unknown>
  /** The exchange as the faces show it. */
  view(tenantAgent: TenantAgent, record: R): Promise<V>
  /** A face's role names (`issuer`) → Credo's roles. */
  roles: Record<string, string>
  /** Abandoned, and the state ACA-Py also calls abandoned (declined). */
  abandoned: S
  declined: S
  /** Credo's state-change event, and the payload key of its record. */
  eventType: string
  payloadKey: 'credentialRecord' | 'proofRecord'
}

export interface ExchangeQuery {
  connectionId?: string
  threadId?: string
  role?: string
  state?: string
}

/** The shared steps of one kind of exchange. */
export function exchangeHelpers<R extends ExchangeRecord<S>, S extends string, V>(kind: ExchangeKind<R, S, V>) {
  async function find(tenantAgent: TenantAgent, id: string): Promise<R> {
    const record = await kind.api(tenantAgent).findById(id)
    if (!record) throw notFoundError(`${kind.name} ${id} not found`)
    return record
  }

  return {
    find,

    /** Refuses a step the exchange's state does not allow (Credo's own check gives a less helpful error). */
    assertState(record: R, allowed: readonly S[], step: string): void {
      if (!allowed.includes(record.state)) {
        throw badRequest(kind.idField, `${kind.name} ${record.id} is in state ${record.state}; ${step} needs ${allowed.join(' or ')}`)
      }
    },

    /**
     * Keeps our flags on the exchange once Credo's step succeeded: on the record as stored now, not
     * on the copy the step started from, which a quick peer may already have moved on. `also` sets
     * more metadata on the same write.
     */
    async keepFlags<F>(tenantAgent: TenantAgent, id: string, flags: F, also?: (record: R) => void): Promise<R> {
      const fresh = await find(tenantAgent, id)
      fresh.metadata.set(EXCHANGE_METADATA_KEY, flags as Record<string, unknown>)
      also?.(fresh)
      await kind.api(tenantAgent).update(fresh)
      return fresh
    },

    /**
     * Reports `reason` to the peer (when there is one; an exchange made for an invitation has no one
     * to report to yet) and abandons the exchange with it. The connection must be ready, unless the
     * report may go undelivered (`evenIfUndelivered`: the exchange is abandoned all the same).
     */
    async fail(tenantAgent: TenantAgent, record: R, reason: string, options: { evenIfUndelivered?: boolean } = {}): Promise<void> {
      if (record.connectionId) {
        if (!options.evenIfUndelivered) await assertConnectionReady(tenantAgent, record, kind.name.toLowerCase())
        try {
          await kind.sendProblemReport(tenantAgent, record.id, reason)
        } catch (error) {
          if (!(options.evenIfUndelivered && error instanceof MessageSendingError)) throw error
        }
      }
      await abandonWithReason(tenantAgent, record, reason, {
        abandoned: kind.abandoned,
        save: (abandoned) => kind.api(tenantAgent).update(abandoned),
        eventType: kind.eventType,
        payloadKey: kind.payloadKey,
      })
    },

    async list(tenantAgent: TenantAgent, query: ExchangeQuery): Promise<V[]> {
      const records = await kind.api(tenantAgent).findAllByQuery({
        ...(query.connectionId ? { connectionId: query.connectionId } : {}),
        ...(query.threadId ? { threadId: query.threadId } : {}),
        ...(query.role ? { role: kind.roles[query.role] } : {}),
        // ACA-Py's `abandoned` is also Credo's `declined`.
        ...(query.state === 'abandoned' ? { $or: [{ state: kind.abandoned }, { state: kind.declined }] } : query.state ? { state: query.state } : {}),
      } as never)
      return Promise.all(records.map((record) => kind.view(tenantAgent, record)))
    },

    /** Deletes the exchange; returns it as it was shown before. */
    async delete(tenantAgent: TenantAgent, id: string): Promise<V> {
      const shown = await kind.view(tenantAgent, await find(tenantAgent, id))
      try {
        await kind.deleteById(tenantAgent, id)
      } catch (error) {
        // Removed meanwhile (auto_remove): as gone as it can be.
        if (error instanceof RecordNotFoundError) throw notFoundError(`${kind.name} ${id} not found`)
        throw error
      }
      return shown
    },
  }
}

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
