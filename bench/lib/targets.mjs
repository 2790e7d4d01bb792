// The systems under test, each started fresh on loopback with its store in a temp dir (or a
// throwaway PostgreSQL database): Credence (`node dist/main.js`) and ACA-Py (multitenant, every
// tenant an Askar profile in one store, as Credence keeps them). Each reports its process's CPU
// seconds and resident memory from /proc, so a run can say what a flow cost.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const CLOCK_TICKS = 100

export async function freePort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** CPU seconds (user + system) and resident set size of a live process, from /proc. */
export function processUsage(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
    const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return { cpuSeconds, rssBytes: rss ? Number(rss[1]) * 1024 : 0 }
  } catch {
    return { cpuSeconds: 0, rssBytes: 0 }
  }
}

/** Samples a process's RSS every 250 ms; `stop()` gives the peak, `byMinute` one sample a minute (MB). */
export function rssSampler(pid) {
  let peak = processUsage(pid).rssBytes
  const byMinute = []
  const begin = Date.now()
  const timer = setInterval(() => {
    const rss = processUsage(pid).rssBytes
    peak = Math.max(peak, rss)
    if (Date.now() - begin >= (byMinute.length + 1) * 60_000) byMinute.push(Math.round(rss / 2 ** 20))
  }, 250)
  return {
    byMinute,
    stop() {
      clearInterval(timer)
      return Math.max(peak, processUsage(pid).rssBytes)
    },
  }
}

async function waitReady(url, child, output, what) {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${output().slice(-3000)}`)
    try {
      const response = await fetch(`${url}/status/ready`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error(`${what} did not become ready:\n${output().slice(-3000)}`)
}

function spawnTarget(executable, args, env, cwd) {
  const child = spawn(executable, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk) => (output = (output + chunk).slice(-200_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('close', resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
  }
  return { child, output: () => output, stop }
}

/** A PostgreSQL URL for the bench (CREDENCE_BENCH_POSTGRES_URL, else the test cluster's role). */
export function postgresBase() {
  return new URL(process.env.CREDENCE_BENCH_POSTGRES_URL ?? 'postgres://credence:credence@127.0.0.1:54329/postgres')
}

/**
 * With `eventLoop`, the server carries bench/probes/event-loop-delay.cjs: `sample()` starts a
 * new sample and returns the previous one (ms: p50, p99, max, mean).
 */
function eventLoopProbe(pid, file) {
  return {
    async sample() {
      const before = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0
      process.kill(pid, 'SIGUSR2')
      const deadline = Date.now() + 5_000
      while (Date.now() < deadline) {
        if (fs.existsSync(file) && fs.statSync(file).mtimeMs !== before) return JSON.parse(fs.readFileSync(file, 'utf8'))
        await sleep(20)
      }
      return undefined
    },
  }
}

/** A networks file naming the pool for Credence's CREDENCE_INDY_NETWORKS_FILE. */
function indyNetworksFile(dir, genesisFile) {
  const file = path.join(dir, 'indy-networks.json')
  fs.writeFileSync(file, JSON.stringify({ 'local-pool': { indyNamespace: 'local:pool', isProduction: false, genesisFile } }))
  return file
}

/** With `ledger` ({ genesisFile, trustee }), the target is on that Indy pool. */
export async function startCredence({ storage, profileDir, eventLoop, ledger }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bench-'))
  const [adminPort, inboundPort] = [await freePort(), await freePort()]
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CREDENCE_DATA_DIR: dataDir,
    CREDENCE_HOST: '127.0.0.1',
    CREDENCE_INBOUND_HOST: '127.0.0.1',
    CREDENCE_ADMIN_PORT: String(adminPort),
    CREDENCE_INBOUND_PORT: String(inboundPort),
    CREDENCE_ENDPOINT: `http://127.0.0.1:${inboundPort}`,
    CREDENCE_DID_WEB_ALLOW_HTTP: 'true',
    CREDENCE_LOG_LEVEL: 'warn',
    // Node flags for the server alone (e.g. --expose-gc with a --require'd probe), for investigations.
    NODE_OPTIONS: process.env.CREDENCE_BENCH_NODE_OPTIONS ?? '',
  }
  if (ledger) {
    env.CREDENCE_INDY_NETWORKS = 'local-pool'
    env.CREDENCE_INDY_NETWORKS_FILE = indyNetworksFile(dataDir, ledger.genesisFile)
  }
  let database
  if (storage === 'postgres') {
    const url = postgresBase()
    database = `credence_bench_${randomBytes(5).toString('hex')}`
    url.pathname = `/${database}`
    env.CREDENCE_DATABASE_URL = url.toString()
  }
  // With a profile dir, V8 writes a CPU profile of the whole run there when the server exits.
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  const eventLoopFile = path.join(dataDir, 'event-loop-delay.json')
  if (eventLoop) {
    nodeArgs.push('--require', path.join(ROOT, 'bench', 'probes', 'event-loop-delay.cjs'))
    env.CREDENCE_BENCH_EVENT_LOOP_FILE = eventLoopFile
  }
  const target = spawnTarget(process.execPath, [...nodeArgs, path.join(ROOT, 'dist', 'main.js')], env, ROOT)
  const url = `http://127.0.0.1:${adminPort}`
  await waitReady(url, target.child, target.output, 'Credence')
  const adminKey = fs.readFileSync(path.join(dataDir, 'secrets', 'admin-api-key'), 'utf8').trim()
  return {
    name: 'credence',
    storage,
    url,
    adminKey,
    pid: target.child.pid,
    output: target.output,
    ledger,
    eventLoop: eventLoop ? eventLoopProbe(target.child.pid, eventLoopFile) : undefined,
    async stop() {
      await target.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
      if (database) dropDatabase(database)
    },
  }
}

