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
 * Runs `action` for a face whose request names a field differently from the face the service was
 * written for (`conn_id` there, `connection_id` here): a DomainError naming a key of `names` is
 * thrown again naming its value, so every face's errors name its own request's fields.
 */
export async function underFieldNames<T>(names: Record<string, string>, action: () => Promise<T>): Promise<T> {
  try {
    return await action()
  } catch (error) {
    if (error instanceof DomainError && error.field && names[error.field]) throw new DomainError(error.kind, error.message, names[error.field], error.retryAfterSeconds)
    throw error
  }
}
