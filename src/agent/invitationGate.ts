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
  DidExchangeRequestMessage,
  DidExchangeState,
  DidKey,
  IndyAgentService,
  Key,
  KeyType,
  MessageSender,
  OutboundMessageContext,
  OutOfBandService,
  TypedArrayEncoder,
} from '@credo-ts/core'
import {
  ConnectionProblemReportReason,
  DidCommDocumentService,
  DidExchangeProblemReportReason,
  tryParseDid,
  type ResolvedDidCommService,
} from './credoInternals'

import type { AppLogger } from '../logger'
import { Rfc0023DidExchangeProblemReport } from './didExchangeProblemReports'

/**
 * Why the invitation takes no more connections now, or undefined to let the request through;
 * `liveConnectionIds` are its connections that have not failed.
 */
export type InvitationGate = (walletId: string, outOfBandId: string, liveConnectionIds: string[]) => Promise<string | undefined>

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
  // did:peer:1 and ACA-Py's unqualified DIDs resolve only from the document the request attaches.
  const attached = message.didDoc?.getDataAsJson<AttachedDidDoc>()
  if (attached) return servicesOfAttachedDoc(attached)
  return agentContext.dependencyManager.resolve(DidCommDocumentService).resolveServicesFromDid(agentContext, message.did)
}

/** A DID document attached to a request: DID-core (did:peer:1) or the legacy shape ACA-Py sends. */
interface AttachedDidDoc {
  service?: Array<{ id?: string; serviceEndpoint?: unknown; recipientKeys?: string[]; routingKeys?: string[] }>
  verificationMethod?: Array<{ id?: string; publicKeyBase58?: string }>
  publicKey?: Array<{ id?: string; publicKeyBase58?: string }>
}

/** Only where to send the report is taken from it; nothing is stored or trusted beyond that. */
function servicesOfAttachedDoc(doc: AttachedDidDoc): ResolvedDidCommService[] {
  const keys = [...(doc.verificationMethod ?? []), ...(doc.publicKey ?? [])]
  const keyOf = (reference: string): Key => {
    if (reference.startsWith('did:key:')) return DidKey.fromDid(reference.split('#')[0]).key
    const fragment = reference.includes('#') ? reference.slice(reference.indexOf('#')) : undefined
    const base58 = fragment ? keys.find((key) => key.id?.endsWith(fragment))?.publicKeyBase58 : reference
    if (!base58) throw new Error(`key ${reference} is not in the attached DID document`)
    return Key.fromPublicKey(TypedArrayEncoder.fromBase58(base58), KeyType.Ed25519)
  }
  return (doc.service ?? [])
    .filter((service) => typeof service.serviceEndpoint === 'string' && (service.recipientKeys?.length ?? 0) > 0)
    .map((service, index) => ({
      id: service.id ?? `#attached-${index}`,
      serviceEndpoint: service.serviceEndpoint as string,
      recipientKeys: service.recipientKeys!.map(keyOf),
      routingKeys: (service.routingKeys ?? []).map(keyOf),
    }))
}

function problemReportFor(message: DidExchangeRequestMessage | ConnectionRequestMessage, reason: string) {
  if (message instanceof ConnectionRequestMessage) {
    const report = new ConnectionProblemReportMessage({ description: { code: ConnectionProblemReportReason.RequestNotAccepted, en: reason } })
    report.setThread({ threadId: message.threadId })
    return report
  }
  const report = new Rfc0023DidExchangeProblemReport({ description: { code: DidExchangeProblemReportReason.RequestNotAccepted, en: reason } })
  report.setThread({ threadId: message.threadId, parentThreadId: message.thread?.parentThreadId })
  return report
}

export class InvitationGateway {
  private readonly queue = new KeyedQueue()

  /** `gate` is the rules' owner (the controller API's invitations). */
  constructor(
    private readonly logger: AppLogger,
    private readonly gate: InvitationGate,
  ) {}

  /** Installed before the agent starts taking messages. */
  install(agent: Agent): void {
    const rootContextId = agent.context.contextCorrelationId
    agent.dependencyManager.registerMessageHandlerMiddleware(async (inbound: InboundMessageContext, next) => {
      const { message, agentContext, recipientKey } = inbound
      const isRequest = message instanceof DidExchangeRequestMessage || message instanceof ConnectionRequestMessage
      if (!isRequest || !recipientKey || agentContext.contextCorrelationId === rootContextId) return next()
      const parentThreadId = message.thread?.parentThreadId
      // A request to a public DID (implicit invitation) is under no invitation's rules; Credo makes
      // an out-of-band record for each such request, so the DID names many records, not one.
      if (message instanceof DidExchangeRequestMessage && parentThreadId && tryParseDid(parentThreadId)) return next()
      const outOfBand = agentContext.dependencyManager.resolve(OutOfBandService)
      const invitation =
        message instanceof DidExchangeRequestMessage
          ? parentThreadId && (await outOfBand.findByCreatedInvitationId(agentContext, parentThreadId))
          : await outOfBand.findCreatedByRecipientKey(agentContext, recipientKey)
      if (!invitation) return next()
      const walletId = agentContext.contextCorrelationId
      await this.queue.run(`${walletId} ${invitation.id}`, async () => {
        const made = await agentContext.dependencyManager.resolve(ConnectionService).findAllByQuery(agentContext, { outOfBandId: invitation.id })
        const live = made.filter((connection) => connection.state !== DidExchangeState.Abandoned).map((connection) => connection.id)
        const refusal = await this.gate(walletId, invitation.id, live)
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
