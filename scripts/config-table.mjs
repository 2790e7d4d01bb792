#!/usr/bin/env node
// Prints the README's configuration table from the config schema (run `npm run build` first).
// test/config.test.ts fails when the README and the schema disagree.
import { createRequire } from 'node:module'

const { SETTINGS } = createRequire(import.meta.url)('../dist/config.js')
console.log('| Variable | Default | Description |')
console.log('|---|---|---|')
for (const s of Object.values(SETTINGS)) {
  const fallback = s.default !== undefined ? `\`${s.default}\`` : s.secret ? '— (secret)' : '—'
  console.log(`| \`${s.env}\` | ${fallback} | ${s.description} |`)
}
