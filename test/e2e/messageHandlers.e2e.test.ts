// Credo registers every protocol's message handlers again for each tenant session, into the
// registry all tenants share; Credence keeps one of each (agent/messageHandlers.ts). The registry
// must be as large after many tenant sessions as at start, and tenants still talk to each other.
import { MessageHandlerRegistry } from '@credo-ts/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sqlite, tempDataDir } from '../helpers/backends'
import { startInProcess, type InProcessServer } from '../helpers/inProcessServer'
import { connectTenants, createTenant } from '../helpers/tenants'

describe('message handlers across tenant sessions', () => {
  let running: InProcessServer

  beforeAll(async () => {
    running = await startInProcess(sqlite.env(tempDataDir()))
  })

  afterAll(async () => {
    await running?.server.stop()
  })

  it('keeps one handler per message type however many tenant sessions there were', async () => {
    const registry = running.server.agent.dependencyManager.resolve(MessageHandlerRegistry)
    const handlerCount = () => (registry as unknown as { messageHandlers: unknown[] }).messageHandlers.length
    const atStart = handlerCount()
    const typesAtStart = registry.supportedMessageTypes.length
    const [alice, bob] = await Promise.all([createTenant(running.process, 'Alice'), createTenant(running.process, 'Bob')])
    for (let i = 0; i < 10; i++) await alice.api('GET', '/connections')
    await connectTenants(alice, bob)
    expect(handlerCount()).toBe(atStart)
    expect(registry.supportedMessageTypes).toHaveLength(typesAtStart)
  })
})
