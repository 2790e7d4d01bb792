// Slows down credential guessing on the admin port. The guards in auth.ts ask `admit` before
// checking a credential and report each presented credential that failed verification to
// `failed`. Two counters, each over a window of a minute:
//
// - per source address: after the limit, every further guarded request from that address is
//   answered 429 before its credential is even looked at, until the window passes;
// - per credential prefix (the first characters of the presented key's or token's secret part,
//   kept only as a keyed hash): many failures for one prefix, from any number of addresses, turn
//   that prefix's further FAILURES into 429s. A credential that verifies is never refused for its
//   prefix, so nobody can lock a valid key out by hammering look-alikes of it.
//
// Successful requests are never counted or slowed. Memory is bounded: each map holds at most
// MAX_TRACKED entries, expired ones are dropped first, then the oldest.
import type { Request } from 'express'
import { createHmac, randomBytes } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'

import { DomainError, tooMany } from '../errors'
import type { AppLogger } from '../logger'

const WINDOW_MS = 60_000
/** Per map: ~10,000 addresses or prefixes at a few hundred bytes each. */
export const MAX_TRACKED = 10_000
/** How much of a credential's secret part identifies it for the prefix counter. */
const PREFIX_LENGTH = 8

export interface AuthThrottle {
  /** Before a credential is checked: the 429 to answer when the request's address is throttled. */
  admit(req: Request): DomainError | undefined
  /**
   * After a presented credential failed verification with `refusal` (a 401): counts the failure
   * and returns what to answer, the 401 itself or, once the address or prefix is throttled, a 429.
   */
  failed(req: Request, credential: string, refusal: DomainError): DomainError
}

interface Window {
  startedAt: number
  failures: number
}

/**
 * Failure counts in fixed windows that start at a key's first failure. Entries are kept in the
 * order their windows started (a new window is a delete and re-insert), so the oldest is first.
 */
class FailureWindows {
  private readonly windows = new Map<string, Window>()

  constructor(private readonly limit: number) {}

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key)
    if (window && now - window.startedAt >= WINDOW_MS) {
      this.windows.delete(key)
      return undefined
    }
    return window
  }

  /** Seconds until the key's window ends, when it holds at least `atLeast` failures; else undefined. */
  retryAfter(key: string, now: number, atLeast = this.limit): number | undefined {
    const window = this.current(key, now)
    if (!window || window.failures < atLeast) return undefined
    return Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000))
  }

  /** Counts one failure; true when this one used up the key's failures for its window. */
  add(key: string, now: number): boolean {
    let window = this.current(key, now)
    if (!window) {
      this.makeRoom(now)
      window = { startedAt: now, failures: 0 }
      this.windows.set(key, window)
    }
    window.failures++
    return window.failures === this.limit
  }

  private makeRoom(now: number) {
    for (const [key, window] of this.windows) {
      if (this.windows.size < MAX_TRACKED && now - window.startedAt < WINDOW_MS) return
      // Expired, or the map is full and this is the oldest window: either way it goes.
      this.windows.delete(key)
    }
  }
}

/**
 * The address a request is counted under. IPv4-mapped IPv6 counts as its IPv4 address, and IPv6
 * addresses count per /64: one host usually holds a whole /64, so counting single addresses would
 * give it 2^64 budgets.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1]
  if (isIPv4(address) || !isIPv6(address)) return address
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`
}

function expandIPv6(address: string): string[] {
  const withoutZone = address.split('%')[0]
  const [head, tail] = withoutZone.split('::')
  const groupsOf = (part: string | undefined) =>
    (part ? part.split(':') : []).flatMap((group) => {
      // An embedded IPv4 tail (64:ff9b::1.2.3.4) is two groups.
      if (!group.includes('.')) return [group]
      const [a, b, c, d] = group.split('.').map(Number)
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
    })
  const first = groupsOf(head)
  const last = groupsOf(tail)
  const zeros = tail === undefined ? [] : Array(8 - first.length - last.length).fill('0')
  return [...first, ...zeros, ...last].map((group) => parseInt(group, 16).toString(16))
}

/**
 * The part of a credential that identifies it: a JWT's signature (its header and claims are
 * public and alike across tokens), a wallet key's random part after `cred_`, else the start.
 */
function secretPart(credential: string): string {
  const segments = credential.split('.')
  if (segments.length === 3) return segments[2]
  return credential.startsWith('cred_') ? credential.slice('cred_'.length) : credential
}

export function authThrottle({ failuresPerMinute, logger }: { failuresPerMinute: number; logger: AppLogger }): AuthThrottle {
  if (failuresPerMinute === 0) return { admit: () => undefined, failed: (_req, _credential, refusal) => refusal }
  const byAddress = new FailureWindows(failuresPerMinute)
  const byPrefix = new FailureWindows(failuresPerMinute)
  // Prefixes are counted (and logged) only as an HMAC under a key that lives as long as the
  // process: a log line cannot be turned back into the start of anyone's key.
  const prefixKey = randomBytes(32)
  const prefixHash = (credential: string) =>
    createHmac('sha256', prefixKey).update(secretPart(credential).slice(0, PREFIX_LENGTH)).digest('base64url').slice(0, 16)
  const throttled = (retryAfterSeconds: number) =>
    tooMany('Too many failed authentications; try again later', retryAfterSeconds)

  return {
    admit(req) {
      const retryAfter = byAddress.retryAfter(addressKey(req.ip), Date.now())
      return retryAfter === undefined ? undefined : throttled(retryAfter)
    },
    failed(req, credential, refusal) {
      const now = Date.now()
      const address = addressKey(req.ip)
      const prefix = prefixHash(credential)
      // One line per address or prefix and window: the moment it is throttled, not per request.
      if (byAddress.add(address, now)) {
        logger.warn({ address, failures: failuresPerMinute, windowSeconds: WINDOW_MS / 1000 }, 'authentication failures from this address throttled')
      }
      if (byPrefix.add(prefix, now)) {
        logger.warn({ credentialPrefixHash: prefix, failures: failuresPerMinute, windowSeconds: WINDOW_MS / 1000 }, 'authentication failures for this credential prefix throttled')
      }
      // The failure that used up the budget still gets its 401; the ones after it get 429.
      const over = failuresPerMinute + 1
      const retryAfter = Math.max(byAddress.retryAfter(address, now, over) ?? 0, byPrefix.retryAfter(prefix, now, over) ?? 0)
      return retryAfter > 0 ? throttled(retryAfter) : refusal
    },
  }
}
