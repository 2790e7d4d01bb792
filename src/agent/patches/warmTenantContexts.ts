// Warm tenant contexts.
//
// Every tenant-scoped request runs in a Credo tenant session (services/tenants.ts withTenant).
// Credo 0.5.11's tenants module builds the tenant's agent context when a session starts and
// disposes of it when the last session ends, so a tenant used by one request at a time paid, on
// every request: a read of its tenant record from the base wallet, a new dependency container
// (and every module API in it, built again for the new TenantAgent), an Askar session to check
// that the profile exists, and a read of its storage version record. Under 50 concurrent clients
// this was most of `GET /connections` (its own code says caching contexts is "an improvement to be
// made in the near future").
//
// Here a context whose last session ended stays open, idle, for `idleMs`, and at most `maxIdle`
// idle contexts are kept (the least recently used one is closed first); a context in use is never
// closed. A warm context skips the tenant record read (it was checked when the context was made)
// and a context that found its storage up to date once does not read the version again. A tenant
// deleted or changed here has its context closed at once (`forgetTenantContext`); one changed by
// another process on the same store is seen when its idle context expires.
import type { AppLogger } from '../../logger'
import { StorageUpdateService, TenantAgentContextProvider, TenantSessionCoordinator } from '../credoInternals'
import type { CredoPatch } from './patch'

export const warmTenantContexts: CredoPatch = {
  name: 'warmTenantContexts',
  targets: { package: '@credo-ts/tenants', version: '0.5.11' },
  why: "every tenant request built and disposed of the tenant's whole agent context, with three Askar reads, even for a tenant used a moment before",
  upstream: 'none known; TenantSessionCoordinator says caching contexts is still to be done',
  members: () => [
    { owner: 'TenantSessionCoordinator.prototype', object: TenantSessionCoordinator.prototype, member: 'endAgentContextSession' },
    ...(['closeAgentContext', 'mutexForTenant', 'hasTenantSessionMapping', 'getTenantSessionsMapping'] as const).map((member) => ({
      owner: 'TenantSessionCoordinator.prototype',
      object: TenantSessionCoordinator.prototype,
      member,
    })),
    { owner: 'TenantAgentContextProvider.prototype', object: TenantAgentContextProvider.prototype, member: 'getAgentContextForContextCorrelationId' },
    { owner: 'StorageUpdateService.prototype', object: StorageUpdateService.prototype, member: 'isUpToDate' },
  ],
}

/** The coordinator's private parts this patch reads, as Credo 0.5.11 names them. */
interface AgentContextLike {
  contextCorrelationId: string
}
interface TenantSessions {
  sessionCount: number
  agentContext?: AgentContextLike
}
interface Coordinator {
  tenantAgentContextMapping: Record<string, TenantSessions | undefined>
  sessionMutex: { acquireSession(): Promise<void>; releaseSession(): void }
  hasTenantSessionMapping(tenantId: string): boolean
  getTenantSessionsMapping(tenantId: string): TenantSessions
  mutexForTenant(tenantId: string): { runExclusive<T>(run: () => Promise<T>): Promise<T> }
  closeAgentContext(agentContext: AgentContextLike): Promise<void>
}

export interface WarmTenantOptions {
  /** How long an idle context stays open; 0 closes it when its last session ends, as Credo does. */
  idleMs: number
  /** The most idle contexts kept open. */
  maxIdle: number
  logger?: AppLogger
}

/** The idle contexts of each coordinator (one per agent), least recently used first. */
const idleOf = new WeakMap<Coordinator, Map<string, number>>()
const coordinators = new Set<Coordinator>()
let options: WarmTenantOptions = { idleMs: 0, maxIdle: 0 }
let sweeper: NodeJS.Timeout | undefined
const upToDate = new WeakSet<object>()

const idleSet = (coordinator: Coordinator) => {
  let idle = idleOf.get(coordinator)
  if (!idle) {
    idle = new Map()
    idleOf.set(coordinator, idle)
    coordinators.add(coordinator)
  }
  return idle
}

/**
 * Closes a tenant's context if no session uses it (under the tenant's lock, as Credo closes it).
 * Never throws: it runs from a timer and after requests, where a failure may only be logged.
 */
async function close(coordinator: Coordinator, tenantId: string): Promise<void> {
  idleSet(coordinator).delete(tenantId)
  if (!coordinator.hasTenantSessionMapping(tenantId)) return
  try {
    await coordinator.mutexForTenant(tenantId).runExclusive(async () => {
      const sessions = coordinator.tenantAgentContextMapping[tenantId]
      if (!sessions?.agentContext || sessions.sessionCount > 0) return
      try {
        await coordinator.closeAgentContext(sessions.agentContext)
      } finally {
        delete coordinator.tenantAgentContextMapping[tenantId]
      }
    })
  } catch (error) {
    options.logger?.warn({ err: error, tenantId }, 'closing an idle tenant context failed')
  }
}

