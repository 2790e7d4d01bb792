// An Indy ledger at Indy VDR's network boundary, for tests: no Indy ledger can run here (indy-node
// is not installable from the registries we reach) and no public one is reachable. Everything
// above the boundary is real: Credo builds and signs requests with the native Indy VDR request
// builders, and only the pool's `submitRequest` (the call that would go to the nodes) is answered
// here. The answers follow indy-node's documented reply format (`{op: "REPLY", result}` with the
// transaction's `data`), and the ledger's rules that Credence depends on are enforced: writes must
// be signed by the submitter's verkey on the ledger, carry an acceptance of the current transaction
// author agreement, and come from a DID whose role allows them. A refusal is raised the way Indy
// VDR raises one (error code 31, the reply in `extra`); an unreachable pool, with code 32.
import { TypedArrayEncoder } from '@credo-ts/core'
import { IndyVdrPoolService } from '@credo-ts/indy-vdr'
import { IndyVdrError, type IndyVdrRequest } from '@hyperledger/indy-vdr-shared'
import { createHash, createPublicKey, verify } from 'node:crypto'

import type { CredenceAgent } from '../../src/agent/createAgent'

export interface Nym {
  dest: string
  verkey: string
  role?: string | null
  alias?: string
}

/** Indy's role codes. */
export const ROLE = { TRUSTEE: '0', STEWARD: '2', ENDORSER: '101', NETWORK_MONITOR: '201' } as const

interface LedgerRequest {
  identifier?: string
  reqId: number
  operation: Record<string, any> & { type: string }
  signature?: string
  taaAcceptance?: { mechanism: string; taaDigest: string; time: number }
  endorser?: string
}

