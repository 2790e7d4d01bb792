// Writes to an Indy ledger signed with the writing tenant's own Transaction Author Agreement
// acceptance. Credo takes one TAA acceptance per pool from its configuration and uses it for every
// tenant; ACA-Py keeps an acceptance per wallet, and a tenant that has not accepted must not write
// on another's acceptance. So each pool's write preparation is replaced by one that looks up the
// acceptance of the tenant whose context signs the request. The ledger's agreement itself is
// ledger data and stays cached in the pool.
import { TypedArrayEncoder, type AgentContext, type Key } from '@credo-ts/core'
import { indyVdr, type IndyVdrRequest } from '@hyperledger/indy-vdr-shared'

import { IndyVdrPool } from '../credoInternals'
import { poolsOf, requireTaaAcceptance, type TaaAcceptanceLookup } from '../indyLedger'
import type { CredoPatch } from './patch'

export const indyTaaPerTenant: CredoPatch = {
  name: 'indyTaaPerTenant',
  targets: { package: '@credo-ts/indy-vdr', version: '0.5.19' },
  why: "one TAA acceptance per pool from Credo's config signed every tenant's writes; ACA-Py keeps one per wallet",
  upstream: 'none found; one TAA per pool since credo-ts#849; main unchanged',
  members: () => [
    { owner: 'IndyVdrPool.prototype', object: IndyVdrPool.prototype, member: 'prepareWriteRequest' },
    { owner: 'IndyVdrPool.prototype', object: IndyVdrPool.prototype, member: 'getTransactionAuthorAgreement' },
  ],
}

/** Replaces every pool's write preparation with one that takes the signing tenant's TAA acceptance. */
export function signIndyWritesWithTenantTaa(rootContext: AgentContext, acceptanceOf: TaaAcceptanceLookup): void {
  // A tenant's context is named by its tenant id, which is our wallet id; the root's is not a wallet.
  const walletIdOfContext = (context: AgentContext) =>
    context.contextCorrelationId === rootContext.contextCorrelationId ? undefined : context.contextCorrelationId
  for (const pool of poolsOf(rootContext)) {
    pool.prepareWriteRequest = async <R extends IndyVdrRequest>(context: AgentContext, request: R, signingKey: Key, endorserDid?: string) => {
      const walletId = walletIdOfContext(context)
      const accepted = await requireTaaAcceptance(pool, walletId, acceptanceOf)
      if (accepted) {
        const acceptance = indyVdr.prepareTxnAuthorAgreementAcceptance({
          taaDigest: accepted.digest,
          time: accepted.time,
          acceptanceMechanismType: accepted.mechanism,
        })
        request.setTransactionAuthorAgreementAcceptance({ acceptance: JSON.parse(acceptance) })
      }
      if (endorserDid) request.setEndorser({ endorser: endorserDid.split(':').pop()! })
      const signature = await context.wallet.sign({ data: TypedArrayEncoder.fromString(request.signatureInput), key: signingKey })
      request.setSignature({ signature })
      return request
    }
  }
}

