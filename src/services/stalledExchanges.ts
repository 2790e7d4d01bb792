// Handshakes and exchanges that stopped half-way: the peer went away, or we were killed between
// receiving a message and answering it. ACA-Py leaves such records in their state for good. Here,
// at boot, a DID exchange request we had taken with auto-accept but not yet answered is answered
// (resumed); and every few minutes a connection still in a request/response state after
// CREDENCE_HANDSHAKE_TIMEOUT_SECONDS, or a credential or proof exchange still unfinished after
// CREDENCE_EXCHANGE_TIMEOUT_SECONDS (off by default: an offer may wait days for a person), is set
// to `abandoned` with the reason in its error message. The state change goes out as Credo's own
// event would, so controllers get the webhook.
import {
  ConnectionService,
  CredentialEventTypes,
  CredentialRepository,
  CredentialState,
  DidExchangeRole,
  DidExchangeState,
  EventEmitter,
  ProofEventTypes,
  ProofRepository,
  ProofState,
  type ConnectionRecord,
  type CredentialExchangeRecord,
  type ProofExchangeRecord,
} from '../agent/credo'

import type { AppLogger } from '../logger'
import type { TenantAgent, TenantService } from './tenants'
import type { WalletService } from './wallets'

const HANDSHAKE_STATES = [DidExchangeState.RequestSent, DidExchangeState.RequestReceived, DidExchangeState.ResponseSent, DidExchangeState.ResponseReceived]
const FINISHED_CREDENTIAL = new Set<string>([CredentialState.Done, CredentialState.Abandoned, CredentialState.Declined])
const FINISHED_PROOF = new Set<string>([ProofState.Done, ProofState.Abandoned, ProofState.Declined])
/** Sweeps run at a quarter of the shorter timeout, at most every 5 minutes and at least every second. */
const MAX_SWEEP_MS = 5 * 60_000

type StalledExchange = { kind: 'credential'; record: CredentialExchangeRecord } | { kind: 'proof'; record: ProofExchangeRecord }

const idleFor = (record: { createdAt: Date; updatedAt?: Date }) => Date.now() - +(record.updatedAt ?? record.createdAt)

