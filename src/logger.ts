// The one logger. Credo logs through the same pino instance (CredoPinoLogger), so a line from
// an HTTP request and a line from DIDComm processing share one format and one destination.
import { BaseLogger, LogLevel } from '@credo-ts/core'
import pino, { type Logger } from 'pino'

import { currentRequestScope } from './requestScope'

export type AppLogger = Logger

/**
 * Fields that hold credentials are replaced before a line is written, at the top level and one
 * level down (pino's wildcards do not recurse). The first defence is not logging them at all.
 */
const SECRET_FIELDS = [
  'authorization',
  'x-api-key',
  'wallet_key',
  'walletKey',
  'adminApiKey',
  'baseApiKey',
  'jwtSecret',
  'hmacSecret',
  'api_key',
  'apiKey',
  'key',
  'token',
  'password',
  'seed',
]
const REDACT = SECRET_FIELDS.flatMap((field) => [`["${field}"]`, `*["${field}"]`])

export function createLogger(level: string, destination?: pino.DestinationStream): AppLogger {
  return pino(
    {
      level,
      base: { service: 'credence' },
      redact: { paths: REDACT, censor: '[redacted]' },
      // Lines written while serving a request carry its ids, whoever writes them.
      mixin: () => {
        const scope = currentRequestScope()
        return scope ? { requestId: scope.requestId, ...(scope.walletId ? { walletId: scope.walletId } : {}) } : {}
      },
    },
    destination,
  )
}

const PINO_TO_CREDO_LEVEL: Record<string, LogLevel> = {
  trace: LogLevel.trace,
  debug: LogLevel.debug,
  info: LogLevel.info,
  warn: LogLevel.warn,
  error: LogLevel.error,
  fatal: LogLevel.fatal,
}

/** Credo's Logger interface on top of pino; `contextCorrelationId` becomes `walletId`. */
export class CredoPinoLogger extends BaseLogger {
  constructor(private readonly logger: AppLogger) {
    super(PINO_TO_CREDO_LEVEL[logger.level] ?? LogLevel.info)
    this.logger = logger.child({ component: 'credo' })
  }

  private write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: string, data?: Record<string, unknown>) {
    if (!data) return this.logger[level](message)
    const { error, contextCorrelationId, ...rest } = data as Record<string, unknown> & {
      error?: unknown
      contextCorrelationId?: string
    }
    const fields: Record<string, unknown> = { ...rest }
    if (contextCorrelationId) fields.walletId = contextCorrelationId
    if (error instanceof Error) fields.err = error
    else if (error !== undefined) fields.error = error
    this.logger[level](fields, message)
  }

  test(message: string, data?: Record<string, unknown>) {
    this.write('trace', message, data)
  }
  trace(message: string, data?: Record<string, unknown>) {
    this.write('trace', message, data)
  }
  debug(message: string, data?: Record<string, unknown>) {
    this.write('debug', message, data)
  }
  info(message: string, data?: Record<string, unknown>) {
    this.write('info', message, data)
  }
  warn(message: string, data?: Record<string, unknown>) {
    this.write('warn', message, data)
  }
  error(message: string, data?: Record<string, unknown>) {
    this.write('error', message, data)
  }
  fatal(message: string, data?: Record<string, unknown>) {
    this.write('fatal', message, data)
  }
}
