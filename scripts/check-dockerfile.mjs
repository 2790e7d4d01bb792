#!/usr/bin/env node
// Dry run of the Dockerfile without a Docker engine: reads the Dockerfile itself and carries out
// its steps on this machine, each stage in a fresh directory standing in for the image's root,
// from a clean build context (the repository's tracked files, .dockerignore applied). Then it
// starts the final stage's CMD with the final stage's ENV, waits until the admin API and the
// DIDComm port answer, stops it with SIGTERM and expects a clean exit 0.
//
// What it cannot do, and says so as it goes: steps that change the base system (apt-get,
// `npm install -g`, chown, USER) need the base image; they are skipped, and the host is checked
// to already provide what they would install. Nothing of the base image itself is tested.
//
// Usage: node scripts/check-dockerfile.mjs [--ref <git revision>] [--postgres <url>] [--keep]
//   --ref       build context from `git archive <rev>` instead of the working tree's tracked files
//   --postgres  also start once with CREDENCE_DATABASE_URL (as docker-compose.yml does), on a
//               throwaway database created through this server URL (a role that may CREATEDB,
//               e.g. postgres://credence:credence@127.0.0.1:54329/postgres) and dropped afterwards
//   --keep      keep the temporary directory (otherwise removed after a successful run)
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const started = Date.now()
/** Values never to be printed (the throwaway production secrets). */
const secrets = []
/** What a failed run leaves behind for inspection, named in the failure message. */
const leftovers = []
/** The temporary directory of this run (stage roots, logs); set once the arguments are read. */
let work = null
const args = process.argv.slice(2)
const keep = args.includes('--keep')
const valueOf = (flag) => {
  const index = args.indexOf(flag)
  if (index < 0) return undefined
  if (!args[index + 1] || args[index + 1].startsWith('--')) fail(`${flag} needs a value`)
  return args[index + 1]
}
const ref = valueOf('--ref')
const postgresUrl = valueOf('--postgres')
for (const [i, arg] of args.entries()) {
  if (!['--keep', '--ref', '--postgres'].includes(arg) && !['--ref', '--postgres'].includes(args[i - 1])) fail(`unknown argument ${arg}`)
}

if (postgresUrl) {
  let parsed
  try {
    parsed = new URL(postgresUrl)
  } catch {
    fail('--postgres needs a postgres:// URL')
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) fail('--postgres needs a postgres:// URL')
}
work = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-dockerfile-'))
const ran = []
const skipped = []
const ignored = []
const copies = []

// ---------------------------------------------------------------------------------------------
// Output helpers

