// Errors that services throw. They say what went wrong in domain terms; the HTTP error middleware
// is the one place that turns them into status codes.
export type DomainErrorKind =
  | 'bad_request'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_many'
  /** Something Credence does not do, e.g. a DID method it cannot resolve. */
  | 'not_implemented'
  /** A peer agent could not be reached or did not answer. */
  | 'peer_unavailable'
  /** A service this request needs is not configured here (e.g. SMTP). */
  | 'unavailable'

/**
 * A start refused for a reason the operator fixes (a port taken, a data directory in use): the
 * process prints its message alone, one sentence naming what to change, with no stack trace.
 */
export class BootRefusal extends Error {
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

export class DomainError extends Error {
  constructor(
    public readonly kind: DomainErrorKind,
    message: string,
    /** The request field the error is about, when there is one. */
    public readonly field?: string,
    /** For a refusal that passes with time (429): seconds after which to try again (`Retry-After`). */
    public readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const badRequest = (field: string, message: string) => new DomainError('bad_request', message, field)
export const invalid = (field: string, message: string) => new DomainError('invalid', message, field)
export const notFoundError = (message: string) => new DomainError('not_found', message)
export const conflict = (field: string, message: string) => new DomainError('conflict', message, field)
export const unauthorizedError = (message: string) => new DomainError('unauthorized', message)
export const forbidden = (message: string) => new DomainError('forbidden', message)
export const tooMany = (message: string, retryAfterSeconds?: number) => new DomainError('too_many', message, undefined, retryAfterSeconds)
export const notImplemented = (message: string) => new DomainError('not_implemented', message)
export const peerUnavailable = (message: string) => new DomainError('peer_unavailable', message)
export const unavailable = (message: string) => new DomainError('unavailable', message)

/**
 * The error as a face names its request's fields. A service names the field it is about by the path
 * of its own input (`connectionId`, `offer.credential.issuer`); `names` maps such a path, or a
 * leading part of it, to what the face's request calls it (`conn_id`, `filter.ld_proof`). The
 * longest part named wins; a field the face does not rename keeps its name.
 */
export function withFieldNames(error: unknown, names: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof DomainError) || !error.field) return error
  const field = error.field
  const prefix = Object.keys(names)
    .filter((key) => field === key || field.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length)[0]
  if (prefix === undefined) return error
  return new DomainError(error.kind, error.message, names[prefix] + field.slice(prefix.length), error.retryAfterSeconds)
}