async function sweep(): Promise<void> {
  const now = Date.now()
  for (const coordinator of coordinators) {
    for (const [tenantId, since] of [...idleSet(coordinator)]) if (now - since >= options.idleMs) await close(coordinator, tenantId)
  }
}

let installed = false

export function keepTenantContextsWarm(given: WarmTenantOptions): void {
  options = given
  if (installed) return
  installed = true
  const coordinatorPrototype = TenantSessionCoordinator.prototype as unknown as Coordinator & { endAgentContextSession(agentContext: AgentContextLike): Promise<void> }
  const endSession = coordinatorPrototype.endAgentContextSession
  coordinatorPrototype.endAgentContextSession = async function (this: Coordinator, agentContext: AgentContextLike) {
    const tenantId = agentContext.contextCorrelationId
    if (options.idleMs <= 0 || !this.hasTenantSessionMapping(tenantId)) return endSession.call(this, agentContext)
    // Credo's own steps, but at zero sessions the context goes idle instead of being disposed of.
    await this.mutexForTenant(tenantId).runExclusive(async () => {
      const sessions = this.getTenantSessionsMapping(tenantId)
      sessions.sessionCount--
      if (sessions.sessionCount <= 0 && sessions.agentContext) {
        const idle = idleSet(this)
        idle.delete(tenantId)
        idle.set(tenantId, Date.now())
      }
    })
    this.sessionMutex.releaseSession()
    const idle = idleSet(this)
    // Over the bound: the least recently used idle contexts go now.
    for (const [oldest] of idle) {
      if (idle.size <= options.maxIdle) break
      await close(this, oldest)
    }
    if (!sweeper) {
      sweeper = setInterval(() => void sweep(), Math.max(1000, Math.min(options.idleMs, 10_000)))
      sweeper.unref()
    }
  }

  const providerPrototype = TenantAgentContextProvider.prototype as unknown as {
    tenantSessionCoordinator: Coordinator
    getAgentContextForContextCorrelationId(id: string): Promise<AgentContextLike>
  }
  const getContext = providerPrototype.getAgentContextForContextCorrelationId
  providerPrototype.getAgentContextForContextCorrelationId = async function (this: typeof providerPrototype, contextCorrelationId: string) {
    const coordinator = this.tenantSessionCoordinator
    // A warm context: its tenant record was read (and its storage checked) when it was made. The
    // session is taken as Credo takes it, if the context is still there under the tenant's lock.
    if (coordinator.tenantAgentContextMapping[contextCorrelationId]?.agentContext) {
      await coordinator.sessionMutex.acquireSession()
      let taken: AgentContextLike | undefined
      try {
        taken = await coordinator.mutexForTenant(contextCorrelationId).runExclusive(async () => {
          const sessions = coordinator.tenantAgentContextMapping[contextCorrelationId]
          if (!sessions?.agentContext) return undefined
          sessions.sessionCount++
          return sessions.agentContext
        })
      } finally {
        if (!taken) coordinator.sessionMutex.releaseSession()
      }
      if (taken) {
        idleSet(coordinator).delete(contextCorrelationId)
        return taken
      }
    }
    return getContext.call(this, contextCorrelationId)
  }

  const storagePrototype = StorageUpdateService.prototype as unknown as { isUpToDate(agentContext: object, updateToVersion?: string): Promise<boolean> }
  const isUpToDate = storagePrototype.isUpToDate
  storagePrototype.isUpToDate = async function (this: unknown, agentContext: object, updateToVersion?: string) {
    // Only the plain question (up to the framework's version) is remembered, and only a yes.
    if (updateToVersion === undefined && upToDate.has(agentContext)) return true
    const answer = await isUpToDate.call(this, agentContext, updateToVersion)
    if (answer && updateToVersion === undefined) upToDate.add(agentContext)
    return answer
  }
}

/** Closes a tenant's idle context now: it was deleted or changed (its label is in the context's config). */
export async function forgetTenantContext(agentContext: { dependencyManager: { resolve<T>(token: unknown): T } }, tenantId: string): Promise<void> {
  const coordinator = agentContext.dependencyManager.resolve<Coordinator>(TenantSessionCoordinator)
  await close(coordinator, tenantId)
}

/** Closes every idle context (at shutdown) and stops the sweeper. */
export async function closeIdleTenantContexts(): Promise<void> {
  if (sweeper) clearInterval(sweeper)
  sweeper = undefined
  for (const coordinator of coordinators) for (const tenantId of [...idleSet(coordinator).keys()]) await close(coordinator, tenantId)
}
