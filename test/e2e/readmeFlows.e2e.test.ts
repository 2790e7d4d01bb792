// The README's step-by-step flows, run as written: every ```sh block preceded by
// `<!-- tested: <flow> -->` belongs to that flow, a flow's blocks run in order in one bash (as a
// reader pastes them into one terminal), and every `# → <line>` in them must be printed, in order.
// The only change made to the text: the README's admin address (127.0.0.1:8021, the default) is
// replaced by the port of the server this test starts, whose data directory is `./data` of the
// directory the flow runs in, as it is for a reader who ran `npm start`.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')
const README_ADMIN = '127.0.0.1:8021'

/** The README's tested flows: name → the text of its blocks, in order. */
export function testedFlows(markdown: string): Map<string, string[]> {
  const flows = new Map<string, string[]>()
  for (const match of markdown.matchAll(/^<!-- tested: ([\w-]+) -->\n```sh\n([\s\S]*?)\n```$/gm)) {
    flows.set(match[1], [...(flows.get(match[1]) ?? []), match[2]])
  }
  return flows
}

/** The `# → …` lines of a script: what it must print. */
const expectedLines = (script: string) => [...script.matchAll(/^# → (.*)$/gm)].map((match) => match[1].trim())

function runBash(script: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const flows = testedFlows(README)

describe("the README's step-by-step flows", () => {
  let server: ServerProcess
  let readerDir: string

  beforeAll(async () => {
    // The flows' own tools: a reader without them is told so by the README; here it is a failure.
    for (const tool of ['curl', 'jq']) {
      expect(spawnSync(tool, ['--version']).status, `${tool} is needed to run the README's flows`).toBe(0)
    }
    readerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-readme-'))
    server = await startServerProcess({ CREDENCE_DATA_DIR: path.join(readerDir, 'data') })
  }, 90_000)

  afterAll(async () => {
    await server?.stop()
    if (readerDir) fs.rmSync(readerDir, { recursive: true, force: true })
  })

  it('finds both flows, each with its expected output', () => {
    expect([...flows.keys()]).toEqual(['acapy-face', 'controller-face'])
    for (const blocks of flows.values()) expect(expectedLines(blocks.join('\n')).length).toBeGreaterThan(2)
  })

  it.each([...flows.keys()])('%s runs top to bottom, twice, and prints what the README says', async (name) => {
    const script = flows.get(name)!.join('\n').replaceAll(README_ADMIN, new URL(server.adminUrl).host)
    const expected = expectedLines(script)
    // Twice: the README promises that a second run does not collide with the first.
    for (const run of [1, 2]) {
      const { code, stdout, stderr } = await runBash(script, readerDir, 120_000)
      const context = `run ${run} of ${name}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`
      expect(code, context).toBe(0)
      const printed = stdout.split('\n').map((line) => line.trim())
      let from = 0
      for (const line of expected) {
        const at = printed.indexOf(line, from)
        expect(at, `"${line}" printed after the lines before it; ${context}`).toBeGreaterThanOrEqual(0)
        from = at + 1
      }
    }
  }, 300_000)
})
