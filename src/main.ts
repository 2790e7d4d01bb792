// Composition root: config → logger → secrets → server; owns signals and the exit code.
import { ConfigError, loadConfig } from './config'
import { createLogger } from './logger'
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
  const logger = createLogger(config.logLevel)
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
  const server = await startServer(config, secrets, logger)

  let exiting = false
  const shutdown = (signal: string) => {
    if (exiting) return
    exiting = true
    logger.info({ signal }, 'shutting down')
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

main().catch((error) => {
  process.stderr.write(`Credence failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
