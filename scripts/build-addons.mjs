#!/usr/bin/env node
// First step of the root postinstall: checks what the install needs and says exactly what to do
// when something is missing, then compiles the two FFI addons (ffi-napi, ref-napi) the Credo
// wrappers load the native libraries through.
//
// Why the addons are built here and not by their own install scripts (package.json `allowScripts`
// denies those): a dependency's failing script aborts `npm ci` with node-gyp's trace before any of
// our code runs, so a missing compiler surfaced as a wall of gyp errors. Here the toolchain is
// checked first. The build itself is the one their script would run (node-gyp-build).
// npm and Node versions are checked earlier still, by npm itself: package.json `engines` with
// `engine-strict` (.npmrc) makes npm refuse before installing anything (EBADENGINE).
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'package.json'))
const ADDONS = ['@2060.io/ref-napi', '@2060.io/ffi-napi']
const log = (message) => process.stdout.write(`[build-addons] ${message}\n`)

function fail(message) {
  process.stderr.write(`\n[build-addons] ERROR: ${message}\n\n`)
  process.exit(1)
}

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0

function checkToolchain() {
  const missing = []
  if (!onPath('python3')) missing.push('python3')
  if (!onPath('make')) missing.push('make')
  if (!['c++', 'g++', 'clang++'].some(onPath)) missing.push('a C++ compiler (g++ or clang++)')
  if (missing.length === 0) return
  fail(
    `node-gyp needs ${missing.join(', ')} to compile the FFI addons (${ADDONS.join(', ')}), and this machine lacks them. ` +
      `Install them, then run \`npm ci\` again: on Debian or Ubuntu \`sudo apt-get install -y python3 make g++\`, ` +
      `on Fedora \`sudo dnf install -y python3 make gcc-c++\`, on macOS \`xcode-select --install\`.`,
  )
}

function buildAddon(name) {
  const dir = path.dirname(require.resolve(`${name}/package.json`))
  const nodeGypBuild = createRequire(path.join(dir, 'package.json')).resolve('node-gyp-build/bin.js')
  const result = spawnSync(process.execPath, [nodeGypBuild], { cwd: dir, stdio: 'inherit' })
  if (result.status !== 0) {
    fail(`compiling ${name} failed (node-gyp-build exited ${result.status ?? result.signal}); its output is above. The toolchain was found, so read node-gyp's first error.`)
  }
  log(`${name} compiled`)
}

checkToolchain()
for (const addon of ADDONS) buildAddon(addon)
