// Runs one scenario against one target: setup per worker, then `count` flows spread over
// `concurrency` workers (or until `durationMs`), timing each step; the target's CPU seconds and
// peak RSS over the flows come from /proc.
import { AdminApi } from './admin.mjs'
import { processUsage, rssSampler } from './targets.mjs'

export function percentile(sorted, p) {
  if (!sorted.length) return null
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return Math.round(sorted[index] * 10) / 10
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  return { n: sorted.length, p50_ms: percentile(sorted, 50), p95_ms: percentile(sorted, 95), p99_ms: percentile(sorted, 99) }
}

export async function runScenario(target, name, scenario, { count, concurrency, durationMs, hooks, log }) {
  const admin = new AdminApi(target)
  const workers = Math.max(1, Math.min(concurrency, count))
  // Set up one worker after the other: setup is not measured, and ACA-Py on SQLite can refuse
  // tenant wallets created all at once ("Error opening store").
  const shared = scenario.finish ? await scenario.setup(admin, hooks) : undefined
  const states = []
  for (let i = 0; i < workers; i++) states.push(shared ?? (await scenario.setup(admin, hooks)))
  const steps = {}
  const record = (timings) => {
    for (const [step, ms] of Object.entries(timings)) (steps[step] ??= []).push(ms)
  }
  const errors = []
  let started = 0
  let completed = 0
  await target.eventLoop?.sample()
  const usageBefore = processUsage(target.pid)
  const rss = rssSampler(target.pid)
  const begin = performance.now()
  const deadline = durationMs ? begin + durationMs : Infinity
  await Promise.all(
    states.map(async (state) => {
      while (started < count && performance.now() < deadline) {
        started++
        const timings = {}
        try {
          await scenario.flow(state, timings, hooks, admin)
          record(timings)
          completed++
        } catch (error) {
          errors.push(String(error.message ?? error).slice(0, 300))
        }
      }
    }),
  )
  const wallMs = performance.now() - begin
  const details = scenario.finish ? await scenario.finish(shared, record) : undefined
  const eventLoopDelay = await target.eventLoop?.sample()
  const endRssBytes = processUsage(target.pid).rssBytes
  const peakRssBytes = rss.stop()
  const cpuSeconds = processUsage(target.pid).cpuSeconds - usageBefore.cpuSeconds
  const result = {
    scenario: name,
    system: target.name,
    storage: target.storage,
    concurrency: workers,
    flows: completed,
    errors: errors.length,
    first_errors: [...new Set(errors)].slice(0, 3),
    wall_s: Math.round(wallMs) / 1000,
    flows_per_min: Math.round((completed / (wallMs / 60_000)) * 10) / 10,
    cpu_s_per_flow: completed ? Math.round((cpuSeconds / completed) * 1000) / 1000 : null,
    peak_rss_mb: Math.round(peakRssBytes / 1024 / 1024),
    start_rss_mb: Math.round(usageBefore.rssBytes / 1024 / 1024),
    end_rss_mb: Math.round(endRssBytes / 1024 / 1024),
    ...(rss.byMinute.length ? { rss_by_minute_mb: rss.byMinute } : {}),
    steps: Object.fromEntries(Object.entries(steps).map(([step, samples]) => [step, summarize(samples)])),
    ...(details ? { details } : {}),
    ...(eventLoopDelay ? { event_loop_delay_ms: eventLoopDelay } : {}),
  }
  log?.(result)
  return result
}
