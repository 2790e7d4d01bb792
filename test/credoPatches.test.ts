// The patches Credence applies to Credo at run time (src/agent/patches/): each is listed, each
// targets the installed version, and a member an upgrade removed stops the boot naming the patch.
// Deep imports of Credo's build paths go through one file, and outside src/agent Credo is reached
// only through src/agent (its public API re-exported in agent/credo.ts).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { checkPatches, PATCHES, PatchTargetMissing, type CredoPatch } from '../src/agent/patches'

const SRC = path.join(__dirname, '..', 'src')
const PATCH_DIR = path.join(SRC, 'agent', 'patches')

const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(full) : entry.name.endsWith('.ts') ? [full] : []
  })

describe('Credo patches', () => {
  it('lists every file of src/agent/patches, and each finds its members in the version it targets', () => {
    const files = fs.readdirSync(PATCH_DIR).filter((file) => file !== 'index.ts' && file !== 'patch.ts').map((file) => file.replace(/\.ts$/, ''))
    expect(PATCHES.map((patch) => patch.name).sort()).toEqual(files.sort())
    expect(checkPatches()).toEqual([])
    for (const patch of PATCHES) {
      expect(patch.members().length).toBeGreaterThan(0)
      expect(patch.upstream, patch.name).not.toBe('')
    }
  })

  it('refuses to boot when a patched member is gone, naming the patch and the member', () => {
    const gone: CredoPatch = {
      name: 'connectionReuse',
      targets: { package: '@credo-ts/core', version: '0.5.19' },
      why: 'reuse picked a connection that never completed',
      upstream: 'none found',
      members: () => [{ owner: 'OutOfBandApi.prototype', object: {}, member: 'findExistingConnection' }],
    }
    expect(() => checkPatches([gone])).toThrow(PatchTargetMissing)
    expect(() => checkPatches([gone])).toThrow(
      'Credo patch connectionReuse (src/agent/patches/connectionReuse.ts) needs OutOfBandApi.prototype.findExistingConnection, which the installed package lacks (written for @credo-ts/core 0.5.19, installed 0.5.19)',
    )
  })

  it('warns when a targeted package is installed at another version', () => {
    const older: CredoPatch = { ...PATCHES[0], targets: { package: '@credo-ts/core', version: '0.5.0' } }
    expect(checkPatches([older])).toEqual([expect.stringContaining(`Credo patch ${older.name}: written for @credo-ts/core 0.5.0, installed 0.5.19`)])
  })

  it("imports Credo's build paths only in src/agent/credoInternals.ts (and Askar's in its patch)", () => {
    const deep = /from '@credo-ts\/[\w-]+\/build|load\('@hyperledger\/[\w-]+\/build/
    const offenders = filesUnder(SRC)
      .filter((file) => deep.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file))
    expect(offenders.sort()).toEqual(['agent/credoInternals.ts', 'agent/patches/askarWrapper.ts'])
  })

  it('is imported outside src/agent only through src/agent', () => {
    const credo = /from '@credo-ts\//
    const offenders = filesUnder(SRC)
      .map((file) => path.relative(SRC, file))
      .filter((file) => !file.startsWith(`agent${path.sep}`) && credo.test(fs.readFileSync(path.join(SRC, file), 'utf8')))
    expect(offenders).toEqual([])
  })
})
