// The request a piece of work belongs to, carried through async calls (including Credo's) with
// AsyncLocalStorage, so every log line written while serving a request, ours or Credo's, carries
// its requestId and, once the caller is known, its walletId.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface RequestScope {
  requestId: string
  walletId?: string
}

const storage = new AsyncLocalStorage<RequestScope>()

export const runInRequestScope = <T>(scope: RequestScope, fn: () => T): T => storage.run(scope, fn)
export const currentRequestScope = (): RequestScope | undefined => storage.getStore()
