// The one logger. Credo logs through the same pino instance (CredoPinoLogger), so a line from
// an HTTP request and a line from DIDComm processing share one format and one destination.
import pino, { type Logger } from 'pino'

import { BaseLogger, LogLevel } from './agent/credo'
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

export type LogFormat = 'auto' | 'json' | 'pretty'

/**
 * The logger; `format` decides the destination when none is given: JSON lines for collectors, or
 * one readable line per entry on a terminal (`auto` picks by whether stdout is a TTY).
 */
export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): AppLogger {
  if (!destination && (format === 'pretty' || (format === 'auto' && process.stdout.isTTY))) {
    destination = prettyLines(process.stdout, Boolean(process.stdout.isTTY))
  }
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

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
const LEVEL_COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' }
/** Fields every line carries that a person reading a terminal does not need repeated. */
const QUIET_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'err'])

/**
 * A pino destination that turns each JSON line into `time LEVEL message key=value…`, with an
 * error's stack on the lines below. Formatting happens after redaction, so secrets stay out here too.
 */
export function prettyLines(out: NodeJS.WritableStream, colour: boolean): pino.DestinationStream {
  const paint = (code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text)
  return {
    write(line: string) {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line)
      } catch {
        out.write(line)
        return
      }
      const level = Number(entry.level)
      const time = new Date(Number(entry.time)).toISOString().slice(11, 23)
      const fields = Object.entries(entry)
        .filter(([key]) => !QUIET_FIELDS.has(key))
        .map(([key, value]) => `${paint('2', `${key}=`)}${typeof value === 'string' ? value : JSON.stringify(value)}`)
      const err = entry.err as { type?: string; message?: string; stack?: string } | undefined
      const stack = err ? `\n    ${(err.stack ?? `${err.type}: ${err.message}`).split('\n').join('\n    ')}` : ''
      const name = (LEVEL_NAMES[level] ?? String(entry.level)).padEnd(5)
      out.write(`${paint('2', time)} ${paint(LEVEL_COLOURS[level] ?? '0', name)} ${entry.msg ?? ''}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}\n`)
    },
  }
}

const PINO_TO_CREDO_LEVEL: Record<string, LogLevel> = {
  trace: LogLevel.trace,
  debug: LogLevel.debug,
  info: LogLevel.info,
  warn: LogLevel.warn,
  error: LogLevel.error,
  fatal: LogLevel.fatal,
}

/** A field of a Credo log line longer than this (as JSON) is replaced by its size above `debug`. */
const MAX_FIELD_CHARS = 1024
/** Lines of one kind (level and message head) written per minute; the rest are counted, not written. */
const REPEATS_PER_MINUTE = 10
const THROTTLE_KEYS = 1000

/**
 * Cuts repeats of one kind of line to `perMinute`; the first line after a cut window says how many
 * were left out. Keys are bounded: past `THROTTLE_KEYS` kinds the table starts again.
 */
export function logThrottle(perMinute = REPEATS_PER_MINUTE, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; written: number; skipped: number }>()
  /** Whether to write this line, and how many of its kind were skipped before it. */
  return (key: string): { write: boolean; skipped: number } => {
    const time = now()
    let window = windows.get(key)
    if (!window || time - window.start >= 60_000) {
      if (!window && windows.size >= THROTTLE_KEYS) windows.clear()
      const skipped = window?.skipped ?? 0
      window = { start: time, written: 0, skipped: 0 }
      windows.set(key, window)
      window.written++
      return { write: true, skipped }
    }
    if (window.written >= perMinute) {
      window.skipped++
      return { write: false, skipped: 0 }
    }
    window.written++
    return { write: true, skipped: 0 }
  }
}

/**
 * Lines Credo writes about a message we refuse anyway: the inbound endpoint logs one bounded line
 * of its own for it, so these (which carry the whole envelope, once per routing retry) go to debug.
 */
