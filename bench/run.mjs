#!/usr/bin/env node
// Credence's load bench: the same scenarios, through the ACA-Py admin API, against Credence and
// (with --compare acapy) against ACA-Py, one after the other in one run, on loopback.
//
//   npm run bench                                   # Credence, SQLite, full counts
//   npm run bench -- --compare acapy --quick        # both, tiny counts (the CI smoke run)
//   npm run bench -- --compare acapy --storage both --scenarios connect,jsonld
//
// Options: --scenarios a,b  --storage sqlite|postgres|both  --count N  --concurrency N
//          --duration S (stop each scenario after S seconds)  --out DIR  --quick
//          --profile DIR (a V8 CPU profile of the Credence process, for Chrome DevTools)
//          --event-loop (Credence's event-loop delay per scenario, from bench/probes/)
// The anoncreds scenario starts the local Indy pool (scripts/ensure-indy-pool.sh) and puts both
// systems on it. Prints a table; writes <out>/<timestamp>[-quick].json and .md (out: bench/results, or the
// system temp dir for --quick unless --out is given). Exits non-zero if a flow failed.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'

import { PoolTrustee, startIndyPool } from './lib/indyPool.mjs'
import { runScenario } from './lib/runner.mjs'
import { SCENARIOS } from './lib/scenarios.mjs'
import { startAcaPy, startCredence } from './lib/targets.mjs'
import { startWebhookReceiver } from './lib/webhooks.mjs'

const ROOT = path.resolve(import.meta.dirname, '..')
const FULL = { connect: 100, message: 300, jsonld: 40, anoncreds: 40, tenants: 500, reads: 2000 }
const QUICK = { connect: 3, message: 5, jsonld: 2, anoncreds: 2, tenants: 5, reads: 10 }

const { values: options } = parseArgs({
  options: {
    scenarios: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
    compare: { type: 'string' },
    storage: { type: 'string', default: 'sqlite' },
    count: { type: 'string' },
    concurrency: { type: 'string' },
    duration: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'event-loop': { type: 'boolean', default: false },
  },
})

/** The checked-out commit, so a results file says what was measured. */
function commitOf(root) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return dirty ? `${commit}+changes` : commit
  } catch {
    return 'commit unknown'
  }
}

function fail(message) {
  console.error(`bench: ${message}`)
  process.exit(2)
}

const scenarioNames = options.scenarios.split(',').map((s) => s.trim()).filter(Boolean)
for (const name of scenarioNames) if (!SCENARIOS[name]) fail(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`)
if (options.compare !== undefined && options.compare !== 'acapy') fail('--compare takes acapy')
const storages = options.storage === 'both' ? ['sqlite', 'postgres'] : [options.storage]
for (const storage of storages) if (!['sqlite', 'postgres'].includes(storage)) fail('--storage takes sqlite, postgres or both')
const concurrency = Number(options.concurrency ?? (options.quick ? 2 : 4))
/** A scenario may name its own concurrency (the read path's 50 clients); --concurrency and --quick win. */
const concurrencyOf = (name) => (options.concurrency || options.quick ? concurrency : (SCENARIOS[name].concurrency ?? concurrency))
const counts = options.quick ? QUICK : FULL
const countOf = (name) => Number(options.count ?? counts[name])
const durationMs = options.duration ? Number(options.duration) * 1000 : undefined
const systems = ['credence', ...(options.compare ? ['acapy'] : [])]

if (storages.includes('postgres')) execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-postgres.sh')], { stdio: ['ignore', 'ignore', 'inherit'] })

// The anoncreds scenario's issuers are on a local indy-node pool (scripts/ensure-indy-pool.sh), both
// systems then started with it; the trustee withdraws any agreement tests left, and writes the NYMs.
let ledger
if (scenarioNames.some((name) => SCENARIOS[name].ledger)) {
  console.error('bench: starting the local Indy pool')
  const genesisFile = startIndyPool()
  const trustee = new PoolTrustee(genesisFile)
  await trustee.disableAgreements()
  ledger = { genesisFile, trustee }
}

const machine = { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` }
const results = []
const versions = {}
const hooks = await startWebhookReceiver()
try {
  for (const storage of storages) {
    for (const system of systems) {
      console.error(`bench: starting ${system} on ${storage}`)
      const target = system === 'credence' ? await startCredence({ storage, profileDir: options.profile, eventLoop: options['event-loop'], ledger }) : await startAcaPy({ storage, ledger })
      versions[system] = target.version ?? `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (${commitOf(ROOT)})`
      try {
        for (const name of scenarioNames) {
          const scenario = SCENARIOS[name]
          if (scenario.only && !scenario.only.includes(system)) continue
          console.error(`bench: ${system}/${storage} ${name} × ${countOf(name)} (concurrency ${concurrencyOf(name)})`)
          try {
            results.push(await runScenario(target, name, scenario, { count: countOf(name), concurrency: concurrencyOf(name), durationMs, hooks }))
          } catch (error) {
            // A setup that fails is the scenario's result, not the end of the run.
            results.push({ scenario: name, system, storage, concurrency: concurrencyOf(name), flows: 0, errors: 1, first_errors: [String(error.message ?? error).slice(0, 300)], wall_s: 0, flows_per_min: 0, cpu_s_per_flow: null, peak_rss_mb: 0, steps: {} })
          }
        }
      } finally {
        await target.stop()
      }
    }
  }
} finally {
  await hooks.stop()
}

