// DID resolution as a tenant sees it (its own DIDs resolve from its wallet first, as Credo does),
// with the outcome sorted into found, not found, unsupported method and malformed DID.
import { badRequest, notFoundError, notImplemented, peerUnavailable } from '../errors'
import type { TenantService } from './tenants'

const UNREACHABLE = /fetch failed|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|SDK not initialized|Pool timeout/i

export interface Resolution {
  didDocument: Record<string, unknown>
  documentMetadata: Record<string, unknown>
  method: string
  retrievedTime: string
  durationMs: number
}

export function resolverService(tenants: TenantService) {
  return {
    async resolve(walletId: string, did: string): Promise<Resolution> {
      const started = Date.now()
      const result = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.dids.resolve(did))
      const { error, message } = result.didResolutionMetadata
      if (error === 'unsupportedDidMethod') throw notImplemented(`DID method of ${did} is not supported`)
      if (error === 'invalidDid') throw badRequest('did', `${did} is not a valid DID${message ? `: ${message}` : ''}`)
      // Credo's ledger resolvers report an unreachable ledger as notFound; their message tells.
      if (message && UNREACHABLE.test(message)) throw peerUnavailable(`The ledger holding ${did} could not be reached: ${message}`)
      if (error || !result.didDocument) throw notFoundError(`DID ${did} could not be resolved${error ? ` (${error})` : ''}`)
      return {
        didDocument: result.didDocument.toJSON(),
        documentMetadata: result.didDocumentMetadata as Record<string, unknown>,
        method: did.split(':')[1],
        retrievedTime: new Date().toISOString(),
        durationMs: Date.now() - started,
      }
    },
  }
}

export type ResolverService = ReturnType<typeof resolverService>
