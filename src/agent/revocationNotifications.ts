// Revocation notifications, RFC 0183 (v1) and RFC 0721 (v2), as ACA-Py sends and takes them. Credo
// 0.5 sends only v2, from a credential exchange that still exists, and on receipt looks the
// exchange up (ACA-Py and Credence remove finished ones by default) and reads only Indy-style
// revocation ids, so a notification about a did:web registry or a removed exchange is lost. Here a
// notification goes out on the connection the caller names, in either version, and one received
// on a connection is reported as it came (Credence's own event, which the event pipeline turns into
// ACA-Py's `revocation-notification` / `revocation-notification-v2` webhooks).
import {
  type Agent,
  type AgentContext,
  type BaseEvent,
  type MessageHandler,
  type MessageHandlerInboundMessage,
  ConnectionService,
  EventEmitter,
  getOutboundMessageContext,
  MessageHandlerRegistry,
  MessageSender,
} from '@credo-ts/core'

import { V1RevocationNotificationHandler, V1RevocationNotificationMessage, V2RevocationNotificationHandler, V2RevocationNotificationMessage } from './credoInternals'

export const REVOCATION_NOTIFICATION_RECEIVED = 'CredenceRevocationNotificationReceived'

export interface RevocationNotificationReceivedEvent extends BaseEvent {
  type: typeof REVOCATION_NOTIFICATION_RECEIVED
  payload: { connectionId: string } & ({ version: 'v1_0'; threadId: string; comment?: string } | { version: 'v2_0'; revocationFormat: string; credentialId: string; comment?: string })
}

export interface RevocationNotification {
  connectionId: string
  version: 'v1_0' | 'v2_0'
  revRegId: string
  credRevId: number
  /** v1's thread; ACA-Py's default is `indy::<rev_reg_id>::<cred_rev_id>`. */
  threadId?: string
  comment?: string
}

/** Sends a revocation notification to the holder on its connection. */
export async function sendRevocationNotification(agentContext: AgentContext, notification: RevocationNotification): Promise<void> {
  const { revRegId, credRevId, comment } = notification
  const connection = await agentContext.dependencyManager.resolve(ConnectionService).getById(agentContext, notification.connectionId)
  connection.assertReady()
  const message =
    notification.version === 'v1_0'
      ? new V1RevocationNotificationMessage({ issueThread: notification.threadId ?? `indy::${revRegId}::${credRevId}`, comment })
      : // ACA-Py's format name for AnonCreds revocation (RFC 0721 lists `indy-anoncreds`).
        new V2RevocationNotificationMessage({ revocationFormat: 'indy-anoncreds', credentialId: `${revRegId}::${credRevId}`, comment })
  const outbound = await getOutboundMessageContext(agentContext, { message, connectionRecord: connection })
  await agentContext.dependencyManager.resolve(MessageSender).sendMessage(outbound)
}

class RevocationNotificationObserver implements MessageHandler {
  public readonly supportedMessages = [V1RevocationNotificationMessage, V2RevocationNotificationMessage]

  public async handle(messageContext: MessageHandlerInboundMessage<RevocationNotificationObserver>) {
    const { agentContext, message, connection } = messageContext
    // Only a connection's issuer may tell its holder: a notification without one means nothing.
    if (!connection) return undefined
    const payload: RevocationNotificationReceivedEvent['payload'] =
      message instanceof V1RevocationNotificationMessage
        ? { connectionId: connection.id, version: 'v1_0', threadId: message.issueThread, comment: message.comment }
        : { connectionId: connection.id, version: 'v2_0', revocationFormat: message.revocationFormat, credentialId: message.credentialId, comment: message.comment }
    agentContext.dependencyManager.resolve(EventEmitter).emit<RevocationNotificationReceivedEvent>(agentContext, { type: REVOCATION_NOTIFICATION_RECEIVED, payload })
    return undefined
  }
}

/** Replaces Credo's revocation notification handlers with the observer (the registry uses the first match). */
export function observeRevocationNotifications(agent: Agent): void {
  const registry = agent.dependencyManager.resolve(MessageHandlerRegistry)
  const handlers = (registry as unknown as { messageHandlers: MessageHandler[] }).messageHandlers
  for (let i = handlers.length - 1; i >= 0; i--) {
    if (handlers[i] instanceof V1RevocationNotificationHandler || handlers[i] instanceof V2RevocationNotificationHandler) handlers.splice(i, 1)
  }
  registry.registerMessageHandler(new RevocationNotificationObserver())
}