/** Installs (or reuses) ACA-Py in the interop tests' cached venv; the `aca-py` executable. */
export function ensureAcaPy() {
  const stdout = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-acapy.sh')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  return stdout.trim().split('\n').at(-1).trim()
}

/**
 * With `ledger`, ACA-Py reads and writes the pool (--genesis-file, not --no-ledger); the base wallet
 * stays `askar`, and the tenants that need AnonCreds are created with wallet_type `askar-anoncreds`
 * (single-wallet-askar opens such a profile as an AskarAnonCredsProfile, so the /anoncreds routes work).
 */
export async function startAcaPy({ storage, ledger }) {
  const executable = ensureAcaPy()
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'acapy-bench-'))
  const [adminPort, inboundPort] = [await freePort(), await freePort()]
  const adminKey = randomBytes(16).toString('hex')
  const walletName = `acapy_bench_${randomBytes(5).toString('hex')}`
  const args = [
    'start',
    '--label', 'ACA-Py bench',
    '--inbound-transport', 'http', '127.0.0.1', String(inboundPort),
    '--outbound-transport', 'http',
    '--endpoint', `http://127.0.0.1:${inboundPort}`,
    '--admin', '127.0.0.1', String(adminPort),
    '--admin-api-key', adminKey,
    ...(ledger ? ['--genesis-file', ledger.genesisFile] : ['--no-ledger']),
    '--wallet-type', 'askar',
    '--wallet-name', walletName,
    '--wallet-key', randomBytes(16).toString('hex'),
    '--auto-provision',
    '--multitenant',
    '--multitenant-admin',
    '--jwt-secret', randomBytes(16).toString('hex'),
    // Every tenant a profile in one store, as Credence keeps them.
    '--multitenancy-config', 'wallet_type=single-wallet-askar', `wallet_name=${walletName}_tenants`,
    '--log-level', 'warning',
  ]
  if (storage === 'postgres') {
    const url = postgresBase()
    const account = decodeURIComponent(url.username)
    const password = decodeURIComponent(url.password)
    args.push(
      '--wallet-storage-type', 'postgres_storage',
      '--wallet-storage-config', JSON.stringify({ url: `${url.hostname}:${url.port || 5432}`, max_connections: 10 }),
      '--wallet-storage-creds', JSON.stringify({ account, password, admin_account: account, admin_password: password }),
    )
  }
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ACAPY_')))
  env.ACAPY_HOME = home
  env.PYTHONUNBUFFERED = '1'
  const target = spawnTarget(executable, args, env, home)
  const url = `http://127.0.0.1:${adminPort}`
  await waitReady(url, target.child, target.output, 'ACA-Py')
  return {
    name: 'acapy',
    storage,
    url,
    adminKey,
    pid: target.child.pid,
    output: target.output,
    ledger,
    version: (await (await fetch(`${url}/status`, { headers: { 'x-api-key': adminKey } })).json()).version,
    async stop() {
      await target.stop()
      fs.rmSync(home, { recursive: true, force: true })
      if (storage === 'postgres') for (const name of [walletName, `${walletName}_tenants`]) dropDatabase(name)
    },
  }
}

/** Drops a bench database with psql when it is there (best effort: a leftover is only disk). */
function dropDatabase(name) {
  const url = postgresBase()
  try {
    execFileSync('psql', [url.toString(), '-qc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], { stdio: 'ignore', env: { ...process.env, PGCONNECT_TIMEOUT: '5' } })
  } catch {
    // psql missing or the server gone: nothing to clean
  }
}
