// Tenant bearer tokens as ACA-Py issues them: HS256 JWTs with claims {wallet_id, iat}, and `exp`
// when CREDENCE_TENANT_TOKEN_TTL is set (as ACA-Py's multitenant_provider plugin adds one). Only
// the newest token of a wallet is valid; the wallet row keeps its `iat` (see wallets.ts).
import { createHmac, timingSafeEqual } from 'node:crypto'

const HEADER = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'HS256' })).toString('base64url')

export interface TenantTokenClaims {
  wallet_id: string
  iat: number
  /** Seconds since the epoch after which the token is refused; absent: no expiry of its own. */
  exp?: number
}

const sign = (secret: string, signingInput: string) => createHmac('sha256', secret).update(signingInput).digest()

export function signTenantToken(secret: string, claims: TenantTokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${HEADER}.${payload}.${sign(secret, `${HEADER}.${payload}`).toString('base64url')}`
}

/** Returns the claims of a well-formed token with a valid signature, or undefined. */
export function verifyTenantToken(secret: string, token: string): TenantTokenClaims | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const [header, payload, signature] = parts
  const expected = sign(secret, `${header}.${payload}`)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg !== 'HS256') return undefined
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    if (typeof claims?.wallet_id !== 'string' || typeof claims?.iat !== 'number') return undefined
    if (claims.exp !== undefined && typeof claims.exp !== 'number') return undefined
    return { wallet_id: claims.wallet_id, iat: claims.iat, ...(claims.exp === undefined ? {} : { exp: claims.exp }) }
  } catch {
    return undefined
  }
}
