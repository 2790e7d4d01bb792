// Credo 0.5 sends DID exchange problem reports but has no handler for receiving them, so a request
// the other side rejected would stay in request-sent for ever. This handler abandons the
// connection the report is threaded to, with the reported reason, as ACA-Py does. The report must
// arrive on one of our keys of that connection: nobody else can abandon it.
//
// Credo names the message `problem-report`; RFC 0023 and ACA-Py say `problem_report`, and ACA-Py
// refuses Credo's spelling as an unknown type. Credence sends RFC 0023's and takes both.
import {
  type Agent,
  type MessageHandler,
  type MessageHandlerInboundMessage,
  ConnectionService,
  DidExchangeProblemReportMessage,
  DidExchangeState,
  DidRepository,
  IsValidMessageType,
  MessageHandlerRegistry,
  parseMessageType,
} from '@credo-ts/core'

/** The DID exchange problem report as RFC 0023 (and ACA-Py) names it. */
export class Rfc0023DidExchangeProblemReport extends DidExchangeProblemReportMessage {
  public static override readonly type = parseMessageType('https://didcomm.org/didexchange/1.1/problem_report')
  @IsValidMessageType(Rfc0023DidExchangeProblemReport.type)
  public override readonly type = Rfc0023DidExchangeProblemReport.type.messageTypeUri
}

class DidExchangeProblemReportHandler implements MessageHandler {
  public readonly supportedMessages = [DidExchangeProblemReportMessage, Rfc0023DidExchangeProblemReport]

  public async handle(messageContext: MessageHandlerInboundMessage<DidExchangeProblemReportHandler>) {
    const { agentContext, message, recipientKey } = messageContext
    const connections = agentContext.dependencyManager.resolve(ConnectionService)
    const connection = await connections.getByThreadId(agentContext, message.threadId).catch(() => undefined)
    if (!connection || !recipientKey || connection.state === DidExchangeState.Completed) return undefined
    const ourDid = await agentContext.dependencyManager.resolve(DidRepository).findCreatedDidByRecipientKey(agentContext, recipientKey)
    if (!ourDid || ourDid.did !== connection.did) return undefined
    const { code, en } = message.description
    connection.errorMessage = en ? `${code}: ${en}` : code
    await connections.updateState(agentContext, connection, DidExchangeState.Abandoned)
    return undefined
  }
}

export function handleDidExchangeProblemReports(agent: Agent): void {
  agent.dependencyManager.resolve(MessageHandlerRegistry).registerMessageHandler(new DidExchangeProblemReportHandler())
}
