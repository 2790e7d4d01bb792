// Askar's asynchronous calls through the shared native callbacks (src/agent/askarCallbacks.ts):
// every call gets its own answer, errors still reject, and a process with nothing else to do
// waits for Askar's answer and then exits by itself.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { AriesAskarError, KdfMethod, Store, StoreKeyMethod } from '@hyperledger/aries-askar-nodejs'
import { describe, expect, it } from 'vitest'

import { shareAskarCallbacks } from '../src/agent/askarCallbacks'

const ROOT = path.resolve(__dirname, '..')
const rawKey = () => ({ keyMethod: new StoreKeyMethod(KdfMethod.Raw), passKey: Store.generateRawKey() })

describe('shared Askar callbacks', () => {
  it('answers many concurrent calls each with its own result', async () => {
    shareAskarCallbacks()
    const store = await Store.provision({ uri: 'sqlite://:memory:', recreate: true, ...rawKey() })
    const names = Array.from({ length: 200 }, (_, i) => `entry-${i}`)
    await Promise.all(
      names.map(async (name) => {
        const session = await store.openSession()
        await session.insert({ category: 'probe', name, value: `value of ${name}` })
        await session.close()
      }),
    )
    const values = await Promise.all(
      names.map(async (name) => {
        const session = await store.openSession()
        const entry = await session.fetch({ category: 'probe', name })
        await session.close()
        return entry?.value
      }),
    )
    expect(values).toEqual(names.map((name) => `value of ${name}`))
    await store.close(true)
  })

  it('still rejects a call Askar refuses', async () => {
    shareAskarCallbacks()
    const file = path.join(os.tmpdir(), `askar-callbacks-${process.pid}.db`)
    const store = await Store.provision({ uri: `sqlite://${file}`, recreate: true, ...rawKey() })
    await store.close()
    await expect(Store.open({ uri: `sqlite://${file}`, ...rawKey() })).rejects.toBeInstanceOf(AriesAskarError)
    await Store.remove(`sqlite://${file}`)
  })

  it('keeps an otherwise idle process alive until Askar answers, then lets it exit', () => {
    // No timer or socket here: only the pending Askar calls hold the process open.
    const script = `
      require(${JSON.stringify(path.join(ROOT, 'dist', 'agent', 'askarCallbacks.js'))}).shareAskarCallbacks()
      const { Store, StoreKeyMethod, KdfMethod } = require('@hyperledger/aries-askar-nodejs')
      Store.provision({ uri: 'sqlite://:memory:', recreate: true, keyMethod: new StoreKeyMethod(KdfMethod.Raw), passKey: Store.generateRawKey() })
        .then(async (store) => {
          const session = await store.openSession()
          await session.insert({ category: 'c', name: 'n', value: 'answered' })
          console.log((await session.fetch({ category: 'c', name: 'n' })).value)
          await session.close()
          await store.close()
        })`
    const output = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 })
    expect(output.trim()).toBe('answered')
  })
})
