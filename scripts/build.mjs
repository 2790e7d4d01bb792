#!/usr/bin/env node
// Builds dist/ (the server with tsc, the console with Vite) and records what it was built from.
// `--if-stale` skips the build when dist/ was built from exactly the current sources, so
// `npm start` after the first one starts in a second instead of rebuilding each time; `--check`
// only says whether dist/ is current (exit 0) or not (exit 1).
// "Current" is a SHA-256 over the inputs' contents (not their times, which a checkout changes).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const stampFile = path.join(root, 'dist', '.sources-sha256')
const INPUT_DIRS = ['src', 'console']
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs']
const OUTPUTS = ['dist/main.js', 'dist/console/index.html']

function filesUnder(dir) {
  const full = path.join(root, dir)
  if (!fs.existsSync(full)) return []
  return fs
    .readdirSync(full, { withFileTypes: true })
    .flatMap((entry) => {
      const relative = path.join(dir, entry.name)
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(relative)
      return entry.isFile() ? [relative] : []
    })
}

function sourcesHash() {
  const hash = createHash('sha256')
  const files = [...INPUT_DIRS.flatMap(filesUnder), ...INPUT_FILES.filter((file) => fs.existsSync(path.join(root, file)))].sort()
  for (const file of files) {
    hash.update(`${file}\0`)
    hash.update(fs.readFileSync(path.join(root, file)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

function run(command, args) {
  const result = spawnSync(path.join(root, 'node_modules', '.bin', command), args, { cwd: root, stdio: 'inherit' })
  if (result.error) {
    process.stderr.write(`[build] could not run ${command}: ${result.error.message}. Run \`npm ci\` first.\n`)
    process.exit(1)
  }
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const hash = sourcesHash()
const recorded = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : ''
const current = recorded === hash && OUTPUTS.every((file) => fs.existsSync(path.join(root, file)))
if (process.argv.includes('--check')) {
  process.stderr.write(current ? '[build] dist/ is current\n' : '[build] dist/ is stale: `npm run build` rebuilds it\n')
  process.exit(current ? 0 : 1)
}
if (process.argv.includes('--if-stale') && current) {
  process.stderr.write('[build] dist/ is current (built from these sources): not rebuilding\n')
  process.exit(0)
}
// A build that fails half-way must not leave a stamp claiming the old dist/ is current.
fs.rmSync(stampFile, { force: true })
run('tsc', ['-p', 'tsconfig.build.json'])
run('vite', ['build', '--config', 'console/vite.config.ts'])
fs.writeFileSync(stampFile, `${hash}\n`)
