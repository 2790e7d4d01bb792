// Askar through the mended wrapper (src/agent/patches/askarWrapper.ts): every asynchronous call gets its
// own answer through the shared callbacks, errors still reject, a process with nothing else to
// do waits for Askar and then exits by itself, and scans still return every row intact after
// their native entry lists are freed.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { AriesAskarError, KdfMethod, Scan, Store, StoreKeyMethod } from '@hyperledger/aries-askar-nodejs'
import { describe, expect, it } from 'vitest'

import { mendAskarWrapper } from '../src/agent/patches/askarWrapper'

const ROOT = path.resolve(__dirname, '..')
const rawKey = () => ({ keyMethod: new StoreKeyMethod(KdfMethod.Raw), passKey: Store.generateRawKey() })

describe('the mended Askar wrapper', () => {
  it('answers many concurrent calls each with its own result', async () => {
    mendAskarWrapper()
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
    mendAskarWrapper()
    const file = path.join(os.tmpdir(), `askar-wrapper-${process.pid}.db`)
    const store = await Store.provision({ uri: `sqlite://${file}`, recreate: true, ...rawKey() })
    await store.close()
    await expect(Store.open({ uri: `sqlite://${file}`, ...rawKey() })).rejects.toBeInstanceOf(AriesAskarError)
    await Store.remove(`sqlite://${file}`)
  })

  it('returns every scanned row intact, over several entry lists and scans', async () => {
    mendAskarWrapper()
    const store = await Store.provision({ uri: 'sqlite://:memory:', recreate: true, ...rawKey() })
    const session = await store.openSession()
    // More rows than one entry list holds, with tags, as Credo's records have.
    for (let i = 0; i < 120; i++) {
      await session.insert({ category: 'record', name: `r${i}`, value: JSON.stringify({ i, body: 'x'.repeat(500) }), tags: { parity: i % 2 ? 'odd' : 'even' } })
    }
    await session.close()
    for (let round = 0; round < 3; round++) {
      const rows = await new Scan({ store, category: 'record', tagFilter: { parity: 'even' } }).fetchAll()
      expect(rows).toHaveLength(60)
      expect(rows.map((row) => JSON.parse(row.value as string).i).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, k) => k * 2))
      expect(rows.every((row) => row.tags.parity === 'even' && JSON.parse(row.value as string).body.length === 500)).toBe(true)
    }
    await store.close(true)
  })

  it('keeps an otherwise idle process alive until Askar answers, then lets it exit', () => {
    // No timer or socket here: only the pending Askar calls hold the process open.
    const script = `
      require(${JSON.stringify(path.join(ROOT, 'dist', 'agent', 'patches', 'askarWrapper.js'))}).mendAskarWrapper()
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
