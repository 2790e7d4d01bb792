// `npm run demo` against a running Credence, as the README shows it: the script itself, run as its
// own process over real HTTP, ends with a verified proof and prints one JSON line per step.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'

const ROOT = path.resolve(__dirname, '..', '..')

function runDemo(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/demo.mjs', '--json'], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

describe('npm run demo', () => {
  let server: ServerProcess

  beforeAll(async () => {
    server = await startServerProcess(sqlite.env(tempDataDir()))
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('issues an AnonCreds and a JSON-LD credential and verifies a proof of each, printing each step', async () => {
    const { code, output } = await runDemo({ CREDENCE_URL: server.adminUrl, CREDENCE_ADMIN_API_KEY: adminKeyOf(server.env as Record<string, string>) })
    expect(code, output).toBe(0)
    const lines = output.trim().split('\n').map((line) => JSON.parse(line))
    expect(lines.at(-1)).toEqual({ result: { verified: true, state: 'done', json_ld_verified: true, total_ms: expect.any(Number) } })
    const steps = lines.slice(0, -1)
    expect(steps.map((s) => s.step)).toEqual([
      'issuer, holder and verifier tenants',
      'issuer and holder connected (DID exchange 1.1)',
      'verifier and holder connected',
      'issuer did:web hosted by Credence',
      'schema on the embedded registry',
      'credential definition',
      'AnonCreds credential offered, requested, issued and stored',
      'proof requested (name revealed, level >= 2) and presented',
      'issuer and holder did:key for JSON-LD',
      'JSON-LD credential (Ed25519Signature2020) offered, requested, issued and stored',
      'DIF proof requested (a degree from the issuer) and presented',
    ])
    for (const s of steps) expect(s.ms).toEqual(expect.any(Number))
    expect(steps[7].detail).toBe('revealed name = Alice')
    expect(steps.at(-1).detail).toBe('presented Bachelor of Science')
  })

  it('says what is wrong when no server answers', async () => {
    const { code, output } = await runDemo({ CREDENCE_URL: 'http://127.0.0.1:9', CREDENCE_ADMIN_API_KEY: 'x'.repeat(20) })
    expect(code).toBe(1)
    expect(output).toContain('did not answer')
  })
})
