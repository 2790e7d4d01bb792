// What a newcomer meets in the first minutes, checked on the real process (`node dist/main.js`):
// a taken port named by its setting, a quiet boot, readable lines on request, a landing page at /,
// and `npm start` that does not rebuild an up-to-date dist/.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

import { freePorts } from '../helpers/ports'
import { runServerProcessToExit, startServerProcess, type ServerProcess } from '../helpers/serverProcess'

const ROOT = path.resolve(__dirname, '..', '..')
const dataDirs: string[] = []
const servers: ServerProcess[] = []
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-first-'))
  dataDirs.push(dir)
  return dir
}

afterAll(async () => {
  for (const server of servers) await server.stop()
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

describe('the first minutes with Credence', () => {
  it.each([
    ['CREDENCE_ADMIN_PORT', 'CREDENCE_INBOUND_PORT'],
    ['CREDENCE_INBOUND_PORT', 'CREDENCE_ADMIN_PORT'],
  ])('a taken %s stops the boot with one sentence naming the setting, no stack trace', async (taken, other) => {
    const held = await holdPort()
    const [free] = await freePorts(1)
    try {
      const { code, output } = await runServerProcessToExit({
        CREDENCE_DATA_DIR: dataDir(),
        CREDENCE_HOST: '127.0.0.1',
        CREDENCE_INBOUND_HOST: '127.0.0.1',
        [taken]: String(held.port),
        [other]: String(free),
      })
      expect(code).toBe(1)
      expect(output).toContain(`Credence failed to start: port ${held.port} on 127.0.0.1 is already in use (${taken}=${held.port})`)
      expect(output).toContain(`set ${taken} to a free port`)
      expect(output).not.toMatch(/\n\s+at /)
    } finally {
      await held.close()
    }
  })

  it('boots without a warning, in JSON lines off a terminal and in readable lines when asked', async () => {
    const json = await startServerProcess({ CREDENCE_DATA_DIR: dataDir() })
    servers.push(json)
    const jsonLines = json.output().split('\n').filter((line) => line.startsWith('{'))
    expect(jsonLines.some((line) => JSON.parse(line).msg === 'Credence ready')).toBe(true)
    expect(jsonLines.filter((line) => JSON.parse(line).level >= 40)).toEqual([])

    const pretty = await startServerProcess({ CREDENCE_DATA_DIR: dataDir(), CREDENCE_LOG_FORMAT: 'pretty' })
    servers.push(pretty)
    const output = pretty.output()
    expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  Credence ready  admin=/m)
    expect(output).not.toMatch(/^\{"level"/m)
    expect(output).not.toMatch(/ (WARN|ERROR) /)
    expect(output).not.toContain('experimental')
  })

  it('a second start on the same data directory stops with one sentence, no stack trace', async () => {
    const first = servers[0]
    expect(first).toBeDefined()
    const { code, output } = await runServerProcessToExit({ CREDENCE_DATA_DIR: first.env.CREDENCE_DATA_DIR! })
    expect(code).toBe(1)
    expect(output).toContain(`Credence failed to start: data directory ${first.env.CREDENCE_DATA_DIR} is in use by another Credence process (pid ${first.pid})`)
    expect(output).not.toMatch(/\n\s+at /)
  })

  it('answers / on the admin port with links to the console, the API docs and status', async () => {
    const server = servers[0] ?? (await startServerProcess({ CREDENCE_DATA_DIR: dataDir() }))
    const page = await fetch(`${server.adminUrl}/`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    for (const link of ['/console', '/api/doc', '/status/live']) expect(html).toContain(`href="${link}"`)
    expect(html).toContain(server.inboundUrl)

    const json = await fetch(`${server.adminUrl}/`, { headers: { accept: 'application/json' } })
    expect(await json.json()).toMatchObject({ name: 'Credence', links: { 'Web console': '/console', 'API documentation': '/api/doc' } })
  })

  it('an install on a machine without the toolchain stops with what to install, before compiling anything', () => {
    // A PATH with node and sh only: no python3, make or C++ compiler.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bin-'))
    dataDirs.push(bin)
    fs.symlinkSync(process.execPath, path.join(bin, 'node'))
    fs.symlinkSync('/bin/sh', path.join(bin, 'sh'))
    const result = spawnSync(process.execPath, ['scripts/build-addons.mjs'], { cwd: ROOT, encoding: 'utf8', env: { PATH: bin } })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('node-gyp needs python3, make, a C++ compiler (g++ or clang++)')
    expect(result.stderr).toContain('sudo apt-get install -y python3 make g++')
    expect(result.stdout).not.toContain('compiled')
    // npm itself refuses an npm without allowScripts (or another Node) before installing anything.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
    expect(pkg.engines).toEqual({ node: '>=20 <21', npm: '>=11.16' })
    expect(fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m)
  })

  it('`npm start` does not rebuild a dist/ built from the current sources', () => {
    // The test run's own pretest has just built dist/ from this checkout (and --check never builds:
    // other tests are running dist/ now).
    const started = Date.now()
    const result = spawnSync(process.execPath, ['scripts/build.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' })
    expect(result.stderr).toContain('dist/ is current')
    expect(result.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.prestart).toBe('node scripts/build.mjs --if-stale')
  })
})
