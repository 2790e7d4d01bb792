// Runs a real ACA-Py (installed by scripts/ensure-acapy.sh into a cached venv) as a child process
// on free loopback ports, for interop tests. When ACA-Py cannot be installed or started,
// startAcaPy throws: interop tests fail rather than skip.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { freePorts } from './ports'

const ROOT = path.resolve(__dirname, '..', '..')
const ENSURE_SCRIPT = path.join(ROOT, 'scripts', 'ensure-acapy.sh')

export interface AcaPy {
  /** e.g. http://127.0.0.1:12345 (no trailing slash) */
  adminUrl: string
  /** The DIDComm http endpoint ACA-Py advertises (same as its --endpoint). */
  inboundUrl: string
  /** ACA-Py's version as reported by GET /status. */
  version: string
  /** Everything ACA-Py printed so far (stdout and stderr interleaved). */
  output(): string
  /** SIGTERM, SIGKILL after 10 s; then removes the temp dir. Idempotent. */
  stop(): Promise<void>
  /** Calls the admin API; `body` is sent as JSON. The answer is parsed as JSON when it is JSON. */
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
}

export interface StartAcaPyOptions {
  label: string
  /** Host put in the advertised endpoint (default 127.0.0.1). ACA-Py always listens on 127.0.0.1. */
  endpointHost?: string
  /** Protocol automation flags; default ['--auto-accept-invites', '--auto-accept-requests']. */
  extraArgs?: string[]
  /**
   * An Indy ledger to use instead of --no-ledger; `seed` makes ACA-Py's public DID (register its NYM
   * on the ledger first). The wallet type defaults to `askar-anoncreds` (ACA-Py's AnonCreds wallet);
   * `askar` is the one whose issuer still speaks the legacy `indy` format (askar-anoncreds refuses it).
   */
  ledger?: { genesisFile: string; seed?: string; walletType?: 'askar-anoncreds' | 'askar' }
}

export const ACAPY_DEFAULT_EXTRA_ARGS = ['--auto-accept-invites', '--auto-accept-requests']

let cachedExecutable: string | undefined

/** Installs (or reuses) ACA-Py and returns the path of its `aca-py` executable. */
export function ensureAcaPy(): string {
  if (cachedExecutable) return cachedExecutable
  let stdout: string
  try {
    stdout = execFileSync('bash', [ENSURE_SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 15 * 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const e = error as { message: string; stdout?: string; stderr?: string }
    throw new Error(
      `scripts/ensure-acapy.sh failed: ACA-Py is unavailable (${e.message})\n` +
        `--- stdout ---\n${e.stdout ?? ''}\n--- stderr ---\n${e.stderr ?? ''}`,
    )
  }
  const lines = stdout.trim().split('\n')
  const executable = lines[lines.length - 1]?.trim()
  if (!executable || !fs.existsSync(executable)) {
    throw new Error(`scripts/ensure-acapy.sh did not print an existing aca-py executable; it printed:\n${stdout}`)
  }
  cachedExecutable = executable
  return executable
}

export async function startAcaPy(opts: StartAcaPyOptions): Promise<AcaPy> {
  const executable = ensureAcaPy()
  const [adminPort, inboundPort] = await freePorts(2)
  const endpointHost = opts.endpointHost ?? '127.0.0.1'
  const inboundUrl = `http://${endpointHost}:${inboundPort}`
  const adminUrl = `http://127.0.0.1:${adminPort}`
  // ACAPY_HOME holds the askar sqlite wallet (<home>/wallet/<name>/sqlite.db): nothing persists.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-acapy-'))
  const walletName = `credence-test-${randomBytes(6).toString('hex')}`
  const args = [
    'start',
    '--label', opts.label,
    '--inbound-transport', 'http', '127.0.0.1', String(inboundPort),
    '--outbound-transport', 'http',
    '--endpoint', inboundUrl,
    '--admin', '127.0.0.1', String(adminPort),
    '--admin-insecure-mode',
    ...(opts.ledger
      ? ['--genesis-file', opts.ledger.genesisFile, '--wallet-type', opts.ledger.walletType ?? 'askar-anoncreds', ...(opts.ledger.seed ? ['--seed', opts.ledger.seed] : [])]
      : ['--no-ledger', '--wallet-type', 'askar']),
    '--wallet-name', walletName,
    '--wallet-key', randomBytes(24).toString('hex'),
    '--auto-provision',
    '--preserve-exchange-records',
    '--emit-new-didcomm-prefix',
    '--log-level', 'info',
    ...(opts.extraArgs ?? ACAPY_DEFAULT_EXTRA_ARGS),
  ]
  // Keep the caller's ACAPY_* variables out: ACA-Py reads every flag from them too.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('ACAPY_')),
  )
  env.ACAPY_HOME = home
  env.PYTHONUNBUFFERED = '1'

  const child = spawn(executable, args, { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  let spawnError: Error | undefined
  child.once('error', (error) => (spawnError = error))
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && !spawnError) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      fs.rmSync(home, { recursive: true, force: true })
    })()
    return stopped
  }

  const admin = async <T = any>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${adminUrl}${urlPath.startsWith('/') ? '' : '/'}${urlPath}`, {
      method: method.toUpperCase(),
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T }
  }

  const deadline = Date.now() + 90_000
  let lastError: unknown
  try {
    for (;;) {
      if (spawnError) throw new Error(`could not spawn ${executable}: ${spawnError.message}`)
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`ACA-Py exited early (code ${child.exitCode}, signal ${child.signalCode})`)
      }
      try {
        const response = await fetch(`${adminUrl}/status/ready`)
        if (response.ok && ((await response.json()) as { ready?: boolean }).ready === true) break
      } catch (error) {
        lastError = error
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after 90 s waiting for ${adminUrl}/status/ready${lastError ? ` (last error: ${String(lastError)})` : ''}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  } catch (error) {
    await stop()
    throw new Error(
      `startAcaPy(${JSON.stringify(opts.label)}): ${(error as Error).message}\n` +
        `--- command ---\n${executable} ${args.join(' ')}\n--- ACA-Py output ---\n${output}`,
    )
  }

  const status = await admin<{ version?: string }>('GET', '/status')
  return {
    adminUrl,
    inboundUrl,
    version: status.body?.version ?? 'unknown',
    output: () => output,
    stop,
    admin,
  }
}
