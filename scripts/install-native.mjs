#!/usr/bin/env node
// Puts the three Rust libraries the Credo wrappers load over FFI (Askar, AnonCreds, Indy VDR) into
// each wrapper's `native/` folder, at exactly the release the wrapper expects.
//
// Why this exists: the wrappers' own install scripts download from GitHub releases, which our
// machines cannot reach, so package.json denies those scripts (allowScripts) and this root
// postinstall runs instead. Sources, in order:
//   1. a local cache (so a second install is instant),
//   2. the upstream GitHub release the wrapper itself would use (machines with internet),
//   3. the same upstream release as shipped inside the project's PyPI wheel (sha256-pinned).
// Each library is loaded with the wrapper's own FFI binding afterwards by the test suite; here we
// only check the file is an ELF/Mach-O object of the expected release.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Wheel hashes as published on PyPI for each release; a download that differs is refused. */
const LIBRARIES = [
  {
    wrapper: '@hyperledger/aries-askar-nodejs',
    lib: 'aries_askar',
    envVar: 'LIB_ARIES_ASKAR_PATH',
    release: '0.3.2',
    github: 'https://github.com/hyperledger/aries-askar/releases/download/v0.3.2',
    pypi: 'aries-askar',
    wheelName: 'aries_askar',
    wheels: {
      'linux-x64': ['manylinux2014_x86_64', '63f9ab97db4778ced830a6d1135e1f8bd1ca564de27218bd114f1cffbd31b04c'],
      'linux-arm64': ['manylinux2014_aarch64', '176eebcf833bb9974a162fd931c8d67669e4f0145b351ce9cb1289fd2d5a345c'],
      darwin: ['macosx_10_9_universal2', '02ddbe1773ce72c57edafff5777a1337d4a678da7484596712949170fb3ca1dc'],
    },
  },
  {
    wrapper: '@hyperledger/anoncreds-nodejs',
    lib: 'anoncreds',
    envVar: 'LIB_ANONCREDS_PATH',
    release: '0.2.3',
    github: 'https://github.com/hyperledger/anoncreds-rs/releases/download/v0.2.3',
    pypi: 'anoncreds',
    wheelName: 'anoncreds',
    wheels: {
      'linux-x64': ['manylinux2014_x86_64', '5fe3172d37a88640a0af65e16a1f6da74f9dbac9d962e77b288dcacbb1c10cfc'],
      'linux-arm64': ['manylinux2014_aarch64', '079040da7346fcdd4e70e7103a5644692460c4e88d1d845f6918f9a3e0a6c475'],
      darwin: ['macosx_10_9_universal2', '9bc5d6f4404f611e8ad74801fcf1aa05bf4307831edf18bfd9438d811df053fc'],
    },
  },
  {
    wrapper: '@hyperledger/indy-vdr-nodejs',
    lib: 'indy_vdr',
    envVar: 'LIB_INDY_VDR_PATH',
    release: '0.4.1',
    github: 'https://github.com/hyperledger/indy-vdr/releases/download/v0.4.1',
    pypi: 'indy-vdr',
    wheelName: 'indy_vdr',
    wheels: {
      'linux-x64': ['manylinux2014_x86_64', '6cbcd760059c8410c09948f8f64dbf8a80a47fe8072d7d865fcfffe7e867266b'],
      'linux-arm64': ['manylinux2014_aarch64', '826c128170a42ccb06d24c9018876cdfdc94fc6870661b21d47ffa022a1570bb'],
      darwin: ['macosx_10_9_universal2', '62d18b411e6c2ca7204299306a08cf65a43dec0982f1d9749d44f02f4817ff0a'],
    },
  },
]

const platform = os.platform()
const arch = os.arch()
const platformKey = platform === 'darwin' ? 'darwin' : `${platform}-${arch}`
const extension = platform === 'darwin' ? '.dylib' : '.so'
const cacheDir =
  process.env.CREDENCE_NATIVE_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'credence', 'native')
const skipUpstream = process.env.CREDENCE_NATIVE_SKIP_UPSTREAM === 'true'

const log = (message) => process.stdout.write(`[install-native] ${message}\n`)

