// A wallet's ACA-Py settings that answer a peer by themselves (extra_settings, README "Admin API"),
// acted on as ACA-Py's handlers act on them:
// - debug.auto_respond_credential_offer: a received credential offer is answered with a request
//   (cred_offer_handler.py); if that fails the exchange is abandoned with the reason and a problem
//   report, where ACA-Py only records the error, so the issuer does not wait for ever;
// - debug.auto_respond_messages: a received basic message is answered "<label> received your
//   message", unless it says that itself (basicmessage_handler.py);
// - auto_ping_connection: the requester pings a connection once the response completes it
//   (didexchange response_handler.py).
// The defaults a request takes from the wallet (auto_issue, auto_verify, auto_remove) are read by
// the routes, through acapyDefaults.
import {
  BasicMessageEventTypes,
  BasicMessageRole,
  ConnectionEventTypes,
  CredentialEventTypes,
  CredentialRole,
  CredentialState,
  DidExchangeRole,
  DidExchangeState,
  type BasicMessageStateChangedEvent,
  type ConnectionStateChangedEvent,
  type CredentialStateChangedEvent,
} from '../agent/credo'

import type { CredenceAgent } from '../agent/createAgent'
import { flagOf } from './webhookTargets'
import type { AppLogger } from '../logger'
import type { ConnectionService } from './connections'
import type { CredentialService } from './credentials'
import type { Wallet } from './wallets'

export const RECEIVED_YOUR_MESSAGE = 'received your message'

export function respondAutomatically(deps: {
  agent: CredenceAgent
  connections: ConnectionService
  credentials: CredentialService
  /** The wallet (settings and label), from the short-lived cache every event reads. */
  walletOf(walletId: string): Promise<Wallet | undefined>
  logger: AppLogger
}): () => void {
  const rootContext = deps.agent.context.contextCorrelationId
  const log = deps.logger.child({ component: 'auto-responses' })
  const tenantOf = (event: { metadata: { contextCorrelationId: string } }) =>
    event.metadata.contextCorrelationId === rootContext ? undefined : event.metadata.contextCorrelationId
  const setting = async (walletId: string, key: string) => flagOf((await deps.walletOf(walletId))?.extraSettings ?? {}, key) ?? false

  /** Runs `respond` when the wallet's setting is on; a failure is logged, never thrown into Credo's emitter. */
  const when = (walletId: string, key: string, what: string, respond: () => Promise<unknown>) => {
    void (async () => {
      if (await setting(walletId, key)) await respond()
    })().catch((error: Error) => log.warn({ err: error, walletId, setting: key }, `could not ${what}`))
  }

  const onCredential = (event: CredentialStateChangedEvent) => {
    const walletId = tenantOf(event)
    const record = event.payload.credentialRecord
    if (!walletId || record.role !== CredentialRole.Holder || record.state !== CredentialState.OfferReceived) return
    when(walletId, 'debug.auto_respond_credential_offer', 'answer a credential offer', async () => {
      try {
        await deps.credentials.sendRequest(walletId, record.id, {})
      } catch (error) {
        await deps.credentials.problemReport(walletId, record.id, `Could not request the credential offered: ${(error as Error).message}`)
        throw error
      }
    })
  }

  const onBasicMessage = (event: BasicMessageStateChangedEvent) => {
    const walletId = tenantOf(event)
    const { basicMessageRecord: record } = event.payload
    if (!walletId || record.role !== BasicMessageRole.Receiver || record.content.includes(RECEIVED_YOUR_MESSAGE)) return
    when(walletId, 'debug.auto_respond_messages', 'answer a basic message', async () => {
      const label = (await deps.walletOf(walletId))?.label ?? ''
      await deps.connections.sendMessage(walletId, record.connectionId, `${label} ${RECEIVED_YOUR_MESSAGE}`)
    })
  }

  const onConnection = (event: ConnectionStateChangedEvent) => {
    const walletId = tenantOf(event)
    const record = event.payload.connectionRecord
    if (!walletId || record.role !== DidExchangeRole.Requester || record.state !== DidExchangeState.Completed) return
    if (event.payload.previousState === DidExchangeState.Completed) return
    when(walletId, 'auto_ping_connection', 'ping a new connection', () => deps.connections.sendPing(walletId, record.id))
  }

  const { events } = deps.agent
  events.on<CredentialStateChangedEvent>(CredentialEventTypes.CredentialStateChanged, onCredential)
  events.on<BasicMessageStateChangedEvent>(BasicMessageEventTypes.BasicMessageStateChanged, onBasicMessage)
  events.on<ConnectionStateChangedEvent>(ConnectionEventTypes.ConnectionStateChanged, onConnection)
  return () => {
    events.off<CredentialStateChangedEvent>(CredentialEventTypes.CredentialStateChanged, onCredential)
    events.off<BasicMessageStateChangedEvent>(BasicMessageEventTypes.BasicMessageStateChanged, onBasicMessage)
    events.off<ConnectionStateChangedEvent>(ConnectionEventTypes.ConnectionStateChanged, onConnection)
  }
}
