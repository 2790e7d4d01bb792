// Development secrets: generated once and reused; a damaged secret file or equal admin/base keys
// stop the boot instead of weakening it.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { loadConfig } from '../src/config'
import { resolveBootSecrets } from '../src/secrets'
import { tempDataDir } from './helpers/backends'

describe('boot secrets', () => {
  it('generates each secret once and reads the same ones back', () => {
    const config = loadConfig({ CREDENCE_DATA_DIR: tempDataDir() })
    const first = resolveBootSecrets(config)
    expect(first.generatedAdminApiKey).toBe(first.adminApiKey)
    expect(first.generatedBaseApiKey).toBe(first.baseApiKey)
    const second = resolveBootSecrets(config)
    expect(second.generatedAdminApiKey).toBeUndefined()
    expect(second).toMatchObject({ adminApiKey: first.adminApiKey, jwtSecret: first.jwtSecret, hmacSecret: first.hmacSecret, walletKey: first.walletKey })
    expect(fs.statSync(path.join(config.dataDir, 'secrets', 'jwt-secret')).mode & 0o077).toBe(0)
  })

  it('refuses a truncated secret file', () => {
    const config = loadConfig({ CREDENCE_DATA_DIR: tempDataDir() })
    resolveBootSecrets(config)
    fs.writeFileSync(path.join(config.dataDir, 'secrets', 'jwt-secret'), '\n')
    expect(() => resolveBootSecrets(config)).toThrow(/jwt-secret holds no usable secret/)
  })

  it('refuses an admin key equal to the base key', () => {
    const same = 'k'.repeat(40)
    const config = loadConfig({ CREDENCE_DATA_DIR: tempDataDir(), CREDENCE_ADMIN_API_KEY: same, CREDENCE_BASE_API_KEY: same })
    expect(() => resolveBootSecrets(config)).toThrow(/must differ/)
  })
})
