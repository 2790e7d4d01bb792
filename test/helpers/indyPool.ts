// A real four-node Indy pool (indy-node 1.13.2) on loopback, started by scripts/ensure-indy-pool.sh
// (installed and cached on the first run), and the pool's trustee as a plain Indy VDR client: the
// trustee sets and withdraws the transaction author agreement, which no ACA-Py route does.
import { execFile } from 'node:child_process'
import { createPrivateKey, createPublicKey, sign } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'

import { TypedArrayEncoder } from '@credo-ts/core'
import {
  AcceptanceMechanismsRequest,
  DisableAllTransactionAuthorAgreementsRequest,
  GetNymRequest,
  GetTransactionRequest,
  GetTransactionAuthorAgreementRequest,
  NymRequest,
  PoolCreate,
  TransactionAuthorAgreementRequest,
  type IndyVdrPool,
  type IndyVdrRequest,
} from '@hyperledger/indy-vdr-nodejs'

const ROOT = path.resolve(__dirname, '..', '..')
const SCRIPT = path.join(ROOT, 'scripts', 'ensure-indy-pool.sh')

/** The development seeds of every indy-node test network (von-network's too). */
export const TRUSTEE_SEED = '000000000000000000000000Trustee1'
export const STEWARD_SEED = '000000000000000000000000Steward1'

export interface IndyPool {
  genesisFile: string
  genesis: string
}

let started: Promise<IndyPool> | undefined

/**
 * Starts the pool (or finds it running) and waits until it answers a read; cached per test process.
 * CREDENCE_TEST_INDY_GENESIS_FILE names a running pool of your own instead (its trustee must have
 * the development seed); then the script is not run.
 */
export function startIndyPool(): Promise<IndyPool> {
  started ??= (async () => {
    const own = process.env.CREDENCE_TEST_INDY_GENESIS_FILE
    if (own) return { genesisFile: own, genesis: fs.readFileSync(own, 'utf8') }
    try {
      const { stdout } = await promisify(execFile)('bash', [SCRIPT, 'start'], { cwd: ROOT, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 })
      const genesisFile = stdout.trim().split('\n').at(-1)!.trim()
      return { genesisFile, genesis: fs.readFileSync(genesisFile, 'utf8') }
    } catch (error) {
      const e = error as { message: string; stderr?: string }
      throw new Error(`scripts/ensure-indy-pool.sh start failed: no Indy pool (${e.message})\n--- stderr ---\n${e.stderr ?? ''}`)
    }
  })()
  return started
}

/** An Ed25519 key from a 32-character seed, as Indy derives a DID and verkey from it. */
export function indyKeyFromSeed(seed: string) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed, 'utf8')]),
    format: 'der',
    type: 'pkcs8',
  })
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32)
  return {
    verkey: TypedArrayEncoder.toBase58(publicKey),
    did: TypedArrayEncoder.toBase58(publicKey.subarray(0, 16)),
    sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)),
  }
}

/**
 * The pool's trustee, talking to the nodes through Indy VDR directly. It has no close(): Indy VDR's
 * pool close blocks the thread for good at times (indy-pool.md), and the handle ends with the process.
 */
export class PoolTrustee {
  readonly key = indyKeyFromSeed(TRUSTEE_SEED)
  private readonly pool: IndyVdrPool

  constructor(genesis: string) {
    this.pool = new PoolCreate({ parameters: { transactions: genesis } })
  }

  async currentAgreement(): Promise<{ text: string; version: string; digest: string } | null> {
    const response = await this.pool.submitRequest(new GetTransactionAuthorAgreementRequest({}))
    const data = response.result.data as { text?: string; version?: string; digest?: string } | null
    return data?.text ? { text: data.text, version: data.version!, digest: data.digest! } : null
  }

  /** Sets the acceptance mechanisms (once) and ratifies a new agreement. */
  async setAgreement(text: string, version: string): Promise<void> {
    await this.write(
      new AcceptanceMechanismsRequest({
        submitterDid: this.key.did,
        aml: { for_session: 'Accepted at the start of a session', wallet_agreement: 'Accepted in the wallet' },
        amlContext: 'https://example.org/aml',
        version: `aml-${version}`,
      }),
    )
    await this.write(new TransactionAuthorAgreementRequest({ submitterDid: this.key.did, text, version, ratificationTs: Math.floor(Date.now() / 1000) }))
    await this.settle('the new agreement', async () => (await this.currentAgreement())?.version === version)
  }

  /** Withdraws every agreement: writes need no acceptance again. */
  async disableAgreements(): Promise<void> {
    if (!(await this.currentAgreement())) return
    await this.write(new DisableAllTransactionAuthorAgreementsRequest({ submitterDid: this.key.did }))
    await this.settle('no agreement', async () => (await this.currentAgreement()) === null)
  }

  /** A transaction of the domain ledger by its number, as the ledger keeps it (metadata included). */
  async domainTransaction(seqNo: number): Promise<{ metadata: Record<string, any>; data: any; type: string } | null> {
    const response = await this.pool.submitRequest(new GetTransactionRequest({ ledgerType: 1, seqNo }))
    return (response.result.data as { txn?: { metadata: Record<string, any>; data: any; type: string } } | null)?.txn ?? null
  }

  /**
   * Waits until three reads in a row see a write: a read reaches one node, which may not have
   * applied the batch yet (indy-pool.md), and the server under test reads through any node.
   */
  private async settle(what: string, seen: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 15_000
    let inARow = 0
    while (inARow < 3) {
      if (Date.now() > deadline) throw new Error(`the pool did not show ${what} within 15 s`)
      inARow = (await seen()) ? inARow + 1 : 0
      if (inARow < 3) await new Promise((resolve) => setTimeout(resolve, 150))
    }
  }

  /** A NYM written by the trustee, without an acceptance (call it while no agreement is set). */
  async writeNym(options: { dest: string; verkey?: string; role?: 'ENDORSER' | 'STEWARD' | 'TRUSTEE' }): Promise<void> {
    await this.write(new NymRequest({ submitterDid: this.key.did, ...options }))
    await this.settle(`the NYM of ${options.dest}`, async () => (await this.readNym(options.dest)) !== null)
  }

  /**
   * The NYM of `did` once every node shows it (three reads in a row): a write another client made
   * may not have reached the node a read goes to yet.
   */
  async settledNym(did: string): Promise<Record<string, unknown> | null> {
    await this.settle(`the NYM of ${did}`, async () => (await this.readNym(did)) !== null)
    return this.readNym(did)
  }

  async readNym(did: string): Promise<Record<string, unknown> | null> {
    const response = await this.pool.submitRequest(new GetNymRequest({ dest: did }))
    return response.result.data ? JSON.parse(response.result.data as string) : null
  }

  private async write(request: IndyVdrRequest): Promise<void> {
    request.setSignature({ signature: this.key.sign(TypedArrayEncoder.fromString(request.signatureInput)) })
    await this.pool.submitRequest(request)
  }
}
