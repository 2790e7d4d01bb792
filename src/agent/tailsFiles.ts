// Tails files of AnonCreds revocation registries. anoncreds-rs writes an issuer's tails file into the
// wallet's own directory (`<data dir>/tails/<wallet id>/<hash>`), and Credence itself serves it on
// the public port at a content-addressed URL, `<endpoint>/tails/<hash>` (public/routes.ts), so a
// holder anywhere can fetch it without a separate tails server. A holder's copy is fetched under
// the same rules as a did:web document (https, or loopback http when allowed; size and time limits,
// no redirects) and kept only when its SHA-256 is the hash the registry definition names.
// With an external tails server configured (ACA-Py's semantics), the file is also uploaded there
// (`PUT <upload url>/hash/<hash>`, multipart field `tails`; a 409 means it is there already) and the
// registry names `<base url>/hash/<hash>`, so holders that only know tails servers find it.
import type { AnonCredsRevocationRegistryDefinition, TailsFileService } from '@credo-ts/anoncreds'
import { TypedArrayEncoder, type AgentContext } from '@credo-ts/core'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { PublicFetchError, whyNotFetchable } from './webFetch'

/** anoncreds-rs names a tails file by its hash: base58 of SHA-256. */
export const TAILS_HASH = /^[1-9A-HJ-NP-Za-km-z]{40,50}$/
/** A registry of 32768 credentials has a tails file of 8 MB (256 bytes per entry). */
export const MAX_TAILS_BYTES = 64 * 1024 * 1024
const FETCH_TIMEOUT_MS = 30_000

const base58 = (bytes: Buffer) => TypedArrayEncoder.toBase58(bytes)

export const tailsHashOf = (file: string) => base58(createHash('sha256').update(fs.readFileSync(file)).digest())

export class TailsFileError extends Error {}

const UPLOAD_ATTEMPTS = 5
const UPLOAD_TIMEOUT_MS = 10_000

export class CredenceTailsFileService implements TailsFileService {
  /**
   * Files already checked against their hash, by path, with the size and mtime they had then: a
   * public GET must not read and hash megabytes on the event loop each time (a peer could stall us).
   */
  private readonly verified = new Map<string, string>()

  public constructor(
    private readonly options: { directory: string; publicEndpoint: string; allowHttp: boolean; tailsServer?: { baseUrl: string; uploadUrl: string } },
  ) {}

  /** The wallet's tails directory (the base wallet's is `base`). */
  public directoryOf(walletId: string): string {
    return path.join(this.options.directory, walletId)
  }

  public getTailsBasePath(agentContext: AgentContext): string {
    const directory = this.directoryOf(agentContext.contextCorrelationId === 'default' ? 'base' : agentContext.contextCorrelationId)
    fs.mkdirSync(directory, { recursive: true })
    return directory
  }

  /** The wallet's tails file with this hash, when it is there and matches it (checked on the way out). */
  public verifiedPath(walletId: string, tailsHash: string): string | undefined {
    if (!TAILS_HASH.test(tailsHash)) return undefined
    const file = path.join(this.directoryOf(walletId), tailsHash)
    const stat = fs.statSync(file, { throwIfNoEntry: false })
    if (!stat) return undefined
    const seen = `${stat.size}:${stat.mtimeMs}`
    if (this.verified.get(file) === seen) return file
    if (tailsHashOf(file) !== tailsHash) return undefined
    this.verified.set(file, seen)
    return file
  }

  /** Served from where anoncreds-rs wrote it; uploaded too when a tails server is configured. */
  public async uploadTailsFile(_agentContext: AgentContext, options: { revocationRegistryDefinition: AnonCredsRevocationRegistryDefinition }) {
    const { tailsHash, tailsLocation } = options.revocationRegistryDefinition.value
    const server = this.options.tailsServer
    if (!server) return { tailsFileUrl: `${new URL(this.options.publicEndpoint).origin}/tails/${tailsHash}` }
    // Credo hands over the definition as anoncreds-rs made it: tailsLocation is still the local file.
    await this.upload(`${server.uploadUrl.replace(/\/+$/, '')}/hash/${tailsHash}`, fs.readFileSync(tailsLocation))
    return { tailsFileUrl: `${server.baseUrl.replace(/\/+$/, '')}/hash/${tailsHash}` }
  }