export interface Write {
  type: string
  submitter: string
  operation: Record<string, any>
  taaAcceptance?: LedgerRequest['taaAcceptance']
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export class IndyLedgerDouble {
  readonly nyms = new Map<string, Nym & { seqNo: number; txnTime: number }>()
  /** ATTRIB raw values by DID, as JSON objects keyed by their top-level name. */
  readonly attribs = new Map<string, Record<string, unknown>>()
  readonly writes: Write[] = []
  /** What the ledger was asked, in order (the operation type codes). */
  readonly requests: string[] = []
  /** SCHEMA transactions by their unqualified id. */
  readonly schemas = new Map<string, { seqNo: number; from: string; data: { name: string; version: string; attr_names: string[] } }>()
  /** CLAIM_DEF transactions by `<origin>:<ref>:<tag>`. */
  readonly credentialDefinitions = new Map<string, { seqNo: number; origin: string; ref: number; tag: string; data: unknown }>()
  agreement?: { text: string; version: string; ratification_ts: number }
  aml = { aml: { for_session: 'Accepted at the start of a session', wallet_agreement: 'Accepted in the wallet' }, amlContext: 'https://example.org/aml', version: '1.0' }
  offline = false
  private seqNo = 100

  constructor(trustAnchors: Nym[] = []) {
    for (const nym of trustAnchors) this.putNym(nym)
  }

  get agreementDigest(): string | undefined {
    return this.agreement && createHash('sha256').update(this.agreement.version + this.agreement.text).digest('hex')
  }

  /** Answers every pool of the agent from this ledger instead of the network. */
  attach(agent: CredenceAgent): void {
    for (const pool of agent.dependencyManager.resolve(IndyVdrPoolService).pools) {
      ;(pool as unknown as { _pool: unknown })._pool = {
        submitRequest: async (request: IndyVdrRequest) => this.answer(request),
        refresh: async () => undefined,
        close: () => undefined,
      }
    }
  }

  private putNym(nym: Nym) {
    this.nyms.set(nym.dest, { ...nym, seqNo: ++this.seqNo, txnTime: Math.floor(Date.now() / 1000) })
  }

  private reply(request: LedgerRequest, result: Record<string, unknown>) {
    return { op: 'REPLY', result: { identifier: request.identifier, reqId: request.reqId, ...result } }
  }

  private refuse(request: LedgerRequest, reason: string): never {
    const reply = { op: 'REJECT', identifier: request.identifier, reqId: request.reqId, reason }
    throw new IndyVdrError({ code: 31, message: `Request failed: ${reason}`, extra: JSON.stringify(reply) })
  }

  private fullVerkey(nym: Nym): string {
    if (!nym.verkey.startsWith('~')) return nym.verkey
    return TypedArrayEncoder.toBase58(new Uint8Array([...TypedArrayEncoder.fromBase58(nym.dest), ...TypedArrayEncoder.fromBase58(nym.verkey.slice(1))]))
  }

  private authenticate(request: LedgerRequest, signatureInput: string): Nym {
    const submitter = request.identifier ? this.nyms.get(request.identifier) : undefined
    if (!submitter) this.refuse(request, `client request invalid: could not authenticate, verkey for ${request.identifier} cannot be found`)
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, TypedArrayEncoder.fromBase58(this.fullVerkey(submitter))]), format: 'der', type: 'spki' })
    const signed = request.signature && verify(null, Buffer.from(signatureInput), key, TypedArrayEncoder.fromBase58(request.signature))
    if (!signed) this.refuse(request, 'client request invalid: InsufficientCorrectSignatures')
    if (this.agreement) {
      const acceptance = request.taaAcceptance
      if (!acceptance) this.refuse(request, 'Txn Author Agreement acceptance is required for ledger with id 1')
      if (acceptance.taaDigest !== this.agreementDigest) this.refuse(request, `Txn Author Agreement acceptance digest ${acceptance.taaDigest} is not the latest`)
      if (!Object.hasOwn(this.aml.aml, acceptance.mechanism)) this.refuse(request, `Txn Author Agreement acceptance mechanism ${acceptance.mechanism} is not in the AML`)
      if (acceptance.time % 86400 !== 0) this.refuse(request, 'Txn Author Agreement acceptance time must be rounded to the day')
    }
    return submitter
  }

  private answer(request: IndyVdrRequest): Record<string, unknown> {
    if (this.offline) throw new IndyVdrError({ code: 32, message: 'Pool timeout' })
    const body = JSON.parse(request.body) as LedgerRequest
    const op = body.operation
    this.requests.push(op.type)
    const now = Math.floor(Date.now() / 1000)
    switch (op.type) {
      case '105': {
        const nym = this.nyms.get(op.dest)
        const data = nym && { dest: nym.dest, identifier: nym.dest, role: nym.role ?? null, seqNo: nym.seqNo, txnTime: nym.txnTime, verkey: nym.verkey }
        return this.reply(body, { type: '105', dest: op.dest, data: data ? JSON.stringify(data) : null, seqNo: nym?.seqNo ?? null, txnTime: nym?.txnTime ?? null, state_proof: {} })
      }
      case '104': {
        const value = this.attribs.get(op.dest)?.[op.raw]
        return this.reply(body, { type: '104', dest: op.dest, raw: op.raw, data: value === undefined ? null : JSON.stringify({ [op.raw]: value }), seqNo: value === undefined ? null : this.seqNo, txnTime: now })
      }
      case '6':
        return this.reply(body, { type: '6', data: this.agreement ? { ...this.agreement, digest: this.agreementDigest } : null, seqNo: this.agreement ? 7 : null, txnTime: now })
      case '7':
        return this.reply(body, { type: '7', data: this.agreement ? this.aml : null, seqNo: this.agreement ? 6 : null, txnTime: now })
      case '1': {
        const submitter = this.authenticate(body, request.signatureInput)
        const existing = this.nyms.get(op.dest)
        const mayCreate = [ROLE.TRUSTEE, ROLE.STEWARD, ROLE.ENDORSER].includes(submitter.role as never)
        if (!existing && !mayCreate) this.refuse(body, `UnauthorizedClientRequest: ${body.identifier} is neither Trustee nor Steward nor Endorser`)
        if (op.role === ROLE.TRUSTEE && submitter.role !== ROLE.TRUSTEE) this.refuse(body, 'UnauthorizedClientRequest: only a TRUSTEE can add a TRUSTEE')
        if (existing && existing.dest !== body.identifier) this.refuse(body, `UnauthorizedClientRequest: ${op.dest} is owned by another DID`)
        this.putNym({ dest: op.dest, verkey: op.verkey, role: op.role ?? null, alias: op.alias })
        this.writes.push({ type: '1', submitter: body.identifier!, operation: op, taaAcceptance: body.taaAcceptance })
        return this.reply(body, { type: '1', txn: { data: op }, txnMetadata: { seqNo: this.seqNo, txnTime: now } })
      }
      case '100': {
        this.authenticate(body, request.signatureInput)
        if (op.dest !== body.identifier) this.refuse(body, `UnauthorizedClientRequest: only ${op.dest} may add its attributes`)
        const raw = JSON.parse(op.raw) as Record<string, unknown>
        this.attribs.set(op.dest, { ...this.attribs.get(op.dest), ...raw })
        this.writes.push({ type: '100', submitter: body.identifier!, operation: op, taaAcceptance: body.taaAcceptance })
        return this.reply(body, { type: '100', txn: { data: op }, txnMetadata: { seqNo: ++this.seqNo, txnTime: now } })
      }
      case '101': {
        const submitter = this.authenticate(body, request.signatureInput)
        if (!submitter.role) this.refuse(body, `UnauthorizedClientRequest: ${body.identifier} has no role that may write a SCHEMA`)
        const id = `${body.identifier}:2:${op.data.name}:${op.data.version}`
        if (this.schemas.has(id)) this.refuse(body, `client request invalid: can have one and only one SCHEMA with name ${op.data.name} and version ${op.data.version}`)
        this.schemas.set(id, { seqNo: ++this.seqNo, from: body.identifier!, data: op.data })
        this.writes.push({ type: '101', submitter: body.identifier!, operation: op, taaAcceptance: body.taaAcceptance })
        return this.reply(body, { type: '101', txn: { data: op }, txnMetadata: { seqNo: this.seqNo, txnTime: now } })
      }
      case '107': {
        const schema = this.schemas.get(`${op.dest}:2:${op.data.name}:${op.data.version}`)
        return this.reply(body, { type: '107', dest: op.dest, data: schema ? schema.data : { name: op.data.name, version: op.data.version }, seqNo: schema?.seqNo ?? null, txnTime: schema ? now : null })
      }
      case '3': {
        const schema = [...this.schemas.values()].find((s) => s.seqNo === op.data)
        const data = schema && { txn: { type: '101', data: { data: schema.data }, metadata: { from: schema.from } }, txnMetadata: { seqNo: schema.seqNo, txnTime: now }, ver: '1' }
        return this.reply(body, { type: '3', data: data ?? null, seqNo: schema?.seqNo ?? null })
      }
      case '102': {
        const submitter = this.authenticate(body, request.signatureInput)
        if (!submitter.role) this.refuse(body, `UnauthorizedClientRequest: ${body.identifier} has no role that may write a CLAIM_DEF`)
        if (![...this.schemas.values()].some((s) => s.seqNo === op.ref)) this.refuse(body, `client request invalid: no SCHEMA with seqNo ${op.ref}`)
        const key = `${body.identifier}:${op.ref}:${op.tag}`
        if (this.credentialDefinitions.has(key)) this.refuse(body, `client request invalid: CLAIM_DEF ${key} exists`)
        this.credentialDefinitions.set(key, { seqNo: ++this.seqNo, origin: body.identifier!, ref: op.ref, tag: op.tag, data: op.data })
        this.writes.push({ type: '102', submitter: body.identifier!, operation: op, taaAcceptance: body.taaAcceptance })
        return this.reply(body, { type: '102', txn: { data: op }, txnMetadata: { seqNo: this.seqNo, txnTime: now } })
      }
      case '108': {
        const found = this.credentialDefinitions.get(`${op.origin}:${op.ref}:${op.tag}`)
        return this.reply(body, { type: '108', origin: op.origin, ref: op.ref, tag: op.tag, signature_type: 'CL', data: found?.data ?? null, seqNo: found?.seqNo ?? null, txnTime: found ? now : null })
      }
      default:
        this.refuse(body, `client request invalid: the ledger double does not know operation type ${op.type}`)
    }
  }
}
