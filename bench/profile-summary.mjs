#!/usr/bin/env node
// Summarizes a V8 CPU profile (`npm run bench -- --profile DIR` writes one): self time by
// function and by package, and total (inclusive) time of the functions that matter, so a cost can
// be named with evidence.
//
//   node bench/profile-summary.mjs DIR/CPU.*.cpuprofile [--top 25]
import fs from 'node:fs'
import { parseArgs } from 'node:util'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } })
const file = positionals[0]
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N]')
  process.exit(2)
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'))
const top = Number(values.top)

const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)

// Self time per node from the samples and their time deltas.
const selfUs = new Map()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0)

const packageOf = (url) => {
  if (!url) return '(native/v8)'
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match) return match[1]
  if (url.includes('/dist/')) return 'credence'
  if (url.startsWith('node:')) return 'node'
  return url.split('/').slice(-2).join('/')
}
const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url ? ` ${packageOf(url)}/${url.split('/').pop()}:${lineNumber + 1}` : ''
  return `${functionName || '(anonymous)'}${file}`
}

const selfByFunction = new Map()
const selfByPackage = new Map()
const inclusive = new Map()
for (const [id, us] of selfUs) {
  const node = byId.get(id)
  selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + us)
  const pkg = packageOf(node.callFrame.url)
  selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + us)
  // Inclusive: every distinct function on the stack gets the sample once.
  const seen = new Set()
  for (let current = id; current !== undefined; current = parentOf.get(current)) {
    const key = label(byId.get(current))
    if (seen.has(key)) continue
    seen.add(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + us)
  }
}

const pct = (us) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%`
const print = (title, entries) => {
  console.log(`\n${title}`)
  for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1e6).toFixed(2).padStart(7)} s  ${name}`)
}
console.log(`profile: ${(totalUs / 1e6).toFixed(1)} s sampled`)
print('self time by package', selfByPackage)
print('self time by function', selfByFunction)
print('inclusive time by function (idle and GC excluded)', [...inclusive].filter(([name]) => !/^\((idle|program|garbage collector|root)\)/.test(name)))
