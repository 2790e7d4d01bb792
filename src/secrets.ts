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
  baseApiKey: string
  hmacSecret: string
  /** Set only on the start that generated them, so main can show them exactly once. */
  generatedAdminApiKey?: string
  generatedBaseApiKey?: string
}

const randomSecret = () => randomBytes(32).toString('base64url')

/** Shorter than any secret we generate: a file this short was truncated or edited by hand. */
const MIN_SECRET_LENGTH = 32

function readOrCreate(file: string, create: () => string): { value: string; created: boolean } {
  if (fs.existsSync(file)) {
    const value = fs.readFileSync(file, 'utf8').trim()
    if (value.length < MIN_SECRET_LENGTH) {
      throw new Error(`${file} holds no usable secret (shorter than ${MIN_SECRET_LENGTH} characters); restore it or remove it to generate a new one`)
    }
    return { value, created: false }
  }
  const value = create()
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' })
  return { value, created: true }
}

export function resolveBootSecrets(config: Config): BootSecrets {
  const secretsDir = path.join(config.dataDir, 'secrets')
  const fromFile = (name: string, create: () => string = randomSecret) => readOrCreate(path.join(secretsDir, name), create)

  const admin = config.adminApiKey ? { value: config.adminApiKey, created: false } : fromFile('admin-api-key')
  const base = config.baseApiKey ? { value: config.baseApiKey, created: false } : fromFile('base-api-key')
  if (admin.value === base.value) {
    throw new Error('CREDENCE_ADMIN_API_KEY and CREDENCE_BASE_API_KEY must differ: they grant different powers')
  }
  const common = {
    adminApiKey: admin.value,
    baseApiKey: base.value,
    jwtSecret: config.jwtSecret ?? fromFile('jwt-secret').value,
    hmacSecret: config.hmacSecret ?? fromFile('hmac-secret').value,
    generatedAdminApiKey: admin.created ? admin.value : undefined,
    generatedBaseApiKey: base.created ? base.value : undefined,
  }
  if (config.walletKey) {
    return { ...common, walletKey: config.walletKey, walletKeyDerivation: config.walletKeyDerivation }
  }
  // A generated key is a raw Askar key: no Argon2 cost on every start.
  return { ...common, walletKey: fromFile('wallet-key', () => Store.generateRawKey()).value, walletKeyDerivation: 'raw' }
}
