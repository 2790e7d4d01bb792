// Indy VDR in the agent: the pools of the configured networks, their Transaction Author
// Agreements and each wallet's acceptance of them (written with, see patches/indyTaaPerTenant.ts),
// and the ledger's errors as Credence's.
import type { AgentContext } from '@credo-ts/core'
import { IndyVdrPoolService } from '@credo-ts/indy-vdr'
import type { AuthorAgreement, IndyVdrPool } from './credoInternals'
import { IndyVdrError } from '@hyperledger/indy-vdr-shared'

import { badRequest, peerUnavailable } from '../errors'
import type { IndyNetwork } from './indyNetworks'

export interface TaaAcceptance {
  version: string
  digest: string
  mechanism: string
  /** Seconds since the epoch, as the ledger wants it. */
  time: number
}

/** Where a wallet's acceptances are kept (the relational store, through the ledger service). */
export type TaaAcceptanceLookup = (walletId: string, indyNamespace: string) => Promise<TaaAcceptance | undefined>

export function poolsOf(agentContext: AgentContext): IndyVdrPool[] {
  return agentContext.dependencyManager.resolve(IndyVdrPoolService).pools
}

/**
 * The ledger's agreement with its acceptance mechanisms, null when it has none (or a retired one
 * with no text, which ACA-Py does not require either). Credo's pool keeps it after the first read
 * (its method is private in the types, not in behaviour); `fresh` reads the ledger again, so a
 * newly ratified agreement is seen when a tenant looks at it or accepts it.
 */
export async function agreementOfPool(pool: IndyVdrPool, options: { fresh?: boolean } = {}): Promise<AuthorAgreement | null> {
  if (options.fresh) pool.authorAgreement = undefined
  const readable = pool as unknown as { getTransactionAuthorAgreement(): Promise<AuthorAgreement | null> }
  const agreement = await ledgerCall(pool, () => readable.getTransactionAuthorAgreement())
  return agreement?.text ? agreement : null
}

/**
 * The wallet's acceptance of the pool's current agreement; undefined when the ledger has none.
 * A wallet (or the root, which is none) that has not accepted it is refused with a 400.
 */
export async function requireTaaAcceptance(
  pool: IndyVdrPool,
  walletId: string | undefined,
  acceptanceOf: TaaAcceptanceLookup,
): Promise<TaaAcceptance | undefined> {
  const agreement = await agreementOfPool(pool)
  if (!agreement) return undefined
  const accepted = walletId ? await acceptanceOf(walletId, pool.indyNamespace) : undefined
  if (!accepted || accepted.digest !== agreement.digest) {
    throw badRequest('taa', `The ledger ${pool.indyNamespace} requires its transaction author agreement (version ${agreement.version}); accept it with POST /ledger/taa/accept`)
  }
  return accepted
}

/** Indy VDR's error codes for a ledger that could not be reached or did not agree. */
const UNREACHABLE_CODES = new Set([2 /* Connection */, 6 /* Unavailable */, 30 /* PoolNoConsensus */, 32 /* PoolTimeout */])
/** The ledger answered, and refused (REQNACK or REJECT). */
const REFUSED_CODE = 31
/** Indy VDR refused to build or send the request as given. */
const INPUT_CODE = 4

/**
 * Runs a ledger call and sorts its failures: a refusal is the caller's request (400 with the
 * ledger's reason), an unreachable ledger is a 502; anything else stays an internal error.
 */
export async function ledgerCall<T>(pool: Pick<IndyVdrPool, 'indyNamespace'>, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof IndyVdrError && error.code === REFUSED_CODE) {
      throw badRequest('ledger', `The ledger refused the request: ${ledgerReason(error)}`)
    }
    if (error instanceof IndyVdrError && error.code === INPUT_CODE) {
      throw badRequest('ledger', `Indy VDR refused the request: ${error.message}`)
    }
    if (error instanceof IndyVdrError && UNREACHABLE_CODES.has(error.code)) {
      throw peerUnavailable(`The Indy ledger ${pool.indyNamespace} could not be reached: ${error.message}`)
    }
    throw error
  }
}

function ledgerReason(error: IndyVdrError): string {
  try {
    const reply = JSON.parse(error.extra ?? '')
    return String(reply.reason ?? error.message)
  } catch {
    return error.message
  }
}

/** What the server was configured with, for building the module and for the ledger routes. */
export function poolConfigs(networks: IndyNetwork[]) {
  return networks.map((network) => ({
    indyNamespace: network.indyNamespace,
    isProduction: network.isProduction,
    genesisTransactions: network.genesisTransactions,
    connectOnStartup: false,
  }))
}