function seconds(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s` : `${(ms / 1000).toFixed(1)} s`
}
function say(line = '') {
  process.stdout.write(`${line}\n`)
}
function redact(text) {
  let out = String(text)
  for (const secret of secrets) out = out.split(secret).join('[secret]')
  return out
}
function fail(message) {
  process.stderr.write(`\ncheck-dockerfile: FAILED: ${redact(message)}\n`)
  if (work && fs.existsSync(work)) process.stderr.write(`(kept for inspection: ${work})\n`)
  for (const leftover of leftovers) process.stderr.write(`(kept for inspection: ${leftover})\n`)
  process.stderr.write(`after ${seconds(Date.now() - started)}\n`)
  process.exit(1)
}

// ---------------------------------------------------------------------------------------------
// Build context: the tracked files (working tree content) or `git archive <ref>`, .dockerignore applied.

const source = path.join(work, 'source')
const context = path.join(work, 'context')

function git(...gitArgs) {
  return execFileSync('git', gitArgs, { cwd: repo, maxBuffer: 256 * 1024 * 1024 })
}

function prepareSource() {
  fs.mkdirSync(source)
  if (ref) {
    const tar = git('archive', '--format=tar', ref)
    execFileSync('tar', ['-x', '-C', source], { input: tar })
    return `git archive ${ref}`
  }
  const files = git('ls-files', '-z', '--cached').toString('utf8').split('\0').filter(Boolean)
  let copied = 0
  for (const file of files) {
    const from = path.join(repo, file)
    let stat
    try {
      stat = fs.lstatSync(from)
    } catch {
      continue // tracked but deleted in the working tree: not in the context either
    }
    const to = path.join(source, file)
    fs.mkdirSync(path.dirname(to), { recursive: true })
    if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to)
    else if (stat.isFile()) fs.copyFileSync(from, to)
    else continue // a submodule (gitlink) directory: not file content
    copied++
  }
  return `git ls-files (${copied} tracked files, working tree content)`
}

/** .dockerignore rules as Docker reads them: anchored at the context root, `**`, `!` re-includes, last match wins. */
function readDockerignore(text) {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!')
      const pattern = path.posix.normalize((negate ? line.slice(1) : line).trim()).replace(/^\/+/, '').replace(/\/+$/, '')
      let re = ''
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]
        if (c === '*' && pattern[i + 1] === '*') {
          i++
          if (pattern[i + 1] === '/') {
            i++
            re += '(?:.*/)?'
          } else re += '.*'
        } else if (c === '*') re += '[^/]*'
        else if (c === '?') re += '[^/]'
        else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
      }
      return { line, negate, re: new RegExp(`^${re}$`) }
    })
}

function isIgnored(rules, relative) {
  const parts = relative.split('/')
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
  let result = false
  for (const rule of rules) if (candidates.some((c) => rule.re.test(c))) result = !rule.negate
  return result
}

function listFiles(dir, prefix = '') {
  const out = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), relative))
    else out.push(relative)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Dockerfile parsing: the subset this repository's Dockerfile uses; anything else is an error, so
// a Dockerfile that grows past what this script understands fails here instead of being half-checked.

function parseDockerfile(text) {
  const lines = text.split(/\r?\n/)
  const instructions = []
  const comments = []
  let current = null
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim()
    if (trimmed.startsWith('#')) {
      comments.push({ line: index + 1, text: trimmed.replace(/^#\s?/, '') })
      continue // comment lines inside a continuation are dropped, as Docker does
    }
    if (!current && trimmed === '') continue
    const continued = /\\\s*$/.test(raw)
    const body = continued ? raw.replace(/\\\s*$/, '') : raw
    if (current) current.text += ` ${body.trim()}`
    else current = { line: index + 1, text: body.trim() }
    if (!continued) {
      instructions.push(current)
      current = null
    }
  }
  if (current) instructions.push(current)
  return {
    comments,
    instructions: instructions.map(({ line, text }) => {
      const match = /^(\S+)\s*(.*)$/.exec(text)
      return { line, keyword: match[1].toUpperCase(), rest: match[2].trim(), text }
    }),
  }
}

/** Shell-like word splitting with quotes, for ENV and COPY arguments. */
function words(text) {
  const out = []
  let word = null
  let quote = null
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = null
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i]
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ''
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i]
    } else if (/\s/.test(c)) {
      if (word !== null) out.push(word)
      word = null
    } else word = (word ?? '') + c
  }
  if (quote) throw new Error(`unterminated quote in: ${text}`)
  if (word !== null) out.push(word)
  return out
}

/** Splits a shell command on top-level `&&` (outside quotes). */
function splitAnd(command) {
  const parts = []
  let currentPart = ''
  let quote = null
  for (let i = 0; i < command.length; i++) {
    const c = command[i]
    if (quote) {
      if (c === quote) quote = null
      currentPart += c
    } else if (c === '"' || c === "'") {
      quote = c
      currentPart += c
    } else if (c === '&' && command[i + 1] === '&') {
      parts.push(currentPart.trim())
      currentPart = ''
      i++
    } else currentPart += c
  }
  parts.push(currentPart.trim())
  return parts.filter(Boolean)
}

function noSubstitution(instruction) {
  if (instruction.rest.includes('$')) {
    fail(`Dockerfile line ${instruction.line}: variable substitution in ${instruction.keyword} is not interpreted by this check: ${instruction.text}`)
  }
}

function volumeList(rest) {
  return rest.startsWith('[') ? JSON.parse(rest) : words(rest)
}

// ---------------------------------------------------------------------------------------------
// Host checks standing in for the system steps the image's base system would carry out.

function commandOutput(command, commandArgs) {
  try {
    return execFileSync(command, commandArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  } catch {
    return null
  }
}

function parseVersion(text) {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text ?? '')
  return m ? m.slice(1, 4).map(Number) : null
}
function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}
/** The few npm version specs a Dockerfile uses: `11`, `11.16`, `11.16.0`, `^11.16.0`, `>=11.16.0`. */
function satisfies(version, spec) {
  const m = /^(\^|>=|~)?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(spec)
  if (!m) fail(`npm version spec "${spec}" is not one this check understands`)
  const [, op, major, minor, patch] = m
  const floor = [Number(major), Number(minor ?? 0), Number(patch ?? 0)]
  if (compareVersions(version, floor) < 0) return false
  if (op === '>=') return true
  if (op === '~') return version[0] === floor[0] && version[1] === floor[1]
  if (!op && patch !== undefined) return compareVersions(version, floor) === 0
  if (!op && minor !== undefined) return version[0] === floor[0] && version[1] === floor[1]
  return version[0] === floor[0]
}

const APT_BINARIES = { python3: ['python3', '--version'], make: ['make', '--version'], 'g++': ['g++', '--version'] }

function checkAptPackages(packages) {
  const found = []
  for (const pkg of packages) {
    const status = commandOutput('dpkg-query', ['-W', '-f=${db:Status-Abbrev} ${Version}', pkg])
    if (status) {
      if (!status.startsWith('ii')) fail(`the image installs the Debian package ${pkg}; this host has it in state "${status}"`)
      found.push(`${pkg} ${status.split(' ').pop()}`)
      continue
    }
    const probe = APT_BINARIES[pkg]
    const output = probe ? commandOutput(probe[0], probe.slice(1)) : null
    if (!output) fail(`the image installs the Debian package ${pkg}; this host has no dpkg entry for it${probe ? ` and no ${probe[0]}` : ''}`)
    found.push(`${pkg} (${output.split('\n')[0]})`)
  }
  return `host has ${found.join(', ')}`
}

/** The repository's npm requirement: `allowScripts` in package.json is read from npm 11.16 on. */
function npmRequirement() {
  const pkg = JSON.parse(fs.readFileSync(path.join(context, 'package.json'), 'utf8'))
  return pkg.allowScripts ? [11, 16, 0] : null
}

function checkGlobalNpm(spec) {
  const version = parseVersion(commandOutput('npm', ['--version']))
  if (!version) fail('npm is not on PATH')
  const shown = version.join('.')
  if (!satisfies(version, spec)) fail(`the image installs npm@${spec}; this host's npm is ${shown}, which does not match`)
  const floor = npmRequirement()
  if (floor && compareVersions(version, floor) < 0) {
    fail(`package.json's allowScripts needs npm >= ${floor.join('.')}; this host's npm is ${shown}`)
  }
  return `host npm ${shown} matches npm@${spec}${floor ? ` and is >= ${floor.join('.')} (package.json allowScripts)` : ''}`
}

