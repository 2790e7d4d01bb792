// The bench's smoke run (`npm run bench -- --compare acapy --quick`): tiny counts against a fresh
// Credence and a fresh ACA-Py, so the harness cannot rot. Nothing here depends on timing: the run
// must finish every flow without an error and write its results.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(__dirname, '..', '..')

describe('bench smoke run', () => {
  // The anoncreds scenario starts the local Indy pool (scripts/ensure-indy-pool.sh) for both systems.
  it('runs every scenario against Credence and ACA-Py, and writes the results', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bench-smoke-'))
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['bench/run.mjs', '--compare', 'acapy', '--quick', '--out', out], { cwd: ROOT, env: process.env })
      let text = ''
      child.stdout.on('data', (chunk) => (text += chunk))
      child.stderr.on('data', (chunk) => (text += chunk))
      child.on('exit', (exitCode) => resolve({ code: exitCode, output: text }))
    })
    expect(code, output).toBe(0)
    const [jsonFile] = fs.readdirSync(out).filter((name) => name.endsWith('-quick.json'))
    const report = JSON.parse(fs.readFileSync(path.join(out, jsonFile), 'utf8'))
    const ran = report.results.map((r: any) => `${r.system}/${r.scenario}`)
    expect(ran).toEqual([
      'credence/connect', 'credence/message', 'credence/jsonld', 'credence/anoncreds', 'credence/reads', 'credence/tenants',
      'acapy/connect', 'acapy/message', 'acapy/jsonld', 'acapy/anoncreds', 'acapy/reads', 'acapy/tenants',
    ])
    for (const result of report.results) {
      expect(result.errors, `${result.system}/${result.scenario}: ${result.first_errors.join(' | ')}`).toBe(0)
      expect(result.flows).toBeGreaterThan(0)
      expect(result.cpu_s_per_flow).toEqual(expect.any(Number))
    }
    expect(report.comparisons.map((c: any) => c.scenario)).toEqual(['connect', 'message', 'jsonld', 'anoncreds', 'reads', 'tenants'])
    // The tenants scenario reports create latency by store size (one bucket of tiny counts here).
    const tenants = report.results.find((r: any) => r.system === 'credence' && r.scenario === 'tenants')
    expect(tenants.details.create_by_thousand).toEqual([{ tenants_before: 0, p50_ms: expect.any(Number), p95_ms: expect.any(Number) }])
    expect(report.versions.credence).toMatch(/^\d+\.\d+\.\d+ \(/)
    expect(fs.existsSync(path.join(out, jsonFile.replace(/\.json$/, '.md')))).toBe(true)
  }, 600_000)
})
