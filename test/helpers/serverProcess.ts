// Runs Credence as a child process exactly as `npm start` does after its build step
// (`node dist/main.js`), on free loopback ports, with the environment the test gives it.
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'

import { freePorts } from './ports'
import { waitFor } from './waitFor'

const ROOT = path.resolve(__dirname, '..', '..')

export interface ServerProcess {
  adminUrl: string
  inboundUrl: string
  env: NodeJS.ProcessEnv
  pid: number
  output(): string
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
  /** kill -9: no shutdown at all, as an OOM kill or a power loss. Resolves once the process is gone. */
  crash(): Promise<void>
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  // Given ports (a restart of the same instance) are kept; otherwise free ones are picked. A port
  // is free only when asked: another process may take it before the child binds. Then the child
  // exits with EADDRINUSE and is started again on new ports.
  const portsGiven = Boolean(env.CREDENCE_ADMIN_PORT || env.CREDENCE_INBOUND_PORT)
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env)
    } catch (error) {
      if (portsGiven || attempt === 3 || !(error instanceof PortTakenError)) throw error
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(env: Record<string, string>): Promise<ServerProcess> {
  const [freeAdmin, freeInbound] = await freePorts(2)
  const adminPort = env.CREDENCE_ADMIN_PORT ? Number(env.CREDENCE_ADMIN_PORT) : freeAdmin
  const inboundPort = env.CREDENCE_INBOUND_PORT ? Number(env.CREDENCE_INBOUND_PORT) : freeInbound
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
  const ready = waitFor(`Credence at ${adminUrl} to answer /status/ready`, async () => {
    const response = await fetch(`${adminUrl}/status/ready`)
    return response.ok ? true : undefined
  }, 60_000)
  // An early exit fails the start at once rather than after the whole wait.
  const outcome = await Promise.race([ready.then(() => 'ready' as const, (error: Error) => error), exited.then((code) => code)])
  if (outcome !== 'ready') {
    child.kill('SIGKILL')
    const reason = outcome instanceof Error ? outcome.message : `process exited with ${outcome}`
    if (/already in use|EADDRINUSE/.test(output)) throw new PortTakenError(`${reason}
${output}`)
    throw new Error(`${reason}
--- server output ---
${output}`)
  }
  return {
    adminUrl,
    inboundUrl: `http://127.0.0.1:${inboundPort}`,
    env: childEnv,
    pid: child.pid!,
    output: () => output,
    stop: () => stopChild(child, exited),
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
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