/**
 * A part of a RUN line that changes the base system rather than the project: not run on the host.
 * Returns why it is skipped and what the host provides instead, or null for a project step.
 */
function systemStep(part) {
  const argv = words(part)
  const [command, ...rest] = argv
  if (command === 'apt-get' || command === 'apt') {
    const sub = rest.find((w) => !w.startsWith('-'))
    if (sub === 'install') return { why: 'system package step, needs the base image', host: checkAptPackages(rest.filter((w) => !w.startsWith('-') && w !== 'install')) }
    return { why: 'system package step, needs the base image', host: null }
  }
  if (command === 'rm' && rest.some((w) => w.startsWith('/var/lib/apt/'))) {
    return { why: 'system package step (apt list cleanup), needs the base image', host: null }
  }
  if (command === 'npm' && ['install', 'i'].includes(rest[0]) && rest.some((w) => w === '-g' || w === '--global')) {
    const specs = rest.slice(1).filter((w) => !w.startsWith('-'))
    const hosts = specs.map((s) => {
      const m = /^npm@(.+)$/.exec(s)
      if (!m) fail(`global install of ${s} is not one this check knows how to stand in for`)
      return checkGlobalNpm(m[1])
    })
    return { why: 'system package step, needs the base image', host: hosts.join('; ') }
  }
  if (['chown', 'useradd', 'groupadd', 'adduser', 'addgroup'].includes(command)) {
    return { why: "ownership step, needs the base image's users (the node user exists only there)", host: null }
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// Stages

class Stage {
  constructor(index, base, name) {
    this.index = index
    this.base = base
    this.name = name
    this.root = path.join(work, `stage-${index}${name ? `-${name}` : ''}`, 'rootfs')
    this.workdir = '/'
    this.env = {}
    this.user = null
    this.volumes = []
    this.expose = []
    this.cmd = null
    /** Container paths this Dockerfile names (WORKDIR, COPY destinations, path ENV values, VOLUME). */
    this.controlled = new Set()
    fs.mkdirSync(this.root, { recursive: true })
  }
  label() {
    return this.name ?? `#${this.index}`
  }
  containerPath(p) {
    return path.posix.resolve(this.workdir, p)
  }
  hostPath(p) {
    return path.join(this.root, this.containerPath(p))
  }
  /** The ENV with container paths moved under this stage's root. */
  hostEnv() {
    return Object.fromEntries(
      Object.entries(this.env).map(([k, v]) => [k, v.startsWith('/') && !v.includes(':') ? this.hostPath(v) : v]),
    )
  }
  /** Absolute paths in a RUN command: moved under the root if the Dockerfile names them, refused otherwise. */
  rewriteRun(part, line) {
    return part.replace(/(^|[\s='"])(\/[^\s'";&|()]*)/g, (_match, before, p) => {
      const under = [...this.controlled].some((c) => p === c || p.startsWith(`${c}/`))
      if (!under) {
        fail(`Dockerfile line ${line}: "${part}" uses ${p}, a path outside the directories the Dockerfile sets up; not run on this host`)
      }
      return `${before}${path.join(this.root, p)}`
    })
  }
}

/** Environment for RUN steps: the user's (npm cache, registry, toolchain), minus what would change the result. */
function runEnv(stage) {
  const env = {}
  const dropped = new Set()
  for (const [k, v] of Object.entries(process.env)) {
    const drop =
      (k.startsWith('CREDENCE_') && k !== 'CREDENCE_PYPI_SIMPLE_URL') ||
      k === 'NODE_ENV' ||
      /^LIB_(ARIES_ASKAR|ANONCREDS|INDY_VDR)_PATH$/.test(k) ||
      k.startsWith('npm_package_') ||
      k.startsWith('npm_lifecycle_') ||
      k === 'npm_config_local_prefix' ||
      k === 'INIT_CWD'
    if (drop) dropped.add(k)
    else env[k] = v
  }
  // The image's /root/.cache is empty: the native libraries are fetched as they would be there.
  env.CREDENCE_NATIVE_CACHE = path.join(stage.root, 'root', '.cache', 'credence', 'native')
  return { env: { ...env, ...stage.hostEnv() }, dropped: [...dropped].sort() }
}

function runShell(command, cwd, env, label) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const collected = []
    const pipe = (stream, out) => {
      let rest = ''
      stream.on('data', (chunk) => {
        const text = rest + chunk.toString('utf8')
        const lines = text.split('\n')
        rest = lines.pop()
        for (const l of lines) {
          collected.push(l)
          out.write(`    | ${redact(l)}\n`)
        }
      })
      stream.on('end', () => {
        if (!rest) return
        collected.push(rest)
        out.write(`    | ${redact(rest)}\n`)
      })
    }
    pipe(child.stdout, process.stdout)
    pipe(child.stderr, process.stdout)
    child.on('exit', (code, signal) => {
      if (code !== 0) fail(`${label} exited with ${signal ?? `code ${code}`}`)
      resolve(collected)
    })
  })
}