export function stalledExchangeService(deps: {
  wallets: WalletService
  tenants: TenantService
  logger: AppLogger
  /** 0 turns a timeout off. */
  handshakeTimeoutMs: number
  exchangeTimeoutMs: number
}) {
  const { tenants, handshakeTimeoutMs, exchangeTimeoutMs } = deps
  const log = deps.logger.child({ component: 'stalled-exchanges' })
  let timer: NodeJS.Timeout | undefined
  let sweeping: Promise<unknown> | undefined

  const wallets = async () => (await deps.wallets.list({})).map((wallet) => wallet.walletId)

  async function abandonConnection(tenantAgent: TenantAgent, record: ConnectionRecord, reason: string) {
    const service = tenantAgent.dependencyManager.resolve(ConnectionService)
    record.errorMessage = reason
    await service.updateState(tenantAgent.context, record, DidExchangeState.Abandoned)
  }

  /** Credo has no public "abandon" for exchanges: the record is updated and its event emitted as Credo's protocols do. */
  async function abandonExchange(tenantAgent: TenantAgent, exchange: StalledExchange, reason: string) {
    const { record } = exchange
    const previousState = record.state
    record.errorMessage = reason
    const emitter = tenantAgent.dependencyManager.resolve(EventEmitter)
    if (exchange.kind === 'credential') {
      exchange.record.state = CredentialState.Abandoned
      await tenantAgent.dependencyManager.resolve(CredentialRepository).update(tenantAgent.context, exchange.record)
      emitter.emit(tenantAgent.context, { type: CredentialEventTypes.CredentialStateChanged, payload: { credentialRecord: exchange.record.clone(), previousState } })
    } else {
      exchange.record.state = ProofState.Abandoned
      await tenantAgent.dependencyManager.resolve(ProofRepository).update(tenantAgent.context, exchange.record)
      emitter.emit(tenantAgent.context, { type: ProofEventTypes.ProofStateChanged, payload: { proofRecord: exchange.record.clone(), previousState } })
    }
  }

  /** One pass over every wallet; the number of records abandoned. */
  async function sweep(): Promise<number> {
    let abandoned = 0
    for (const walletId of await wallets()) {
      abandoned += await tenants
        .withTenant(walletId, async (tenantAgent) => {
          let count = 0
          if (handshakeTimeoutMs > 0) {
            const stalled = (await tenantAgent.connections.findAllByQuery({ $or: HANDSHAKE_STATES.map((state) => ({ state })) })).filter(
              (record) => idleFor(record) >= handshakeTimeoutMs,
            )
            for (const record of stalled) {
              await abandonConnection(tenantAgent, record, `handshake timed out: no progress in state ${record.state} for ${Math.round(handshakeTimeoutMs / 1000)} s`)
              count++
            }
          }
          if (exchangeTimeoutMs > 0) {
            const reason = (state: string) => `exchange timed out: no progress in state ${state} for ${Math.round(exchangeTimeoutMs / 1000)} s`
            const exchanges: StalledExchange[] = [
              ...(await tenantAgent.credentials.getAll()).filter((record) => !FINISHED_CREDENTIAL.has(record.state)).map((record) => ({ kind: 'credential' as const, record })),
              ...(await tenantAgent.proofs.getAll()).filter((record) => !FINISHED_PROOF.has(record.state)).map((record) => ({ kind: 'proof' as const, record })),
            ]
            for (const exchange of exchanges.filter(({ record }) => idleFor(record) >= exchangeTimeoutMs)) {
              await abandonExchange(tenantAgent, exchange, reason(exchange.record.state))
              count++
            }
          }
          return count
        })
        .catch((error: Error) => {
          log.warn({ err: error, walletId }, 'could not check a wallet for stalled exchanges')
          return 0
        })
    }
    if (abandoned > 0) log.info({ abandoned }, 'stalled handshakes and exchanges abandoned')
    return abandoned
  }

  /**
   * At boot: DID exchange requests taken with auto-accept whose answer a stop cut off are answered
   * now. Those of a connection that was never meant to answer by itself wait for their controller.
   */
  async function resume(): Promise<number> {
    let resumed = 0
    for (const walletId of await wallets()) {
      await tenants
        .withTenant(walletId, async (tenantAgent) => {
          const waiting = await tenantAgent.connections.findAllByQuery({ state: DidExchangeState.RequestReceived, role: DidExchangeRole.Responder })
          for (const record of waiting.filter((connection) => connection.autoAcceptConnection)) {
            try {
              await tenantAgent.connections.acceptRequest(record.id)
              resumed++
            } catch (error) {
              log.warn({ err: error, walletId, connectionId: record.id }, 'could not resume an interrupted DID exchange')
            }
          }
        })
        .catch((error: Error) => log.warn({ err: error, walletId }, 'could not check a wallet for interrupted handshakes'))
    }
    if (resumed > 0) log.info({ resumed }, 'interrupted DID exchanges resumed')
    return resumed
  }

  const enabled = [handshakeTimeoutMs, exchangeTimeoutMs].filter((ms) => ms > 0)
  const sweepEveryMs = Math.min(MAX_SWEEP_MS, Math.max(1000, Math.min(...enabled) / 4))
  const tick = () => {
    sweeping = sweep()
      .catch((error: Error) => log.error({ err: error }, 'stalled exchange sweep failed'))
      .finally(() => {
        sweeping = undefined
        if (timer) timer = setTimeout(tick, sweepEveryMs)
      })
  }

  return {
    resume,
    sweep,
    start() {
      if (enabled.length === 0) return
      timer = setTimeout(tick, sweepEveryMs)
    },
    async stop() {
      clearTimeout(timer)
      timer = undefined
      await sweeping
    },
  }
}
