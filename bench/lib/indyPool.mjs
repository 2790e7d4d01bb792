// The local four-node Indy pool (indy-node 1.13.2, scripts/ensure-indy-pool.sh) for the anoncreds
// scenario, and its trustee as a plain Indy VDR client: the trustee withdraws any transaction author
// agreement tests left behind and registers each issuer's DID as ENDORSER, the same way for both
// systems (a .mjs twin of test/helpers/indyPool.ts).
import { execFileSync } from 'node:child_process'
import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import { DisableAllTransactionAuthorAgreementsRequest, GetNymRequest, GetTransactionAuthorAgreementRequest, NymRequest, PoolCreate } from '@hyperledger/indy-vdr-nodejs'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
export const TRUSTEE_SEED = '000000000000000000000000Trustee1'

/** Starts the pool (or finds it running); its genesis file. CREDENCE_BENCH_INDY_GENESIS_FILE names a pool of your own. */
export function startIndyPool() {
  const own = process.env.CREDENCE_BENCH_INDY_GENESIS_FILE
  if (own) return own
  const stdout = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-indy-pool.sh'), 'start'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 })
  return stdout.trim().split('\n').at(-1).trim()
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
function base58(bytes) {
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`)
  let text = ''
  while (value > 0n) {
    text = ALPHABET[Number(value % 58n)] + text
    value /= 58n
  }
  for (const byte of bytes) {
    if (byte !== 0) break
    text = `1${text}`
  }
  return text
}

/** An Ed25519 key from a 32-character seed, as Indy derives a DID and verkey from it. */
export function indyKeyFromSeed(seed) {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed, 'utf8')]), format: 'der', type: 'pkcs8' })
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32)
  return { seed, verkey: base58(publicKey), did: base58(publicKey.subarray(0, 16)), sign: (data) => new Uint8Array(sign(null, data, privateKey)) }
}

/** A fresh 32-character seed. */
export const freshSeed = () => randomBytes(16).toString('hex')

/** The pool's trustee. No close(): Indy VDR's pool close can block the thread; the handle ends with the process. */
export class PoolTrustee {
  constructor(genesisFile) {
    this.key = indyKeyFromSeed(TRUSTEE_SEED)
    this.pool = new PoolCreate({ parameters: { transactions: fs.readFileSync(genesisFile, 'utf8') } })
  }

  async currentAgreement() {
    const response = await this.pool.submitRequest(new GetTransactionAuthorAgreementRequest({}))
    return response.result.data?.text ? response.result.data : null
  }

  /** Withdraws every agreement, so writes need no acceptance (the bench accepts none). */
  async disableAgreements() {
    if (!(await this.currentAgreement())) return
    await this.write(new DisableAllTransactionAuthorAgreementsRequest({ submitterDid: this.key.did }))
    await this.settle('no agreement', async () => (await this.currentAgreement()) === null)
  }

  /** A NYM written by the trustee (no agreement set), readable from three reads in a row after. */
  async writeNym({ dest, verkey, role }) {
    await this.write(new NymRequest({ submitterDid: this.key.did, dest, verkey, role }))
    await this.settle(`the NYM of ${dest}`, async () => (await this.readNym(dest)) !== null)
  }

  async readNym(did) {
    const response = await this.pool.submitRequest(new GetNymRequest({ dest: did }))
    return response.result.data ? JSON.parse(response.result.data) : null
  }

  /** A read reaches one node, which may not have applied a write yet: wait for three in a row. */
  async settle(what, seen) {
    const deadline = Date.now() + 15_000
    let inARow = 0
    while (inARow < 3) {
      if (Date.now() > deadline) throw new Error(`the pool did not show ${what} within 15 s`)
      inARow = (await seen()) ? inARow + 1 : 0
      if (inARow < 3) await sleep(150)
    }
  }

  async write(request) {
    request.setSignature({ signature: this.key.sign(Buffer.from(request.signatureInput, 'utf8')) })
    await this.pool.submitRequest(request)
  }
}
