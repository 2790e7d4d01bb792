// Credence driven by acapy-controller (PyPI), the client library ACA-Py's own scenario scripts use,
// exactly as it drives ACA-Py: it waits for /ws's settings message, reads /status/config, and
// follows every step by the events it receives on /ws. Our flows (test/acapy-controller/flows.py):
// DID exchange, trust ping, a basic message, one multi-use invitation received twice, a JSON-LD
// credential under did:key and a DIF proof of it, in the pairings Credence↔Credence,
// Credence→ACA-Py and ACA-Py→Credence (a real ACA-Py 1.7.0). As ACA-Py's scenarios do, the agents
// run in insecure mode (the library opens /ws with no header) with whole records in their events.
// Every answer Credence gives the library passes through a recording proxy and is checked against
// ACA-Py 1.7's own OpenAPI document (downloaded from the ACA-Py the test runs), so a client generated
// from it (aries-cloudcontroller) can read it.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ensureAcaPy, startAcaPy, type AcaPy } from '../helpers/acapy'
import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startRecordingProxy, type RecordingProxy } from '../helpers/recordingProxy'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { downloadSwagger, formatMismatches, validateExchanges, type Swagger } from '../helpers/swaggerValidation'

const FLOWS = path.resolve(__dirname, '..', 'acapy-controller', 'flows.py')
const STEPS = ['setup', 'didexchange', 'trustping', 'basicmessage', 'multiuse', 'jsonld-issue', 'dif-proof']

interface Agent {
  url: string
  wallet_id?: string
  token?: string
}

/** A Credence tenant as acapy-controller sees a sub-wallet; whole records in its events (--debug-webhooks). */
async function credenceTenant(server: ServerProcess, proxy: RecordingProxy, label: string): Promise<Agent> {
  const created = await call(proxy.url, 'POST', '/multitenancy/wallet', {
    headers: { 'x-api-key': adminKeyOf(server.env as Record<string, string>) },
    body: { label, extra_settings: { ACAPY_DEBUG_WEBHOOKS: true } },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  return { url: proxy.url, wallet_id: created.body.wallet_id, token: created.body.token }
}

/** Runs the flows; resolves with the steps that passed and the output. */
function runFlows(inviter: Agent, invitee: Agent): Promise<{ passed: string[]; output: string; code: number }> {
  const python = path.join(path.dirname(ensureAcaPy()), 'python')
  return new Promise((resolve) => {
    execFile(python, [FLOWS, JSON.stringify({ inviter, invitee })], { timeout: 180_000 }, (error, stdout, stderr) => {
      const passed = stdout.split('\n').filter((line) => line.startsWith('ok ')).map((line) => line.slice(3))
      resolve({ passed, output: `${stdout}\n${stderr}`, code: error ? ((error as { code?: number }).code ?? 1) : 0 })
    })
  })
}

describe('acapy-controller against Credence', () => {
  let first: ServerProcess
  let second: ServerProcess
  let acapy: AcaPy
  // In front of each Credence admin URL: what the controller was answered.
  let firstProxy: RecordingProxy
  let secondProxy: RecordingProxy
  // In front of ACA-Py in one pairing: its own answers show the check is fair.
  let acapyProxy: RecordingProxy
  let swagger: Swagger

  beforeAll(async () => {
    ;[first, second, acapy] = await Promise.all([
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_ADMIN_INSECURE_MODE: 'true' }),
      startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_ADMIN_INSECURE_MODE: 'true' }),
      // As ACA-Py's scenarios run it: no auto-accept, whole records in events.
      startAcaPy({ label: 'ACA-Py', extraArgs: ['--debug-webhooks'] }),
    ])
    ;[firstProxy, secondProxy, acapyProxy, swagger] = await Promise.all([
      startRecordingProxy(first.adminUrl),
      startRecordingProxy(second.adminUrl),
      startRecordingProxy(acapy.adminUrl),
      downloadSwagger(acapy.adminUrl),
    ])
  }, 300_000)

  afterAll(async () => {
    await Promise.all([firstProxy?.stop(), secondProxy?.stop(), acapyProxy?.stop()])
    await Promise.all([first?.stop(), second?.stop(), acapy?.stop()])
  })

  it('Credence ↔ Credence (tenants of two servers)', async () => {
    const result = await runFlows(await credenceTenant(first, firstProxy, 'Alice'), await credenceTenant(second, secondProxy, 'Bob'))
    expect(result.passed, result.output).toEqual(STEPS)
    expect(result.code, result.output).toBe(0)
  })

  it('Credence → ACA-Py (Credence invites, issues and verifies)', async () => {
    const result = await runFlows(await credenceTenant(first, firstProxy, 'Faber'), { url: acapyProxy.url })
    expect(result.passed, result.output).toEqual(STEPS)
    expect(result.code, result.output).toBe(0)
  })

  it('ACA-Py → Credence (ACA-Py invites, issues and verifies)', async () => {
    const result = await runFlows({ url: acapy.adminUrl }, await credenceTenant(second, secondProxy, 'Alice'))
    expect(result.passed, result.output).toEqual(STEPS)
    expect(result.code, result.output).toBe(0)
  })

  // After the flows: ACA-Py 1.7's document is the contract for every route it has (routes it does
  // not have, such as /multitenancy on a single-wallet ACA-Py, are Credence's to shape).
  it("every Credence answer in the flows validates against ACA-Py 1.7's swagger.json", () => {
    const report = validateExchanges(swagger, [...firstProxy.exchanges, ...secondProxy.exchanges])
    expect(report.checked, `no answer was checked; routes not in the document: ${report.unmatched.join(', ')}`).toBeGreaterThan(20)
    expect(report.mismatches.length, `mismatches with ACA-Py 1.7's swagger.json:\n${formatMismatches(report.mismatches)}`).toBe(0)
    // The check itself is fair: ACA-Py's own answers in the Credence → ACA-Py pairing pass it.
    const control = validateExchanges(swagger, acapyProxy.exchanges)
    expect(control.checked).toBeGreaterThan(5)
    expect(control.mismatches.length, `ACA-Py's own answers fail the check:\n${formatMismatches(control.mismatches)}`).toBe(0)
  })
})
