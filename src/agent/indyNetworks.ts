// The Indy networks Credence reaches through Indy VDR. Definitions are named: the public networks
// ship in config/indy-networks.json, a user's own file adds to or overrides them, and
// CREDENCE_INDY_NETWORKS picks which are used (the first one is where writes go, as ACA-Py's
// write ledger). A genesis file can be a path, inline text or a URL; a downloaded one is kept in
// the data dir so later starts need no download (Indy VDR updates the node list from the nodes).
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

import type { Config } from '../config'

export const SHIPPED_NETWORKS_FILE = path.resolve(__dirname, '..', '..', 'config', 'indy-networks.json')

const GENESIS_DOWNLOAD_TIMEOUT_MS = 30_000
const GENESIS_MAX_BYTES = 5 * 1024 * 1024

const networkDefinition = z
  .object({
    // Credo's did:indy pattern: one or two segments, each a lowercase letter then [a-z0-9_-].
    indyNamespace: z.string().regex(/^[a-z][a-z0-9_-]*(:[a-z][a-z0-9_-]*)?$/, 'an indy namespace is one or two lowercase segments joined by `:` (e.g. `sovrin:staging`)'),
    isProduction: z.boolean(),
    genesisFile: z.string().min(1).optional(),
    genesisUrl: z.string().url().optional(),
    genesisTransactions: z.string().min(1).optional(),
  })
  .strict()
  .refine(
    (n) => [n.genesisFile, n.genesisUrl, n.genesisTransactions].filter((v) => v !== undefined).length === 1,
    'give exactly one of genesisFile, genesisUrl, genesisTransactions',
  )
type NetworkDefinition = z.infer<typeof networkDefinition>

export interface IndyNetwork {
  /** The name it was selected by (ACA-Py's ledger id). */
  name: string
  indyNamespace: string
  isProduction: boolean
  genesisTransactions: string
  /** Where the genesis was downloaded from, when it was (ACA-Py's `ledger.genesis_url`). */
  genesisUrl?: string
  /** Writes (NYMs, ATTRIBs, AnonCreds objects) go to the first network. */
  isWrite: boolean
}

export class IndyNetworkError extends Error {}

function readDefinitions(file: string): Record<string, NetworkDefinition & { baseDir: string }> {
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new IndyNetworkError(`Indy networks file ${file} could not be read as JSON: ${(error as Error).message}`)
  }
  const parsed = z.record(networkDefinition).safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
    throw new IndyNetworkError(`Indy networks file ${file} is invalid: ${problems.join('; ')}`)
  }
  return Object.fromEntries(Object.entries(parsed.data).map(([name, def]) => [name, { ...def, baseDir: path.dirname(file) }]))
}

/** Genesis transactions are JSON lines, each a transaction of the pool ledger. */
function checkGenesis(name: string, text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean)
  const valid = lines.length > 0 && lines.every((line) => {
    try {
      return typeof JSON.parse(line)?.txn === 'object'
    } catch {
      return false
    }
  })
  if (!valid) throw new IndyNetworkError(`Genesis transactions of Indy network ${name} are not JSON lines of pool transactions`)
  return lines.join('\n')
}

async function download(name: string, url: string): Promise<string> {
  let response: Response
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(GENESIS_DOWNLOAD_TIMEOUT_MS) })
  } catch (error) {
    throw new IndyNetworkError(`Genesis of Indy network ${name} could not be downloaded from ${url}: ${(error as Error).message}`)
  }
  const text = await response.text()
  if (!response.ok) throw new IndyNetworkError(`Genesis of Indy network ${name} at ${url} answered HTTP ${response.status}`)
  if (text.length > GENESIS_MAX_BYTES) throw new IndyNetworkError(`Genesis of Indy network ${name} at ${url} is larger than ${GENESIS_MAX_BYTES} bytes`)
  return text
}

async function genesisOf(name: string, def: NetworkDefinition & { baseDir: string }, dataDir: string): Promise<string> {
  if (def.genesisTransactions) return checkGenesis(name, def.genesisTransactions)
  if (def.genesisFile) {
    const file = path.resolve(def.baseDir, def.genesisFile)
    if (!fs.existsSync(file)) throw new IndyNetworkError(`Genesis file of Indy network ${name} not found: ${file}`)
    return checkGenesis(name, fs.readFileSync(file, 'utf8'))
  }
  // Kept per URL: a network whose genesis moved (or was reset) is downloaded again.
  const urlHash = createHash('sha256').update(def.genesisUrl!).digest('hex').slice(0, 16)
  const cached = path.join(dataDir, 'genesis', `${name}-${urlHash}.txn`)
  if (fs.existsSync(cached)) return checkGenesis(name, fs.readFileSync(cached, 'utf8'))
  const text = checkGenesis(name, await download(name, def.genesisUrl!))
  fs.mkdirSync(path.dirname(cached), { recursive: true })
  // Written whole or not at all: a start cut short must not leave half a genesis file behind.
  fs.writeFileSync(`${cached}.part`, text)
  fs.renameSync(`${cached}.part`, cached)
  return text
}

/** The selected networks with their genesis transactions, in the order chosen; [] when none is. */
export async function loadIndyNetworks(config: Pick<Config, 'indyNetworks' | 'indyNetworksFile' | 'dataDir'>): Promise<IndyNetwork[]> {
  const selected = config.indyNetworks ?? []
  if (selected.length === 0) return []
  const definitions = {
    ...readDefinitions(SHIPPED_NETWORKS_FILE),
    ...(config.indyNetworksFile ? readDefinitions(path.resolve(config.indyNetworksFile)) : {}),
  }
  const networks: IndyNetwork[] = []
  for (const [index, name] of selected.entries()) {
    const def = Object.hasOwn(definitions, name) ? definitions[name] : undefined
    if (!def) throw new IndyNetworkError(`Unknown Indy network ${name}; known: ${Object.keys(definitions).join(', ')}`)
    if (networks.some((n) => n.name === name)) throw new IndyNetworkError(`Indy network ${name} is selected twice`)
    const sameNamespace = networks.find((n) => n.indyNamespace === def.indyNamespace)
    if (sameNamespace) throw new IndyNetworkError(`Indy networks ${sameNamespace.name} and ${name} share the namespace ${def.indyNamespace}`)
    networks.push({
      name,
      indyNamespace: def.indyNamespace,
      isProduction: def.isProduction,
      genesisTransactions: await genesisOf(name, def, config.dataDir),
      ...(def.genesisUrl ? { genesisUrl: def.genesisUrl } : {}),
      isWrite: index === 0,
    })
  }
  return networks
}