async function download(url, timeoutMs) {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`)
  return Buffer.from(await response.arrayBuffer())
}

/** Reads one member of a zip archive (a wheel) using the central directory; no dependency needed. */
function readZipMember(zip, memberName) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (eocd < 0) throw new Error('not a zip archive')
  const entries = zip.readUInt16LE(eocd + 10)
  let offset = zip.readUInt32LE(eocd + 16)
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(offset + 10)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const localHeader = zip.readUInt32LE(offset + 42)
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8')
    if (name === memberName) {
      const dataStart =
        localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28)
      const data = zip.subarray(dataStart, dataStart + compressedSize)
      if (method === 0) return Buffer.from(data)
      if (method === 8) return zlib.inflateRawSync(data)
      throw new Error(`zip member ${name} uses unsupported compression ${method}`)
    }
    offset += 46 + nameLength + extraLength + commentLength
  }
  throw new Error(`${memberName} not found in the wheel`)
}

async function fromUpstream(library, fileName) {
  const upstreamPlatform = platform === 'darwin' ? 'darwin-universal' : `${platform}-${arch === 'x64' ? 'x86_64' : 'aarch64'}`
  const tarball = await download(`${library.github}/library-${upstreamPlatform}.tar.gz`, 30_000)
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-native-'))
  try {
    fs.writeFileSync(path.join(workDir, 'library.tar.gz'), tarball)
    execFileSync('tar', ['-xzf', 'library.tar.gz'], { cwd: workDir })
    return fs.readFileSync(path.join(workDir, fileName))
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true })
  }
}

async function fromPyPI(library, fileName) {
  const wheel = library.wheels[platformKey]
  if (!wheel) throw new Error(`no wheel is known for ${platformKey}`)
  const [tag, sha256] = wheel
  const wheelFile = `${library.wheelName}-${library.release}-py3-none-${tag}.whl`
  const indexUrl = process.env.CREDENCE_PYPI_SIMPLE_URL ?? 'https://pypi.org/simple'
  const listing = await fetch(`${indexUrl}/${library.pypi}/`, {
    headers: { accept: 'application/vnd.pypi.simple.v1+json' },
    signal: AbortSignal.timeout(30_000),
  })
  if (!listing.ok) throw new Error(`${indexUrl}/${library.pypi}/ answered HTTP ${listing.status}`)
  const index = await listing.json()
  const entry = index.files?.find((f) => f.filename === wheelFile)
  if (!entry) throw new Error(`${wheelFile} is not listed on ${indexUrl}/${library.pypi}/`)
  const bytes = await download(entry.url, 300_000)
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== sha256) throw new Error(`${wheelFile} has sha256 ${actual}, expected ${sha256}`)
  return readZipMember(bytes, `${library.wheelName}/${fileName}`)
}

function looksLikeSharedObject(bytes) {
  const elf = bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))
  const machO = [0xcafebabe, 0xfeedfacf, 0xcffaedfe, 0xbebafeca].includes(bytes.readUInt32BE(0))
  return bytes.length > 100_000 && (elf || machO)
}

async function install(library) {
  const fileName = `lib${library.lib}${extension}`
  const wrapperDir = path.join(root, 'node_modules', library.wrapper)
  if (!fs.existsSync(wrapperDir)) throw new Error(`${library.wrapper} is not installed`)
  if (process.env[library.envVar]) {
    log(`${fileName}: ${library.envVar} is set, the wrapper loads the library from there`)
    return
  }
  const target = path.join(wrapperDir, 'native', fileName)
  const marker = `${target}.release`
  if (fs.existsSync(target) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === library.release) {
    log(`${fileName} ${library.release} already in place`)
    return
  }
  const cached = path.join(cacheDir, `${library.lib}-${library.release}-${platformKey}${extension}`)
  const sources = [
    ['cache', async () => fs.readFileSync(cached)],
    ...(skipUpstream ? [] : [['upstream GitHub release', () => fromUpstream(library, fileName)]]),
    ['PyPI wheel', () => fromPyPI(library, fileName)],
  ]
  const failures = []
  let bytes
  for (const [label, source] of sources) {
    if (label === 'cache' && !fs.existsSync(cached)) continue
    try {
      const candidate = await source()
      // Every source is checked on its own, so a damaged cache file or download falls through.
      if (!looksLikeSharedObject(candidate)) throw new Error('not a shared library')
      bytes = candidate
      log(`${fileName} ${library.release} from ${label}`)
      break
    } catch (error) {
      failures.push(`${label}: ${error.cause?.message ?? error.message}`)
    }
  }
  if (!bytes) {
    throw new Error(
      `Could not obtain the native library ${fileName} ${library.release} for ${library.wrapper} (${platformKey}). ` +
        `Tried: ${failures.join('; ')}. ` +
        `Check that this machine reaches pypi.org or github.com (or set CREDENCE_PYPI_SIMPLE_URL to a PyPI mirror), ` +
        `or obtain the library yourself, set ${library.envVar} to its path, and run "npm run postinstall" again.`,
    )
  }
  fs.mkdirSync(path.dirname(target), { recursive: true })
  writeAtomically(target, bytes)
  fs.writeFileSync(marker, library.release)
  fs.mkdirSync(cacheDir, { recursive: true })
  writeAtomically(cached, bytes)
}

/** Write-then-rename, so an interrupted install never leaves a truncated library behind. */
function writeAtomically(file, bytes) {
  const temporary = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temporary, bytes)
  fs.renameSync(temporary, file)
}

try {
  for (const library of LIBRARIES) await install(library)
} catch (error) {
  process.stderr.write(`\n[install-native] ERROR: ${error.message}\n\n`)
  process.exit(1)
}