const REFUSAL_LINES = ["Couldn't determine tenant id", 'Error while decrypting message', 'Failed to process message']
/** DIDComm plaintext (basic-message content included) is logged at debug only. */
const PLAINTEXT_LINES = ['Received message with type']
/**
 * Boot lines that tell an operator nothing to act on. Credo warns about each "experimental" module
 * it registers and asks for exact @credo-ts versions, which package.json pins; some are registered
 * whether or not Credence uses them (SD-JWT VC, mdoc and X.509 come with the core module set, and
 * DIF presentation exchange queries their records). The agent's whole config is repeated by
 * Credence's own "Credence ready" line.
 */
const EXPERIMENTAL_MODULE_WARNING = / module is experimental and could have unexpected breaking changes/
const BOOT_NOISE_LINES = ['Creating agent with config']
/** Lines written at debug whatever level Credo gives them, by their opening words (one list, built once). */
const DEMOTED_HEADS = [...REFUSAL_LINES, ...PLAINTEXT_LINES, ...BOOT_NOISE_LINES]
const isDemoted = (message: string) => DEMOTED_HEADS.some((head) => message.startsWith(head)) || EXPERIMENTAL_MODULE_WARNING.test(message)

const isDidCommMessage = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && ('@type' in value || 'ciphertext' in value)

/** A field as it may be written above debug: messages by type and id only, long values by size. */
function boundedField(value: unknown): unknown {
  if (value instanceof Error) {
    return { type: value.name, message: value.message.slice(0, MAX_FIELD_CHARS), stack: value.stack?.split('\n').slice(1, 12).join('\n') }
  }
  if (isDidCommMessage(value)) {
    return '@type' in value ? { '@type': value['@type'], '@id': value['@id'] } : '[encrypted message omitted]'
  }
  if (typeof value === 'string') return value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS)}… [${value.length} chars]` : value
  if (typeof value !== 'object' || value === null) return value
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch {
    return '[unserialisable value omitted]'
  }
  return json && json.length > MAX_FIELD_CHARS ? `[${json.length} chars omitted]` : value
}

/**
 * Credo's Logger interface on top of pino; `contextCorrelationId` becomes `walletId`. What Credo
 * writes above debug is bounded (see boundedField) and its repeated warnings and errors are
 * throttled, so no peer can make one message cost more than a line or two of log.
 */
export class CredoPinoLogger extends BaseLogger {
  private readonly throttle = logThrottle()

  constructor(private readonly logger: AppLogger) {
    super(PINO_TO_CREDO_LEVEL[logger.level] ?? LogLevel.info)
    this.logger = logger.child({ component: 'credo' })
  }

  private write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: string, data?: Record<string, unknown>) {
    const demoted = level !== 'trace' && level !== 'debug' && isDemoted(message)
    if (demoted) level = 'debug'
    const verbose = level === 'trace' || level === 'debug'
    if (!verbose && !this.logger.isLevelEnabled(level)) return
    let skipped = 0
    if (level === 'warn' || level === 'error') {
      const verdict = this.throttle(`${level} ${message.slice(0, 80)}`)
      if (!verdict.write) return
      skipped = verdict.skipped
    }
    if (!verbose && message.length > MAX_FIELD_CHARS) message = `${message.slice(0, MAX_FIELD_CHARS)}… [${message.length} chars]`
    if (!data && !skipped) return this.logger[level](message)
    // Credo passes a DIDComm message itself as the data of some lines.
    const { error, contextCorrelationId, ...rest } = (isDidCommMessage(data) ? { message: data } : (data ?? {})) as Record<string, unknown> & {
      error?: unknown
      contextCorrelationId?: string
    }
    const fields: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(rest)) fields[key] = verbose ? value : boundedField(value)
    if (contextCorrelationId) fields.walletId = contextCorrelationId
    if (error instanceof Error) fields.err = verbose ? error : boundedField(error)
    else if (error !== undefined) fields.error = verbose ? error : boundedField(error)
    if (skipped) fields.repeatsSkipped = skipped
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
