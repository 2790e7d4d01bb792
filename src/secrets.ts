// Development convenience for the two boot secrets: when they are not configured (and we are not
// in production, where loadConfig already refused), generate them once and keep them in the data
// directory with owner-only permissions, so a restart reopens the same store with the same key.
import { Store } from '@hyperledger/aries-askar-nodejs'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { Config } from './config'

export interface BootSecrets {
  adminApiKey: string
  walletKey: string
  walletKeyDerivation: Config['walletKeyDerivation']
  jwtSecret: string
  /** Set only on the start that generated the admin key, so main can show it exactly once. */
  generatedAdminApiKey?: string
}

function readOrCreate(file: string, create: () => string): { value: string; created: boolean } {
  if (fs.existsSync(file)) return { value: fs.readFileSync(file, 'utf8').trim(), created: false }
  const value = create()
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' })
  return { value, created: true }
}

export function resolveBootSecrets(config: Config): BootSecrets {
  const secretsDir = path.join(config.dataDir, 'secrets')
  let adminApiKey = config.adminApiKey
  let generatedAdminApiKey: string | undefined
  if (!adminApiKey) {
    const admin = readOrCreate(path.join(secretsDir, 'admin-api-key'), () => randomBytes(32).toString('base64url'))
    adminApiKey = admin.value
    if (admin.created) generatedAdminApiKey = admin.value
  }
  const jwtSecret =
    config.jwtSecret ?? readOrCreate(path.join(secretsDir, 'jwt-secret'), () => randomBytes(32).toString('base64url')).value
  if (config.walletKey) {
    return { adminApiKey, jwtSecret, walletKey: config.walletKey, walletKeyDerivation: config.walletKeyDerivation, generatedAdminApiKey }
  }
  // A generated key is a raw Askar key: no Argon2 cost on every start.
  const wallet = readOrCreate(path.join(secretsDir, 'wallet-key'), () => Store.generateRawKey())
  return { adminApiKey, jwtSecret, walletKey: wallet.value, walletKeyDerivation: 'raw', generatedAdminApiKey }
}
