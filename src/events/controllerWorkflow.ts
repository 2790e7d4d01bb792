// What the controller API's records learn from the agent: a completed connection counts a use of
// the invitation it came from, joins that invitation's contact and releases the messages and
// request records waiting for it; a credential or presentation exchange's progress reaches the
// request record that started it; a received basic message is listed with the wallet's messages.
import {
  BasicMessageEventTypes,
  BasicMessageRole,
  ConnectionEventTypes,
  CredentialEventTypes,
  DidExchangeState,
  ProofEventTypes,
  type BasicMessageStateChangedEvent,
  type ConnectionStateChangedEvent,
  type CredentialStateChangedEvent,
  type ProofStateChangedEvent,
} from '../agent/credo'

import type { CredenceAgent } from '../agent/createAgent'
import type { AppLogger } from '../logger'
import type { ControllerInvitationService } from '../services/controllerInvitations'
import type { ControllerMessageService } from '../services/controllerMessages'
import type { ControllerRequestService } from '../services/controllerRequests'

export interface ControllerRecords {
  invitations: ControllerInvitationService
  messages: ControllerMessageService
  requests: ControllerRequestService
}

/** Listens from before the agent starts (a connection may complete as soon as the DIDComm endpoint is up). */
export function followControllerWorkflow(deps: { agent: CredenceAgent; records: ControllerRecords; logger: AppLogger }): { stop(): Promise<void> } {
  const { agent, records, logger } = deps
  const rootContext = agent.context.contextCorrelationId
  // Each wallet's events in order: a message received right after completion finds its contact.
  const tails = new Map<string, Promise<void>>()
  const inOrder = (walletId: string, what: string, work: () => Promise<void>) => {
    const tail = (tails.get(walletId) ?? Promise.resolve())
      .then(work)
      .catch((error: Error) => logger.error({ walletId, err: error }, `controller workflow: ${what} failed`))
    tails.set(walletId, tail)
    void tail.then(() => {
      if (tails.get(walletId) === tail) tails.delete(walletId)
    })
  }

  const onConnection = (event: ConnectionStateChangedEvent) => {
    const walletId = event.metadata.contextCorrelationId
    const { connectionRecord: record } = event.payload
    if (walletId === rootContext || record.state !== DidExchangeState.Completed || !record.outOfBandId) return
    const { id: connectionId, outOfBandId } = record
    inOrder(walletId, 'counting a completed connection', async () => {
      const { invitations, messages, requests } = records
      const invitation = await invitations.connectionCompleted(walletId, connectionId, outOfBandId)
      if (!invitation) return
      await messages.connectionCompleted(walletId, connectionId, invitation)
      await requests.connectionCompleted(walletId, connectionId, invitation)
    })
  }

  const onBasicMessage = (event: BasicMessageStateChangedEvent) => {
    const walletId = event.metadata.contextCorrelationId
    const { basicMessageRecord: record, message } = event.payload
    if (walletId === rootContext || record.role !== BasicMessageRole.Receiver) return
    inOrder(walletId, 'recording a received message', async () =>
      records.messages.received(walletId, { connectionId: record.connectionId, messageId: message.id, content: record.content, sentTime: record.sentTime }),
    )
  }

  const onExchange = (event: CredentialStateChangedEvent | ProofStateChangedEvent) => {
    const walletId = event.metadata.contextCorrelationId
    if (walletId === rootContext) return
    const exchangeId = 'credentialRecord' in event.payload ? event.payload.credentialRecord.id : event.payload.proofRecord.id
    inOrder(walletId, 'following a request record\'s exchange', () => records.requests.exchangeChanged(walletId, exchangeId))
  }

  agent.events.on(ConnectionEventTypes.ConnectionStateChanged, onConnection)
  agent.events.on(CredentialEventTypes.CredentialStateChanged, onExchange)
  agent.events.on(ProofEventTypes.ProofStateChanged, onExchange)
  agent.events.on(BasicMessageEventTypes.BasicMessageStateChanged, onBasicMessage)
  return {
    /** Stops listening and waits for what was already under way (before the store closes). */
    async stop() {
      agent.events.off(ConnectionEventTypes.ConnectionStateChanged, onConnection)
      agent.events.off(BasicMessageEventTypes.BasicMessageStateChanged, onBasicMessage)
      agent.events.off(CredentialEventTypes.CredentialStateChanged, onExchange)
      agent.events.off(ProofEventTypes.ProofStateChanged, onExchange)
      await Promise.all(tails.values())
    },
  }
}