function copyInto(from, to, { intoDir }) {
  if (!fs.existsSync(from)) return false
  const stat = fs.statSync(from)
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true })
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, force: true })
  } else {
    const target = intoDir ? path.join(to, path.basename(from)) : to
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.cpSync(from, target, { verbatimSymlinks: true, force: true })
  }
  return true
}

// ---------------------------------------------------------------------------------------------
// The server run

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function get(url, headers = {}) {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) })
    const body = await response.text()
    return { status: response.status, body, type: response.headers.get('content-type') ?? '' }
  } catch {
    return null
  }
}

async function bootOnce({ stage, env, label, expectations }) {
  const [command, ...commandArgs] = stage.cmd
  const logFile = path.join(work, `${label.replace(/\W+/g, '-')}.log`)
  const out = fs.openSync(logFile, 'w')
  const begin = Date.now()
  const child = spawn(command, commandArgs, { cwd: stage.hostPath(stage.workdir), env, stdio: ['ignore', out, out] })
  let exited = null
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))))
  const logTail = () => redact(fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'))
  const admin = `http://127.0.0.1:${env.CREDENCE_ADMIN_PORT}`
  const inbound = `http://127.0.0.1:${env.CREDENCE_INBOUND_PORT}`
  let live = null
  let inboundAnswer = null
  while (Date.now() - begin < 120_000 && !exited) {
    live ??= (await get(`${admin}/status/live`))?.status === 200 ? Date.now() - begin : null
    inboundAnswer ??= await get(`${inbound}/`)
    if (live !== null && inboundAnswer) break
    await new Promise((r) => setTimeout(r, 250))
  }
  if (exited) {
    const hint = exited.code === 2 ? ' (exit code 2 is a configuration error; if it names a missing production secret, the Dockerfile\'s "Production needs" comment is out of date)' : ''
    fail(`${label}: the server exited before answering (${exited.signal ?? `code ${exited.code}`})${hint}; its output:\n${logTail()}`)
  }
  if (live === null || !inboundAnswer) {
    child.kill('SIGKILL')
    fail(`${label}: no answer within 120 s (admin /status/live: ${live === null ? 'no' : 'yes'}, DIDComm port: ${inboundAnswer ? 'yes' : 'no'}); its output:\n${logTail()}`)
  }
  const probes = []
  for (const [what, url, headers, check] of expectations(admin)) {
    const response = await get(url, headers)
    if (!response || !check(response)) {
      child.kill('SIGTERM')
      fail(`${label}: ${what} did not answer as expected (${response ? `HTTP ${response.status}` : 'no answer'}); output:\n${logTail()}`)
    }
    probes.push(`${what} ${response.status}`)
  }
  const stopAt = Date.now()
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000)
  const { code, signal } = await exit
  clearTimeout(timer)
  fs.closeSync(out)
  const stopped = Date.now() - stopAt
  if (signal || code !== 0) fail(`${label}: after SIGTERM the server ended with ${signal ?? `exit code ${code}`} (expected 0); output:\n${logTail()}`)
  const output = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean)
  const errors = []
  let shutdownLogged = false
  const other = []
  for (const line of output) {
    let entry
    try {
      entry = JSON.parse(line)
    } catch {
      other.push(line)
      continue
    }
    if (entry.level >= 50) errors.push(line)
    if (entry.msg === 'shutting down') shutdownLogged = true
  }
  if (errors.length > 0) fail(`${label}: the server logged ${errors.length} error line(s):\n${redact(errors.slice(0, 10).join('\n'))}`)
  if (!shutdownLogged) fail(`${label}: exit 0, but no "shutting down" line was logged; output:\n${logTail()}`)
  for (const secret of secrets) {
    if (output.some((line) => line.includes(secret))) fail(`${label}: a secret passed in the environment appears in the server's output`)
  }
  return { live, stopped, probes, other, lines: output.length, inboundStatus: inboundAnswer.status }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  say(`check-dockerfile: dry run of the Dockerfile in ${work}`)
  const contextSource = prepareSource()
  const dockerfilePath = path.join(source, 'Dockerfile')
  if (!fs.existsSync(dockerfilePath)) fail(`no Dockerfile in ${contextSource}`)
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8')
  const ignoreFile = path.join(source, '.dockerignore')
  const rules = fs.existsSync(ignoreFile) ? readDockerignore(fs.readFileSync(ignoreFile, 'utf8')) : []
  fs.mkdirSync(context)
  let contextFiles = 0
  let excluded = 0
  for (const file of listFiles(source)) {
    if (isIgnored(rules, file)) {
      excluded++
      continue
    }
    const to = path.join(context, file)
    fs.mkdirSync(path.dirname(to), { recursive: true })
    fs.cpSync(path.join(source, file), to, { verbatimSymlinks: true })
    contextFiles++
  }
  fs.rmSync(source, { recursive: true, force: true })
  const contextLine = `${contextFiles} files from ${contextSource}; .dockerignore ${rules.length ? `(${rules.map((r) => r.line).join(' ')}) excluded ${excluded}` : 'absent'}`
  say(`context: ${contextLine}`)

  const nodeMajor = Number(process.versions.node.split('.')[0])
  const { instructions, comments } = parseDockerfile(dockerfile)
  const stages = []
  let stage = null

  // First pass: the container paths each stage names (WORKDIR, path ENV values, VOLUME), so its
  // RUN steps may use them (e.g. `mkdir -p /data`), moved under the stage's root.
  const namedPaths = []
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') namedPaths.push(new Set())
    const named = namedPaths.at(-1)
    if (!named) continue
    if (ins.keyword === 'WORKDIR') named.add(path.posix.resolve('/', ins.rest))
    if (ins.keyword === 'VOLUME') for (const v of volumeList(ins.rest)) named.add(path.posix.resolve('/', v))
    if (ins.keyword === 'ENV') for (const w of words(ins.rest)) if (/^[^=]+=\/[^:]*$/.test(w)) named.add(path.posix.normalize(w.slice(w.indexOf('=') + 1)))
  }

  for (const ins of instructions) {
    const where = `line ${ins.line}`
    if (ins.keyword !== 'FROM' && !stage) fail(`Dockerfile ${where}: ${ins.keyword} before FROM`)
    switch (ins.keyword) {
      case 'FROM': {
        const parts = words(ins.rest)
        if (parts.some((p) => p.startsWith('--'))) fail(`Dockerfile ${where}: FROM flags are not interpreted: ${ins.text}`)
        const [base, as, name] = parts
        if (parts.length !== 1 && !(parts.length === 3 && as.toUpperCase() === 'AS')) fail(`Dockerfile ${where}: cannot read ${ins.text}`)
        stage = new Stage(stages.length, base, name)
        for (const p of namedPaths[stages.length]) stage.controlled.add(p)
        stages.push(stage)
        const nodeTag = /^node:(\d+)(?:[.-]|$)/.exec(base)
        if (!nodeTag) fail(`Dockerfile ${where}: base image ${base} is not a node image; this check only stands in for node:<major>-…`)
        if (Number(nodeTag[1]) !== nodeMajor) fail(`the image is built on ${base} (Node ${nodeTag[1]}); this host runs Node ${process.versions.node}`)
        say(`\n== stage ${stage.label()} (FROM ${base}): base image not pulled; host Node ${process.versions.node} stands in for it`)
        break
      }
      case 'WORKDIR': {
        noSubstitution(ins)
        stage.workdir = stage.containerPath(ins.rest)
        stage.controlled.add(stage.workdir)
        fs.mkdirSync(stage.hostPath(stage.workdir), { recursive: true })
        say(`WORKDIR ${stage.workdir} -> ${stage.hostPath(stage.workdir)}`)
        break
      }
      case 'ENV': {
        noSubstitution(ins)
        const w = words(ins.rest)
        const pairs = w[0]?.includes('=') ? w.map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]) : [[w[0], w.slice(1).join(' ')]]
        for (const [k, v] of pairs) {
          if (!k) fail(`Dockerfile ${where}: cannot read ${ins.text}`)
          stage.env[k] = v
          say(`ENV ${k}=${v}${v.startsWith('/') && !v.includes(':') ? ` (container path; ${stage.hostPath(v)} here)` : ''}`)
        }
        break
      }
      case 'COPY': {
        noSubstitution(ins)
        const w = words(ins.rest)
        if (w[0]?.startsWith('[')) fail(`Dockerfile ${where}: the JSON form of COPY is not interpreted`)
        let from = null
        const rest = []
        for (const x of w) {
          if (x.startsWith('--from=')) from = x.slice('--from='.length)
          else if (x.startsWith('--chown=')) ignored.push(`COPY --chown=${x.slice(8)} (line ${ins.line}): ownership needs the base image's users`)
          else if (x.startsWith('--')) fail(`Dockerfile ${where}: COPY flag ${x} is not interpreted`)
          else rest.push(x)
        }
        if (rest.length < 2) fail(`Dockerfile ${where}: COPY needs a source and a destination`)
        const dest = rest.pop()
        const destHost = stage.hostPath(dest)
        const intoDir = dest.endsWith('/') || rest.length > 1 || (fs.existsSync(destHost) && fs.statSync(destHost).isDirectory())
        stage.controlled.add(stage.containerPath(dest))
        let fromStage = null
        if (from !== null) {
          fromStage = stages.find((s) => s.name === from || String(s.index) === from)
          if (!fromStage || fromStage === stage) fail(`Dockerfile ${where}: COPY --from=${from} names no earlier stage (images are not pulled here)`)
        }
        for (const src of rest) {
          if (/[*?[]/.test(src)) fail(`Dockerfile ${where}: wildcards in COPY sources are not interpreted`)
          let srcHost
          if (fromStage) srcHost = fromStage.hostPath(src)
          else {
            const relative = path.posix.normalize(src).replace(/^\/+/, '')
            if (relative.startsWith('..')) fail(`Dockerfile ${where}: ${src} is outside the build context`)
            srcHost = path.join(context, relative)
          }
          if (!copyInto(srcHost, destHost, { intoDir })) {
            fail(`Dockerfile ${where}: COPY ${fromStage ? `--from=${from} ` : ''}${src}: not found ${fromStage ? `in stage ${from}` : 'in the build context (not tracked, or excluded by .dockerignore)'}`)
          }
        }
        const copyLine = `${from ? `--from=${from} ` : ''}${rest.join(' ')} -> ${stage.label()}:${stage.containerPath(dest)}${intoDir ? '/' : ''}`
        copies.push(copyLine)
        say(`COPY ${copyLine}`)
        break
      }
      case 'RUN': {
        if (ins.rest.startsWith('[')) fail(`Dockerfile ${where}: the JSON form of RUN is not interpreted`)
        if (stage.user) fail(`Dockerfile ${where}: RUN after USER ${stage.user} would run as that user; not interpreted`)
        const project = []
        const shownParts = []
        const parts = splitAnd(ins.rest)
        say(`RUN ${parts.join(' && ')}`)
        for (const part of parts) {
          const system = systemStep(part)
          if (system) {
            skipped.push({ step: part, line: ins.line, why: system.why, host: system.host })
            say(`  - ${part}: skipped (${system.why})${system.host ? `; instead checked: ${system.host}` : ''}`)
          } else {
            project.push(stage.rewriteRun(part, ins.line))
            shownParts.push(part)
            say(`  - ${part}: run`)
          }
        }
        if (project.length === 0) break
        const shown = shownParts.join(' && ')
        const rewritten = project.join(' && ')
        const { env, dropped } = runEnv(stage)
        if (rewritten !== shown) say(`    run as: ${rewritten}`)
        say(`    (bash -c in ${stage.hostPath(stage.workdir)}, with this shell's environment${dropped.length ? ` except ${dropped.join(', ')}` : ''}; CREDENCE_NATIVE_CACHE=${env.CREDENCE_NATIVE_CACHE}, empty as /root/.cache is in the image; ${npmConfigLine()})`)
        const t = Date.now()
        const output = await runShell(rewritten, stage.hostPath(stage.workdir), env, `Dockerfile line ${ins.line} (RUN ${shown})`)
        const native = output.filter((l) => /^\[install-native\] \S+ \S+ from /.test(l)).map((l) => l.replace('[install-native] ', ''))
        ran.push({ step: shown, line: ins.line, ms: Date.now() - t, native })
        break
      }
      case 'USER':
        stage.user = ins.rest
        ignored.push(`USER ${ins.rest} (line ${ins.line}): not switched; here everything runs as ${os.userInfo().username}`)
        say(`USER ${ins.rest}: recorded, not switched`)
        break
      case 'VOLUME': {
        const vols = volumeList(ins.rest)
        for (const v of vols) {
          stage.volumes.push(v)
          fs.mkdirSync(stage.hostPath(v), { recursive: true })
        }
        say(`VOLUME ${vols.join(' ')} (a directory under the stage root here)`)
        break
      }
      case 'EXPOSE':
        stage.expose.push(...words(ins.rest).map((p) => Number(p.split('/')[0])))
        say(`EXPOSE ${ins.rest}`)
        break
      case 'CMD':
        stage.cmd = ins.rest.startsWith('[') ? JSON.parse(ins.rest) : ['/bin/sh', '-c', ins.rest]
        say(`CMD ${JSON.stringify(stage.cmd)}`)
        break
      default:
        fail(`Dockerfile ${where}: ${ins.keyword} is not interpreted by this check (extend scripts/check-dockerfile.mjs)`)
    }
  }

  // ---- the final stage's CMD
  const final = stages.at(-1)
  if (!final.cmd) fail('the final stage has no CMD')
  say(`\n== CMD of the final stage, with its ENV`)
  const appRequire = createRequire(path.join(final.hostPath(final.workdir), 'package.json'))
  let SETTINGS
  try {
    ;({ SETTINGS } = appRequire('./dist/config.js'))
  } catch (error) {
    fail(`the final stage has no loadable dist/config.js: ${error.message}`)
  }
  // Which secrets production needs: the Dockerfile's comment names them; each must be a secret setting.
  const start = comments.findIndex((c) => c.text.includes('Production needs'))
  const block = []
  for (let i = start; start >= 0 && i < comments.length && (i === start || comments[i].line === comments[i - 1].line + 1); i++) block.push(comments[i].text)
  const required = [...new Set(block.join(' ').match(/CREDENCE_[A-Z0-9_]+/g) ?? [])]
  if (required.length === 0) fail('the Dockerfile no longer has the "Production needs …" comment naming the secrets')
  const secretSettings = Object.values(SETTINGS).filter((s) => s.secret).map((s) => s.env)
  for (const name of required) if (!secretSettings.includes(name)) fail(`the Dockerfile comment names ${name}, which src/config.ts does not declare as a secret`)
  const byEnv = (key) => SETTINGS[key].env
  const adminPort = await freePort()
  let inboundPort = await freePort()
  while (inboundPort === adminPort) inboundPort = await freePort()
  const defaults = [Number(final.env[byEnv('inboundPort')] ?? SETTINGS.inboundPort.default), Number(final.env[byEnv('adminPort')] ?? SETTINGS.adminPort.default)]
  for (const port of defaults) if (!final.expose.includes(port)) fail(`the server listens on ${port} by default, but the final stage does not EXPOSE it`)
  for (const port of final.expose) if (!defaults.includes(port)) fail(`EXPOSE ${port} is neither the DIDComm nor the admin port (${defaults.join(', ')})`)

  const secretEnv = {}
  for (const name of required) {
    const value = randomBytes(32).toString('base64url')
    secrets.push(value)
    secretEnv[name] = value
  }
  const home = path.join(final.root, 'home', 'node')
  fs.mkdirSync(home, { recursive: true })
  const overrides = {
    [byEnv('adminHost')]: '127.0.0.1',
    [byEnv('inboundHost')]: '127.0.0.1',
    [byEnv('adminPort')]: String(adminPort),
    [byEnv('inboundPort')]: String(inboundPort),
  }
  const env = { PATH: process.env.PATH, HOME: home, ...final.hostEnv(), ...secretEnv, ...overrides }
  say(`environment: the final stage's ENV (${Object.keys(final.env).join(', ')}), HOME=${home}, PATH from this shell, nothing else from this shell`)
  say(`  + ${required.join(', ')}: throwaway random values (not shown)`)
  say(`  + ${Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(', ')}`)
  say(`    (the image binds 0.0.0.0 on ${defaults.join('/')}; this check binds loopback on free ports instead)`)

  const adminKey = secretEnv[byEnv('adminApiKey')]
  const expectations = (admin) => [
    ['GET /status/ready', `${admin}/status/ready`, {}, (r) => r.status === 200],
    ['GET /status (admin key)', `${admin}/status`, adminKey ? { 'x-api-key': adminKey } : {}, (r) => r.status === 200],
    ['GET /console (dist/console shipped)', `${admin}/console`, {}, (r) => r.status === 200 && r.type.startsWith('text/html')],
    ['GET /api/doc (swagger-ui-dist after prune)', `${admin}/api/doc`, {}, (r) => r.status === 200],
  ]
  const boots = []
  const t1 = Date.now()
  const first = await bootOnce({ stage: final, env, label: 'boot 1 (image configuration)', expectations })
  boots.push(['boot 1: the image configuration, fresh data dir', first])
  say(`boot 1: ${describeBoot(first)}`)

  // Second start on the same data directory (the store reopens with the same key), with an Indy
  // network chosen: that reads config/indy-networks.json from the image. The pool is never dialled.
  const networksFile = path.join(work, 'indy-networks.json')
  const genesis = JSON.stringify({
    reqSignature: {},
    txn: {
      data: { data: { alias: 'Node1', client_ip: '127.0.0.1', client_port: 9702, node_ip: '127.0.0.1', node_port: 9701, services: ['VALIDATOR'] }, dest: 'Gw6pDLhcBcoQesN72qfotTgFa7cbuqZpkX3Xo6pLhPhv' },
      metadata: { from: 'Th7MpTaRZVRYnPiabds81Y' },
      type: '0',
    },
    txnMetadata: { seqNo: 1 },
    ver: '1',
  })
  fs.writeFileSync(networksFile, JSON.stringify({ 'dockerfile-check': { indyNamespace: 'dockerfile:check', isProduction: false, genesisTransactions: genesis } }))
  const env2 = { ...env, [byEnv('indyNetworks')]: 'dockerfile-check', [byEnv('indyNetworksFile')]: networksFile }
  say(`boot 2: same data dir, + ${byEnv('indyNetworks')}=dockerfile-check from ${networksFile} (reads the shipped config/indy-networks.json; the pool is never dialled)`)
  const t2 = Date.now()
  const second = await bootOnce({ stage: final, env: env2, label: 'boot 2 (restart, Indy network)', expectations })
  boots.push(['boot 2: restart on the same data dir, with an Indy network', second])
  say(`boot 2: ${describeBoot(second)}`)

  if (postgresUrl) {
    // As docker-compose.yml runs it: the store in PostgreSQL. The database is Credence's to create.
    const database = `credence_dockerfile_check_${randomBytes(4).toString('hex')}`
    const url = new URL(postgresUrl)
    url.pathname = `/${database}`
    const env3 = { ...env, [byEnv('databaseUrl')]: url.toString() }
    const shownUrl = new URL(url)
    if (shownUrl.password) shownUrl.password = '***'
    say(`boot 3: + ${byEnv('databaseUrl')}=${shownUrl} (a throwaway database, dropped afterwards)`)
    const { Client } = appRequire('pg')
    leftovers.push(`PostgreSQL database ${database}; drop it with DROP DATABASE "${database}" WITH (FORCE)`)
    try {
      const third = await bootOnce({ stage: final, env: env3, label: 'boot 3 (PostgreSQL)', expectations })
      boots.push([`boot 3: the store in PostgreSQL (${database})`, third])
      say(`boot 3: ${describeBoot(third)}`)
    } finally {
      const client = new Client({ connectionString: postgresUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
      await client.end()
      leftovers.pop()
    }
  }

  // ---- summary
  say('\n== summary')
  say(`context: ${contextLine}`)
  say('ran:')
  for (const r of ran) {
    say(`  RUN ${r.step} (line ${r.line}), ${seconds(r.ms)}`)
    if (r.native.length) say(`    native libraries (install-native.mjs, empty cache as in the image): ${r.native.join('; ')}`)
  }
  say(`  COPY: ${copies.join('; ')}`)
  for (const [what, b] of boots) say(`  CMD ${final.cmd.join(' ')}, ${what}:\n    ${describeBoot(b)}`)
  say('skipped (not run on this host):')
  for (const s of skipped) say(`  RUN ${s.step} (line ${s.line}): ${s.why}${s.host ? `; instead checked: ${s.host}` : ''}`)
  say('ignored:')
  for (const i of ignored) say(`  ${i}`)
  say(`  FROM ${[...new Set(stages.map((s) => s.base))].join(', ')}: not pulled; host Node ${process.versions.node} on ${hostOs()} stands in for it`)
  say(`not verified here: the base image's layers, the apt steps inside it, file ownership and running as the node user, 0.0.0.0 binding and port publishing.`)
  if (keep) say(`kept: ${work}`)
  else fs.rmSync(work, { recursive: true, force: true })
  say(`\ncheck-dockerfile: OK in ${seconds(Date.now() - started)}`)
}

function describeBoot(b) {
  const other = b.other.map((line) => `\n    non-JSON output: ${redact(line).slice(0, 200)}`).join('')
  return `/status/live 200 after ${seconds(b.live)}, DIDComm port answered (HTTP ${b.inboundStatus}); ${b.probes.join(', ')}; SIGTERM -> exit 0 in ${seconds(b.stopped)}; ${b.lines} log lines, none at error level${other}`
}

/** The npm settings of this machine that RUN steps inherit and the image does not have. */
function npmConfigLine() {
  npmConfigLine.text ??= ['cache', 'registry', 'nodedir']
    .map((key) => `npm ${key}=${commandOutput('npm', ['config', 'get', key]) ?? '?'}`)
    .join(', ')
  return `this machine's ${npmConfigLine.text}`
}

function hostOs() {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))[1]
  } catch {
    return `${os.type()} ${os.release()}`
  }
}

main().catch((error) => fail(error.stack ?? error.message))
