// Warm tenant contexts (src/agent/patches/warmTenantContexts.ts), in one process so the tenants
// module's coordinator can be looked at: a tenant's context outlives its request and is used again
// by the next one, at most CREDENCE_TENANT_CONTEXTS_IDLE_MAX idle contexts stay open (the least
// recently used goes first), an idle one closes after CREDENCE_TENANT_CONTEXT_IDLE_SECONDS, and
// none in use is ever closed. Over real HTTP against the admin API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { TenantSessionCoordinator } from '../../src/agent/credoInternals'
import { sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startInProcess, type InProcessServer } from '../helpers/inProcessServer'

interface Sessions {
  sessionCount: number
  agentContext?: object
}

describe('warm tenant contexts', () => {
  let running: InProcessServer
  let mapping: () => Record<string, Sessions | undefined>
  const tokens: Record<string, string> = {}
  const ids: Record<string, string> = {}
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const list = (name: string) => call(running.process.adminUrl, 'GET', '/connections', { headers: { authorization: `Bearer ${tokens[name]}` } })

  beforeAll(async () => {
    running = await startInProcess({ ...sqlite.env(tempDataDir()), CREDENCE_TENANT_CONTEXT_IDLE_SECONDS: '2', CREDENCE_TENANT_CONTEXTS_IDLE_MAX: '2' })
    const coordinator = running.server.agent.dependencyManager.resolve(TenantSessionCoordinator) as unknown as { tenantAgentContextMapping: Record<string, Sessions | undefined> }
    mapping = () => coordinator.tenantAgentContextMapping
    const adminKey = running.secrets.adminApiKey
    for (const name of ['a', 'b', 'c']) {
      const created = await call(running.process.adminUrl, 'POST', '/multitenancy/wallet', { headers: { 'x-api-key': adminKey }, body: { wallet_name: `warm-${name}` } })
      expect(created.status, JSON.stringify(created.body)).toBe(200)
      tokens[name] = created.body.token
      ids[name] = created.body.wallet_id
    }
  }, 60_000)

  afterAll(async () => {
    await running?.server.stop()
  })

  it('keeps the context of a tenant between its requests, and uses it again', async () => {
    expect((await list('a')).status).toBe(200)
    const first = mapping()[ids.a]
    expect(first).toMatchObject({ sessionCount: 0, agentContext: expect.any(Object) })
    const context = first!.agentContext
    expect((await list('a')).status).toBe(200)
    expect(mapping()[ids.a]?.agentContext).toBe(context)
    // Twenty at once share it, and all end.
    const answers = await Promise.all(Array.from({ length: 20 }, () => list('a')))
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200))
    expect(mapping()[ids.a]).toMatchObject({ sessionCount: 0 })
    expect(mapping()[ids.a]?.agentContext).toBe(context)
  })

  it('keeps at most the configured number idle, closing the least recently used first', async () => {
    expect((await list('a')).status).toBe(200)
    expect((await list('b')).status).toBe(200)
    expect((await list('c')).status).toBe(200)
    expect(mapping()[ids.a]).toBeUndefined()
    expect(mapping()[ids.b]?.agentContext).toBeDefined()
    expect(mapping()[ids.c]?.agentContext).toBeDefined()
  })

  it('closes idle contexts after the idle time; the next request opens one again', async () => {
    await sleep(4500)
    expect(mapping()[ids.b]).toBeUndefined()
    expect(mapping()[ids.c]).toBeUndefined()
    expect((await list('b')).status).toBe(200)
    expect(mapping()[ids.b]?.agentContext).toBeDefined()
  })
})
