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
  if (secrets.generatedAdminApiKey) {
    // Shown once, on the terminal only (never through the logger), so the operator can use it.
    process.stderr.write(
      `\nGenerated an admin API key (kept in ${config.dataDir}/secrets/admin-api-key; shown only now):\n` +
        `  ${secrets.generatedAdminApiKey}\nUse it as the x-api-key header. Set CREDENCE_ADMIN_API_KEY to choose your own.\n\n`,
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
