// The three Rust libraries are present at the release each wrapper expects, and answer real calls.
import { anoncreds } from '@hyperledger/anoncreds-nodejs'
import { ariesAskar, Store, StoreKeyMethod, KdfMethod } from '@hyperledger/aries-askar-nodejs'
import { GetNymRequest, indyVdr } from '@hyperledger/indy-vdr-nodejs'
import { describe, expect, it } from 'vitest'

import askarWrapper from '@hyperledger/aries-askar-nodejs/package.json'
import anoncredsWrapper from '@hyperledger/anoncreds-nodejs/package.json'
import indyVdrWrapper from '@hyperledger/indy-vdr-nodejs/package.json'

describe('native libraries', () => {
  it('Askar is the release its wrapper expects and opens a store with a profile', async () => {
    expect(`v${ariesAskar.version()}`).toBe(askarWrapper.binary.remote_path)
    const key = Store.generateRawKey()
    const store = await Store.provision({
      uri: 'sqlite://:memory:',
      keyMethod: new StoreKeyMethod(KdfMethod.Raw),
      passKey: key,
      recreate: true,
    })
    const profile = await store.createProfile('tenant-probe')
    const session = await store.session(profile).open()
    await session.insert({ category: 'probe', name: 'one', value: 'hello' })
    const entry = await session.fetch({ category: 'probe', name: 'one' })
    expect(entry?.value).toBe('hello')
    await session.close()
    await store.close(true)
  })

  it('AnonCreds is the release its wrapper expects and creates a link secret', () => {
    expect(`v${anoncreds.version()}`).toBe(anoncredsWrapper.binary.version)
    const linkSecret = anoncreds.createLinkSecret()
    expect(linkSecret).toMatch(/^\d{20,}$/)
  })

  it('Indy VDR is the release its wrapper expects and builds a ledger request', () => {
    expect(`v${indyVdr.version()}`).toBe(indyVdrWrapper.binary.remote_path)
    const request = new GetNymRequest({ dest: 'LjgpST2rjsoxYegQDRm7EL' })
    expect(JSON.parse(request.body).operation).toMatchObject({ type: '105', dest: 'LjgpST2rjsoxYegQDRm7EL' })
  })
})
