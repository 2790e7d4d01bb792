// Reads of what this process has just written to an Indy ledger are retried until the ledger has
// it. A write is confirmed once the pool has ordered it, but a read goes to one node, which may not
// have applied that batch yet: it answers "not found" (GET_SCHEMA even echoes the name and version
// with `seqNo: null`). Seen on a real indy-node 1.13 pool: a credential definition written right
// after its schema failed because Credo's read of the schema found nothing. A real network behaves
// the same (and a revocation registry's first entry, written right after its definition, found no
// definition). So each pool remembers for a while what it wrote (NYM, ATTRIB, SCHEMA, CLAIM_DEF,
// REVOC_REG_DEF, REVOC_REG_ENTRY, by the key a read names them with), and an empty read of such a
// key is asked again for a few seconds. Reads of anything else are answered as they come: a DID
// that is not on the ledger is not made to wait.
import type { AgentContext } from '@credo-ts/core'
import { CustomRequest, type IndyVdrRequest } from '@hyperledger/indy-vdr-shared'

import { IndyVdrPool } from '../credoInternals'
import { poolsOf } from '../indyLedger'
import type { CredoPatch } from './patch'

export const indyReadYourWrites: CredoPatch = {
  name: 'indyReadYourWrites',
  targets: { package: '@credo-ts/indy-vdr', version: '0.5.19' },
  why: 'a read right after a confirmed write could reach a node that had not applied it, and a schema just written was "not found"',
  upstream: 'none found; Credo reads once (main unchanged)',
  members: () => [{ owner: 'IndyVdrPool.prototype', object: IndyVdrPool.prototype, member: 'submitRequest' }],
}

export interface ReadYourWritesTiming {
  /** How long after a write its reads are retried. */
  rememberMs: number
  /** How long one read is retried at most. */
  retryForMs: number
  intervalMs: number
}

const DEFAULT_TIMING: ReadYourWritesTiming = { rememberMs: 30_000, retryForMs: 6_000, intervalMs: 200 }

interface RequestBody {
  identifier?: string
  operation: { type: string; [field: string]: unknown }
}

/** The key a write is read back by; undefined for requests that are not such writes. */
export function keysWritten({ identifier, operation: op }: RequestBody): string[] {
  switch (op.type) {
    case '1': // NYM
      return [`nym:${op.dest}`]
    case '100': {
      // ATTRIB: read back one top-level name of its raw JSON at a time
      let names: string[] = []
      try {
        names = Object.keys(JSON.parse(String(op.raw ?? '{}')))
      } catch {
        // not JSON: nothing Credence reads back
      }
      return names.map((name) => `attrib:${op.dest}:${name}`)
    }
    case '101': {
      const data = op.data as { name?: string; version?: string } | undefined
      return [`schema:${identifier}:${data?.name}:${data?.version}`]
    }
    case '102':
      return [`claimdef:${identifier}:${op.ref}:${op.tag}`]
    case '113': // REVOC_REG_DEF: registering its first entry reads it back at once
      return [`revregdef:${op.id}`]
    case '114': // REVOC_REG_ENTRY
      return [`revreg:${op.revocRegDefId}`]
    default:
      return []
  }
}

/** The key a read names; undefined for requests that are not such reads. */
export function keyRead({ operation: op }: RequestBody): string | undefined {
  switch (op.type) {
    case '105':
      return `nym:${op.dest}`
    case '104':
      return op.raw ? `attrib:${op.dest}:${op.raw}` : undefined
    case '107': {
      const data = op.data as { name?: string; version?: string } | undefined
      return `schema:${op.dest}:${data?.name}:${data?.version}`
    }
    case '108':
      return `claimdef:${op.origin}:${op.ref}:${op.tag}`
    case '115':
      return `revregdef:${op.id}`
    case '116': // GET_REVOC_REG
    case '117': // GET_REVOC_REG_DELTA
      return `revreg:${op.revocRegDefId}`
    default:
      return undefined
  }
}

/** The ledger answered that it has nothing under the key (yet). */
const foundNothing = (response: { result?: { seqNo?: unknown; data?: unknown } }) =>
  response.result?.seqNo == null || response.result?.data == null

let lastReqId = 0
const nextReqId = () => (lastReqId = Math.max(lastReqId + 1, Date.now() * 1000))

const parseBody = (request: IndyVdrRequest): RequestBody | undefined => {
  try {
    return JSON.parse(request.body) as RequestBody
  } catch {
    return undefined
  }
}

/** Wraps each configured pool's submitRequest (the one path Credo sends reads and writes by). */
export function retryReadsOfRecentWrites(rootContext: AgentContext, timing: ReadYourWritesTiming = DEFAULT_TIMING): void {
  for (const pool of poolsOf(rootContext)) {
    const submit = pool.submitRequest.bind(pool)
    const writtenAt = new Map<string, number>()
    const recentlyWritten = (key: string) => {
      const at = writtenAt.get(key)
      if (at === undefined) return false
      if (Date.now() - at <= timing.rememberMs) return true
      writtenAt.delete(key)
      return false
    }
    pool.submitRequest = (async (request: IndyVdrRequest) => {
      const body = parseBody(request)
      if (!body?.operation) return submit(request)
      const written = keysWritten(body)
      if (written.length > 0) {
        const response = await submit(request)
        const now = Date.now()
        for (const key of written) writtenAt.set(key, now)
        return response
      }
      const key = keyRead(body)
      if (!key || !recentlyWritten(key)) return submit(request)
      const deadline = Date.now() + timing.retryForMs
      let response = await submit(request)
      // Indy VDR consumes a request when it is submitted: each retry is the same read built anew.
      while (foundNothing(response as never) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, timing.intervalMs))
        response = await submit(new CustomRequest({ customRequest: { ...body, reqId: nextReqId() } }) as never)
      }
      return response
    }) as typeof pool.submitRequest
  }
}
