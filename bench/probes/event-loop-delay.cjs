// Loaded into the Credence process with --require when the bench runs with --event-loop: samples
// the event loop's delay (how long ready work waited for the loop). On SIGUSR2 it writes what it
// saw since the previous signal to CREDENCE_BENCH_EVENT_LOOP_FILE and starts over, so the bench can
// read one scenario at a time.
const fs = require('node:fs')
const { monitorEventLoopDelay } = require('node:perf_hooks')

const file = process.env.CREDENCE_BENCH_EVENT_LOOP_FILE
const histogram = monitorEventLoopDelay({ resolution: 10 })
histogram.enable()
const ms = (ns) => Math.round(ns / 1e4) / 100
process.on('SIGUSR2', () => {
  const snapshot = { p50_ms: ms(histogram.percentile(50)), p99_ms: ms(histogram.percentile(99)), max_ms: ms(histogram.max), mean_ms: ms(histogram.mean) }
  histogram.reset()
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(snapshot))
  fs.renameSync(`${file}.tmp`, file)
})
