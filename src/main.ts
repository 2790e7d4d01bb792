// Composition root: config → logger → secrets → server; owns signals and the exit code.
import { ConfigError, loadConfig } from './config'
import { BootRefusal } from './errors'
import { createLogger } from './logger'
import { collectGarbagePeriodically } from './nativeMemory'
import { resolveBootSecrets } from './secrets'
import { startServer } from './server'

async function main() {
  let config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(2)
    }
    throw error
  }
  const logger = createLogger(config.logLevel, undefined, config.logFormat)
  const secrets = resolveBootSecrets(config)
  // Generated keys are shown once, on the terminal only (never through the logger).
  for (const [value, file, variable, use] of [
    [secrets.generatedAdminApiKey, 'admin-api-key', 'CREDENCE_ADMIN_API_KEY', 'ACA-Py admin routes'],
    [secrets.generatedBaseApiKey, 'base-api-key', 'CREDENCE_BASE_API_KEY', '/api/subwallet and /api/apikey routes'],
  ] as const) {
    if (!value) continue
    process.stderr.write(
      `\nGenerated ${file.replace(/-/g, ' ')} (kept in ${config.dataDir}/secrets/${file}; shown only now):\n` +
        `  ${value}\nUse it as the x-api-key header for the ${use}. Set ${variable} to choose your own.\n`,
    )
  }
  collectGarbagePeriodically(config.gcIntervalSeconds)
  const server = await startServer(config, secrets, logger)

  let exiting = false
  const shutdown = (signal: string) => {
    if (exiting) {
      // A second signal means "now": the operator has stopped waiting.
      logger.warn({ signal }, 'second signal: exiting without waiting')
      process.exit(1)
    }
    exiting = true
    logger.info({ signal }, 'shutting down')
    // Draining admin and DIDComm may each take the shutdown timeout; past twice that plus a
    // margin for closing the stores, something hangs and we exit anyway.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting')
      process.exit(1)
    }, config.shutdownTimeoutMs * 2 + 5_000).unref()
    server.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

/** The error and the causes it wraps (Credo wraps the native library's reason in `cause`). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let current: unknown = error; current && chain.length < 6; current = (current as { cause?: unknown }).cause) chain.push(current)
  return chain
}

/** The error and its causes, one per line. */
function describeError(error: unknown): string {
  return causeChain(error)
    .map((current) => (current instanceof Error ? (current.stack ?? current.message) : String(current)))
    .join('\ncaused by: ')
}

main().catch((error) => {
  // A port taken or a data directory in use is the operator's to fix, not a bug: one sentence
  // naming what to change, no stack.
  const refusal = causeChain(error).find((cause) => cause instanceof BootRefusal) as BootRefusal | undefined
  process.stderr.write(`Credence failed to start: ${refusal ? refusal.message : describeError(error)}\n`)
  process.exit(1)
})
