// Credence started in the test's own process (the same startServer as main.ts, on real loopback
// ports), for tests that must reach the running agent: reading its routes, or answering its
// ledger calls at Indy VDR's boundary. `process` has the shape the HTTP helpers take.
import { loadConfig } from '../../src/config'
import { createLogger } from '../../src/logger'
import { resolveBootSecrets } from '../../src/secrets'
import { startServer, type RunningServer } from '../../src/server'
import { freePort } from './ports'
import type { ServerProcess } from './serverProcess'

export interface InProcessServer {
  server: RunningServer
  process: ServerProcess
  secrets: ReturnType<typeof resolveBootSecrets>
}

export async function startInProcess(env: Record<string, string>): Promise<InProcessServer> {
  const inboundPort = await freePort()
  const fullEnv = {
    CREDENCE_ADMIN_PORT: '0',
    CREDENCE_HOST: '127.0.0.1',
    CREDENCE_INBOUND_HOST: '127.0.0.1',
    CREDENCE_INBOUND_PORT: String(inboundPort),
    CREDENCE_ENDPOINT: `http://127.0.0.1:${inboundPort}`,
    ...env,
  }
  const config = loadConfig(fullEnv)
  const secrets = resolveBootSecrets(config)
  const server = await startServer(config, secrets, createLogger('error'))
  const adminUrl = `http://127.0.0.1:${server.adminAddress.port}`
  return {
    server,
    secrets,
    process: {
      adminUrl,
      inboundUrl: `http://127.0.0.1:${server.inboundAddress.port}`,
      env: fullEnv,
      pid: process.pid,
      output: () => '',
      stop: async () => {
        await server.stop()
        return 0
      },
      crash: () => Promise.reject(new Error('an in-process server cannot be killed; use startServerProcess')),
    },
  }
}