// ---- report ------------------------------------------------------------------------------------
const ratio = (ours, theirs) => (ours && theirs ? Math.round((ours / theirs) * 100) / 100 : null)
const comparisons = []
for (const result of results.filter((r) => r.system === 'credence')) {
  const theirs = results.find((r) => r.system === 'acapy' && r.scenario === result.scenario && r.storage === result.storage)
  if (theirs) {
    comparisons.push({
      scenario: result.scenario,
      storage: result.storage,
      throughput_ratio: ratio(result.flows_per_min, theirs.flows_per_min),
      cpu_per_flow_ratio: ratio(theirs.cpu_s_per_flow, result.cpu_s_per_flow),
    })
  }
}

const stepsText = (steps) => Object.entries(steps).map(([step, s]) => `${step} ${s.p50_ms}/${s.p95_ms}/${s.p99_ms}`).join('; ')
const header = '| scenario | storage | system | flows | errors | flows/min | CPU s/flow | peak RSS MB | steps p50/p95/p99 ms |'
const rows = results.map((r) => `| ${r.scenario} | ${r.storage} | ${r.system} | ${r.flows} | ${r.errors} | ${r.flows_per_min} | ${r.cpu_s_per_flow ?? '–'} | ${r.peak_rss_mb} | ${stepsText(r.steps)} |`)
const table = [header, '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n')
const ratioTable = comparisons.length
  ? ['| scenario | storage | throughput Credence/ACA-Py | CPU per flow ACA-Py/Credence |', '|---|---|---|---|', ...comparisons.map((c) => `| ${c.scenario} | ${c.storage} | ${c.throughput_ratio ?? '–'} | ${c.cpu_per_flow_ratio ?? '–'} |`)].join('\n')
  : ''
// The tenants scenario's growth: create latency per 1,000 tenants already stored, and RSS per 1,000.
const growth = results.filter((r) => r.details?.create_by_thousand)
const growthTable = growth.length
  ? [
      '| system | storage | tenants already stored | create p50 ms | create p95 ms |',
      '|---|---|---|---|---|',
      ...growth.flatMap((r) => r.details.create_by_thousand.map((b) => `| ${r.system} | ${r.storage} | ${b.tenants_before} | ${b.p50_ms} | ${b.p95_ms} |`)),
      '',
      // Memory per tenant means something only when the tenants had the server to themselves.
      ...(scenarioNames.length === 1 ? growth.map((r) => `${r.system}/${r.storage}: RSS ${r.start_rss_mb} MB before the tenants, ${r.end_rss_mb} MB after ${r.flows} tenants were created and used (${Math.round(((r.end_rss_mb - r.start_rss_mb) / r.flows) * 1000)} MB per 1,000).`) : []),
    ].join('\n')
  : ''
// --event-loop: how long ready work waited for Credence's event loop, per scenario.
const eventLoopLines = results
  .filter((r) => r.event_loop_delay_ms)
  .map((r) => `${r.scenario}/${r.system}/${r.storage}: event-loop delay p50 ${r.event_loop_delay_ms.p50_ms} ms, p99 ${r.event_loop_delay_ms.p99_ms} ms, max ${r.event_loop_delay_ms.max_ms} ms, mean ${r.event_loop_delay_ms.mean_ms} ms.`)
  .join('\n')
// Long runs (--duration): the server's RSS once a minute, to show whether memory is flat.
const soakLines = results
  .filter((r) => r.rss_by_minute_mb)
  .map((r) => `${r.scenario}/${r.system}/${r.storage}: RSS MB by minute ${r.rss_by_minute_mb.join(', ')} (start ${r.start_rss_mb}, end ${r.end_rss_mb}).`)
  .join('\n')
console.log(table)
if (soakLines) console.log(`\n${soakLines}`)
if (eventLoopLines) console.log(`\n${eventLoopLines}`)
if (ratioTable) console.log(`\n${ratioTable}`)
if (growthTable) console.log(`\n${growthTable}`)

const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\..+$/, '')
const outDir = options.out ?? (options.quick ? fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bench-results-')) : path.join(ROOT, 'bench', 'results'))
fs.mkdirSync(outDir, { recursive: true })
const base = path.join(outDir, `${stamp}${options.quick ? '-quick' : ''}`)
const report = { started_at: new Date().toISOString(), quick: options.quick, concurrency, machine, versions, ledger: ledger ? 'local indy-node 1.13.2 pool (4 nodes, loopback)' : null, results, comparisons }
fs.writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`)
fs.writeFileSync(
  `${base}.md`,
  [
    `# Bench ${stamp}${options.quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${machine.cpus} CPUs (${machine.cpu_model}), ${machine.memory_gb} GiB, Node ${machine.node}. Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}. Concurrency ${concurrency}. CPU and RSS are the server process's own (not PostgreSQL's).`,
    '',
    table,
    '',
    ratioTable,
    '',
    growthTable,
    '',
    soakLines,
    '',
    eventLoopLines,
    '',
  ].join('\n'),
)
console.error(`bench: results in ${base}.json and ${base}.md`)
process.exit(results.some((r) => r.errors > 0) ? 1 : 0)
