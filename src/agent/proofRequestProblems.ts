// present-proof 2.0 as ACA-Py's prover answers a request it cannot serve. Credo 0.5 throws while
// processing a request whose DIF definition it cannot read, before any record exists, and an
// automatic answer (auto_present) that cannot be built throws after; either way the dispatcher
// only logs it, and the verifier waits for ever. ACA-Py records the exchange, sends a problem
// report and abandons it with the reason (v2_0/handlers/pres_request_handler.py); so does this
// protocol, through its own request handler in place of Credo's.
import {
  type AgentContext,
  type DependencyManager,
  type FeatureRegistry,
  type MessageHandler,
  type MessageHandlerInboundMessage,
  ConnectionService,
  DidCommMessageRepository,
  DidCommMessageRole,
  DifPresentationExchangeError,
  DifPresentationExchangeService,
  ProofExchangeRecord,
  ProofRepository,
  ProofRole,
  ProofState,
  V2ProofProtocol,
  V2RequestPresentationMessage,
  getOutboundMessageContext,
} from '@credo-ts/core'

const DIF_DEFINITIONS = 'dif/presentation-exchange/definitions@v1.0'

/** Why the request's DIF attachment is not a definition we can evaluate; undefined when it is (or there is none). */
function unreadableDifRequest(agentContext: AgentContext, message: V2RequestPresentationMessage): string | undefined {
  const format = message.formats.find((f) => f.format === DIF_DEFINITIONS)
  if (!format) return undefined
  try {
    const attachment = message.getRequestAttachmentById(format.attachmentId)
    if (!attachment) return `The request has no attachment ${format.attachmentId} for its ${DIF_DEFINITIONS} format`
    const data = attachment.getDataAsJson<{ presentation_definition?: unknown }>()
    if (!data?.presentation_definition || typeof data.presentation_definition !== 'object') return 'The request has no presentation_definition'
    agentContext.dependencyManager.resolve(DifPresentationExchangeService).validatePresentationDefinition(data.presentation_definition as never)
    return undefined
  } catch (error) {
    const details = error instanceof DifPresentationExchangeError ? ([] as unknown[]).concat(error.additionalMessages ?? []).join('; ') : ''
    return `${(error as Error).message}${details ? `: ${details}` : ''}`
  }
}

class AnsweringRequestPresentationHandler implements MessageHandler {
  public readonly supportedMessages = [V2RequestPresentationMessage]

  public constructor(private readonly protocol: InteropV2ProofProtocol) {}

  public async handle(messageContext: MessageHandlerInboundMessage<AnsweringRequestPresentationHandler>) {
    const { agentContext, message } = messageContext
    const unreadable = unreadableDifRequest(agentContext, message)
    if (unreadable) return this.abandon(messageContext, await this.recordUnreadable(messageContext), `Unable to read the presentation request: ${unreadable}`)

    const proofRecord = await this.protocol.processRequest(messageContext)
    if (!(await this.protocol.shouldAutoRespondToRequest(agentContext, { proofRecord, requestMessage: message }))) return undefined
    try {
      const { message: presentation } = await this.protocol.acceptRequest(agentContext, { proofRecord })
      return getOutboundMessageContext(agentContext, { message: presentation, lastReceivedMessage: message, associatedRecord: proofRecord, connectionRecord: messageContext.connection })
    } catch (error) {
      agentContext.config.logger.warn(`Could not answer presentation request ${message.id} automatically`, { error })
      return this.abandon(messageContext, proofRecord, `Unable to build the presentation: ${(error as Error).message}`)
    }
  }

  /** The exchange as request-received (as Credo would have stored it), with the request message. */
  private async recordUnreadable(messageContext: MessageHandlerInboundMessage<AnsweringRequestPresentationHandler>): Promise<ProofExchangeRecord> {
    const { agentContext, message, connection } = messageContext
    await agentContext.dependencyManager.resolve(ConnectionService).assertConnectionOrOutOfBandExchange(messageContext)
    const repository = agentContext.dependencyManager.resolve(ProofRepository)
    // A request answering our proposal is on that exchange's record.
    const proposed = await repository.findSingleByQuery(agentContext, { threadId: message.threadId, role: ProofRole.Prover, connectionId: connection?.id })
    const record =
      proposed ??
      new ProofExchangeRecord({
        connectionId: connection?.id,
        threadId: message.threadId,
        parentThreadId: message.thread?.parentThreadId,
        state: ProofState.RequestReceived,
        role: ProofRole.Prover,
        protocolVersion: 'v2',
      })
    await agentContext.dependencyManager
      .resolve(DidCommMessageRepository)
      .saveOrUpdateAgentMessage(agentContext, { agentMessage: message, role: DidCommMessageRole.Receiver, associatedRecordId: record.id })
    if (proposed) {
      await this.protocol.updateState(agentContext, proposed, ProofState.RequestReceived)
    } else {
      await repository.save(agentContext, record)
      this.protocol.announceNew(agentContext, record)
    }
    return record
  }

  /** Abandoned with the reason here, and a problem report (code `abandoned`) to the verifier. */
  private async abandon(messageContext: MessageHandlerInboundMessage<AnsweringRequestPresentationHandler>, proofRecord: ProofExchangeRecord, reason: string) {
    const { agentContext, message, connection } = messageContext
    proofRecord.errorMessage = reason
    await this.protocol.updateState(agentContext, proofRecord, ProofState.Abandoned)
    const { message: report } = await this.protocol.createProblemReport(agentContext, { proofRecord, description: reason })
    return getOutboundMessageContext(agentContext, { message: report, lastReceivedMessage: message, associatedRecord: proofRecord, connectionRecord: connection })
  }
}

/** Credo's present-proof 2.0 with the request handler above in place of its own. */
export class InteropV2ProofProtocol extends V2ProofProtocol {
  public override register(dependencyManager: DependencyManager, featureRegistry: FeatureRegistry): void {
    const swapping = Object.create(dependencyManager) as DependencyManager
    swapping.registerMessageHandlers = (handlers: MessageHandler[]) =>
      dependencyManager.registerMessageHandlers(
        handlers.map((handler) => (handler.supportedMessages.includes(V2RequestPresentationMessage) ? new AnsweringRequestPresentationHandler(this) : handler)),
      )
    super.register(swapping, featureRegistry)
  }

  /** The event Credo emits for a record it creates (protected in Credo's typings). */
  public announceNew(agentContext: AgentContext, proofRecord: ProofExchangeRecord): void {
    this.emitStateChangedEvent(agentContext, proofRecord, null)
  }
}
