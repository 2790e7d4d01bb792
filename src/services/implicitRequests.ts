// Requests to a wallet's public DID (implicit invitations), accepted as ACA-Py accepts them under
// --auto-accept-requests (or a tenant's ACAPY_AUTO_ACCEPT_REQUESTS): seed 000's "configured to
// auto-accept connections". Credo makes such a request's out-of-band record itself, with
// auto-accept off, so it waited at request-received for a manual accept-request. An explicit
// invitation carries its own auto_accept, and is left to Credo.
import { ConnectionEventTypes, DidExchangeRole, DidExchangeState, type ConnectionStateChangedEvent } from '../agent/credo'

import type { CredenceAgent } from '../agent/createAgent'
import type { AppLogger } from '../logger'
import type { ConnectionService } from './connections'
import { isImplicit } from './outOfBand'
import type { TenantService } from './tenants'

/** Credo's request handler is still finishing when it reports the request: answer just after. */
const ANSWER_AFTER_MS = [50, 500]

export function acceptImplicitRequests(deps: {
  agent: CredenceAgent
  connections: ConnectionService
  tenants: TenantService
  /** Whether the wallet accepts requests by itself (its setting, else the server's). */
  autoAccepts(walletId: string): Promise<boolean>
  logger: AppLogger
}): () => void {
  const rootContext = deps.agent.context.contextCorrelationId
  const log = deps.logger.child({ component: 'implicit-requests' })

  async function answer(walletId: string, connectionId: string) {
    for (const [attempt, delay] of ANSWER_AFTER_MS.entries()) {
      await new Promise((resolve) => setTimeout(resolve, delay))
      try {
        await deps.connections.acceptRequest(walletId, connectionId)
        return
      } catch (error) {
        if (attempt === ANSWER_AFTER_MS.length - 1) log.warn({ err: error, walletId, connectionId }, 'could not accept a request to the public DID')
      }
    }
  }

  const listener = (event: ConnectionStateChangedEvent) => {
    const walletId = event.metadata.contextCorrelationId
    const record = event.payload.connectionRecord
    if (walletId === rootContext || record.role !== DidExchangeRole.Responder || record.state !== DidExchangeState.RequestReceived) return
    const { id: connectionId, outOfBandId } = record
    if (!outOfBandId) return
    void (async () => {
      const invitation = await deps.tenants.withTenant(walletId, (tenantAgent) => tenantAgent.oob.findById(outOfBandId))
      if (invitation && isImplicit(invitation) && (await deps.autoAccepts(walletId))) await answer(walletId, connectionId)
    })().catch((error: Error) => log.warn({ err: error, walletId }, 'could not check a request to the public DID'))
  }
  deps.agent.events.on<ConnectionStateChangedEvent>(ConnectionEventTypes.ConnectionStateChanged, listener)
  return () => deps.agent.events.off<ConnectionStateChangedEvent>(ConnectionEventTypes.ConnectionStateChanged, listener)
}
