// Runs Credence as a child process exactly as `npm start` does after its build step
// (`node dist/main.js`), on free loopback ports, with the environment the test gives it.
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'

import { freePort } from './ports'
import { waitFor } from './waitFor'

const ROOT = path.resolve(__dirname, '..', '..')

export interface ServerProcess {
  adminUrl: string
  inboundUrl: string
  env: NodeJS.ProcessEnv
  output(): string
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  // Given ports (a restart of the same instance) are kept; otherwise free ones are picked.
  const adminPort = env.CREDENCE_ADMIN_PORT ? Number(env.CREDENCE_ADMIN_PORT) : await freePort()
  const inboundPort = env.CREDENCE_INBOUND_PORT ? Number(env.CREDENCE_INBOUND_PORT) : await freePort()
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CREDENCE_HOST: '127.0.0.1',
    CREDENCE_INBOUND_HOST: '127.0.0.1',
    CREDENCE_ADMIN_PORT: String(adminPort),
    CREDENCE_INBOUND_PORT: String(inboundPort),
    // An address, not `localhost`: what other agents (and did:web resolution) connect to.
    CREDENCE_ENDPOINT: `http://127.0.0.1:${inboundPort}`,
    CREDENCE_LOG_LEVEL: 'info',
    ...env,
  }
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const adminUrl = `http://127.0.0.1:${adminPort}`
  try {
    await waitFor(`Credence at ${adminUrl} to answer /status/ready`, async () => {
      if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}:\n${output}`)
      const response = await fetch(`${adminUrl}/status/ready`)
      return response.ok ? true : undefined
    }, 60_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`)
  }
  return {
    adminUrl,
    inboundUrl: `http://127.0.0.1:${inboundPort}`,
    env: childEnv,
    output: () => output,
    stop: () => stopChild(child, exited),
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const code = await exited
  clearTimeout(timer)
  return code
}

/** Runs Credence to completion (for boot errors) and returns its exit code and output. */
export async function runServerProcessToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, output }
}
