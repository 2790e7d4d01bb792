// The agent enforces the controller API's invitation rules itself: before Credo takes a connection
// request (DID exchange, or RFC 0160 for CV1 invitations) for one of a tenant's invitations, the
// gate is asked whether the invitation still admits a connection. A refused request never becomes
// a connection: the requester gets a problem report threaded to its request, as a refused request
// in ACA-Py does, and nothing is written here.
//
// Requests for one invitation pass one at a time (in this process), so two requests arriving
// together cannot both take an invitation's last use.
import {
  type Agent,
  type AgentContext,
  type InboundMessageContext,
  ConnectionProblemReportMessage,
  ConnectionRequestMessage,
  ConnectionService,
  DidExchangeProblemReportMessage,
  DidExchangeRequestMessage,
  DidExchangeState,
  IndyAgentService,
  Key,
  KeyType,
  MessageSender,
  OutboundMessageContext,
  OutOfBandService,
  TypedArrayEncoder,
} from '@credo-ts/core'
import { ConnectionProblemReportReason, DidExchangeProblemReportReason } from '@credo-ts/core/build/modules/connections/errors'
import { DidCommDocumentService, type ResolvedDidCommService } from '@credo-ts/core/build/modules/didcomm'

import type { AppLogger } from '../logger'

/** Why the invitation takes no more connections now, or undefined to let the request through. */
export type InvitationGate = (walletId: string, outOfBandId: string, inFlight: number) => Promise<string | undefined>

const FINISHED = new Set([DidExchangeState.Completed, DidExchangeState.Abandoned])

class KeyedQueue {
  private tails = new Map<string, Promise<unknown>>()
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(fn, fn)
    const tail = result.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }
}

/** The requester's services, from the DID it sent (did:peer:2/4, did:web…) or its RFC 0160 DID doc. */
async function requesterServices(agentContext: AgentContext, message: DidExchangeRequestMessage | ConnectionRequestMessage): Promise<ResolvedDidCommService[]> {
  if (message instanceof ConnectionRequestMessage) {
    return (message.connection.didDoc?.didCommServices ?? [])
      .filter((service): service is IndyAgentService => service instanceof IndyAgentService)
      .map((service) => ({
        id: service.id,
        serviceEndpoint: service.serviceEndpoint,
        recipientKeys: service.recipientKeys.map((key) => Key.fromPublicKey(TypedArrayEncoder.fromBase58(key), KeyType.Ed25519)),
        routingKeys: (service.routingKeys ?? []).map((key) => Key.fromPublicKey(TypedArrayEncoder.fromBase58(key), KeyType.Ed25519)),
      }))
  }
  return agentContext.dependencyManager.resolve(DidCommDocumentService).resolveServicesFromDid(agentContext, message.did)
}

function problemReportFor(message: DidExchangeRequestMessage | ConnectionRequestMessage, reason: string) {
  if (message instanceof ConnectionRequestMessage) {
    const report = new ConnectionProblemReportMessage({ description: { code: ConnectionProblemReportReason.RequestNotAccepted, en: reason } })
    report.setThread({ threadId: message.threadId })
    return report
  }
  const report = new DidExchangeProblemReportMessage({ description: { code: DidExchangeProblemReportReason.RequestNotAccepted, en: reason } })
  report.setThread({ threadId: message.threadId, parentThreadId: message.thread?.parentThreadId })
  return report
}

export class InvitationGateway {
  private gate: InvitationGate | undefined
  private readonly queue = new KeyedQueue()

  constructor(private readonly logger: AppLogger) {}

  /** The rules' owner, known once the relational store is open; until then every request passes. */
  attach(gate: InvitationGate): void {
    this.gate = gate
  }

  install(agent: Agent): void {
    const rootContextId = agent.context.contextCorrelationId
    agent.dependencyManager.registerMessageHandlerMiddleware(async (inbound: InboundMessageContext, next) => {
      const { message, agentContext, recipientKey } = inbound
      const isRequest = message instanceof DidExchangeRequestMessage || message instanceof ConnectionRequestMessage
      const gate = this.gate
      if (!isRequest || !gate || !recipientKey || agentContext.contextCorrelationId === rootContextId) return next()
      const outOfBand = agentContext.dependencyManager.resolve(OutOfBandService)
      const invitation =
        message instanceof DidExchangeRequestMessage
          ? message.thread?.parentThreadId && (await outOfBand.findByCreatedInvitationId(agentContext, message.thread.parentThreadId))
          : await outOfBand.findCreatedByRecipientKey(agentContext, recipientKey)
      if (!invitation) return next()
      const walletId = agentContext.contextCorrelationId
      await this.queue.run(`${walletId} ${invitation.id}`, async () => {
        const made = await agentContext.dependencyManager.resolve(ConnectionService).findAllByQuery(agentContext, { outOfBandId: invitation.id })
        const inFlight = made.filter((connection) => !FINISHED.has(connection.state)).length
        const refusal = await gate(walletId, invitation.id, inFlight)
        if (!refusal) return next()
        await this.refuse(agentContext, message, recipientKey, refusal).catch((error: Error) =>
          this.logger.warn({ walletId, err: error }, 'could not send the problem report of a refused connection request'),
        )
      })
    })
  }

  private async refuse(agentContext: AgentContext, message: DidExchangeRequestMessage | ConnectionRequestMessage, ourKey: Key, reason: string) {
    this.logger.info({ walletId: agentContext.contextCorrelationId, reason }, 'connection request refused by invitation rules')
    const [service] = await requesterServices(agentContext, message)
    if (!service) throw new Error('the requester named no DIDComm service')
    await agentContext.dependencyManager
      .resolve(MessageSender)
      .sendMessage(new OutboundMessageContext(problemReportFor(message, reason), { agentContext, serviceParams: { service, senderKey: ourKey } }))
  }
}
