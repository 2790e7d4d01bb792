// Periodic full garbage collection, for memory V8 cannot see. Native libraries reached through
// ffi-napi (Askar above all) hand JS small objects that own native memory; V8 counts only the JS
// side, so a steady load builds up that garbage far faster than V8 decides to collect it. On the
// message bench (3,000 basic messages, one connection) RSS went from 194 to 611 MB without this
// and stayed between 283 and 308 MB with a full collection every 15 s; a full collection of this
// server's ~65 MB heap takes a few milliseconds. The collector is reached through V8's own flag at
// run time, so `node dist/main.js` needs no command-line option.
import v8 from 'node:v8'
import vm from 'node:vm'

/** Runs a full collection every `intervalSeconds` (0: never); returns what stops it. */
export function collectGarbagePeriodically(intervalSeconds: number): () => void {
  if (intervalSeconds <= 0) return () => {}
  v8.setFlagsFromString('--expose-gc')
  const collect = vm.runInNewContext('gc') as () => void
  const timer = setInterval(collect, intervalSeconds * 1000).unref()
  return () => clearInterval(timer)
}