  /** Uploads one of the wallet's tails files to the configured tails server again; false when none is configured. */
  public async uploadToTailsServer(walletId: string, tailsHash: string): Promise<boolean> {
    const server = this.options.tailsServer
    const file = this.verifiedPath(walletId, tailsHash)
    if (!server || !file) return false
    await this.upload(`${server.uploadUrl.replace(/\/+$/, '')}/hash/${tailsHash}`, fs.readFileSync(file))
    return true
  }

  /** Deletes one of the wallet's tails files; false when it was not there. */
  public remove(walletId: string, tailsHash: string): boolean {
    if (!TAILS_HASH.test(tailsHash)) return false
    const file = path.join(this.directoryOf(walletId), tailsHash)
    this.verified.delete(file)
    if (!fs.existsSync(file)) return false
    fs.rmSync(file)
    return true
  }

  private async upload(url: string, tails: Buffer): Promise<void> {
    let last = ''
    for (let attempt = 1; attempt <= UPLOAD_ATTEMPTS; attempt++) {
      const form = new FormData()
      form.append('tails', new Blob([tails], { type: 'application/octet-stream' }), 'tails')
      try {
        const response = await fetch(url, { method: 'PUT', body: form, redirect: 'error', signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) })
        await response.body?.cancel().catch(() => undefined)
        if (response.ok || response.status === 409) return
        last = `HTTP ${response.status}`
      } catch (error) {
        last = (error as Error).message
      }
      if (attempt < UPLOAD_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 250 * attempt))
    }
    throw new TailsFileError(`The tails server did not take the tails file at ${new URL(url).origin} (${last})`)
  }

  public async getTailsFile(agentContext: AgentContext, options: { revocationRegistryDefinition: AnonCredsRevocationRegistryDefinition }) {
    const { tailsHash, tailsLocation } = options.revocationRegistryDefinition.value
    if (!TAILS_HASH.test(tailsHash)) throw new TailsFileError(`The tails hash ${tailsHash} is not a tails hash`)
    const tailsFilePath = path.join(this.getTailsBasePath(agentContext), tailsHash)
    if (!fs.existsSync(tailsFilePath)) await this.download(new URL(tailsLocation), tailsHash, tailsFilePath)
    return { tailsFilePath }
  }

  private async download(url: URL, tailsHash: string, target: string): Promise<void> {
    const refused = whyNotFetchable(url, this.options.allowHttp)
    if (refused) throw new PublicFetchError(`The tails file at ${url.origin} may not be fetched: ${refused}`)
    let response: Response
    try {
      response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    } catch {
      throw new PublicFetchError(`The tails file at ${url.origin} could not be fetched`)
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined)
      throw new PublicFetchError(`${url.origin} did not serve the tails file (HTTP ${response.status})`)
    }
    const hash = createHash('sha256')
    const partial = `${target}.${randomBytes(4).toString('hex')}.part`
    const out = fs.openSync(partial, 'w')
    let size = 0
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength
        if (size > MAX_TAILS_BYTES) {
          await response.body.cancel().catch(() => undefined)
          throw new PublicFetchError(`The tails file at ${url.origin} is larger than ${MAX_TAILS_BYTES} bytes`)
        }
        hash.update(chunk)
        fs.writeSync(out, chunk)
      }
      fs.closeSync(out)
      // The hash is what the registry definition promises; anything else is not this tails file.
      if (base58(hash.digest()) !== tailsHash) throw new TailsFileError(`The tails file at ${url.origin} does not match its hash ${tailsHash}`)
      fs.renameSync(partial, target)
    } catch (error) {
      try {
        fs.closeSync(out)
      } catch {
        // already closed
      }
      fs.rmSync(partial, { force: true })
      throw error
    }
  }
}
