// A holder's tails file is fetched under the did:web rules and kept only when it is what the
// registry definition's hash says: a tampered, oversized or non-https one is refused and nothing
// is left behind.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { TypedArrayEncoder, type AgentContext } from '@credo-ts/core'

import { CredenceTailsFileService } from '../src/agent/tailsFiles'

const hashOf = (bytes: Buffer) => TypedArrayEncoder.toBase58(createHash('sha256').update(bytes).digest())
const definition = (tailsLocation: string, tailsHash: string) => ({ value: { tailsLocation, tailsHash } }) as never
const context = (id: string) => ({ contextCorrelationId: id }) as AgentContext

describe('tails files', () => {
  const genuine = randomBytes(4096)
  const served = new Map<string, Buffer>()
  let server: http.Server
  let base: string
  let directory: string
  const service = () => new CredenceTailsFileService({ directory, publicEndpoint: 'http://localhost:8020', allowHttp: true })

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-tails-'))
    server = http.createServer((req, res) => {
      const body = served.get(req.url ?? '')
      if (!body) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    fs.rmSync(directory, { recursive: true, force: true })
  })

  it('an issuer publishes its tails file at a content-addressed URL on its own endpoint', async () => {
    const hash = hashOf(genuine)
    expect(await service().uploadTailsFile(context('w1'), { revocationRegistryDefinition: definition('/local/path', hash) })).toEqual({ tailsFileUrl: `http://localhost:8020/tails/${hash}` })
  })

  it('keeps a fetched tails file that matches its hash, per wallet, and serves it from there afterwards', async () => {
    const hash = hashOf(genuine)
    served.set('/good', genuine)
    const { tailsFilePath } = await service().getTailsFile(context('w1'), { revocationRegistryDefinition: definition(`${base}/good`, hash) })
    expect(tailsFilePath).toBe(path.join(directory, 'w1', hash))
    expect(fs.readFileSync(tailsFilePath).equals(genuine)).toBe(true)
    served.delete('/good')
    // Already here: not fetched again.
    expect((await service().getTailsFile(context('w1'), { revocationRegistryDefinition: definition(`${base}/good`, hash) })).tailsFilePath).toBe(tailsFilePath)
    expect(service().verifiedPath('w1', hash)).toBe(tailsFilePath)
    expect(service().verifiedPath('w2', hash)).toBeUndefined()
  })

  it('refuses a tampered tails file and keeps nothing of it', async () => {
    const tampered = Buffer.from(genuine)
    tampered[100] ^= 0xff
    served.set('/tampered', tampered)
    const hash = hashOf(genuine)
    await expect(service().getTailsFile(context('w3'), { revocationRegistryDefinition: definition(`${base}/tampered`, hash) })).rejects.toThrow(/does not match its hash/)
    expect(fs.readdirSync(path.join(directory, 'w3'))).toEqual([])
  })

  it('refuses plain http to other hosts, and hashes that are not tails hashes', async () => {
    const hash = hashOf(genuine)
    await expect(service().getTailsFile(context('w4'), { revocationRegistryDefinition: definition(`http://example.com/x`, hash) })).rejects.toThrow(/only https/)
    await expect(service().getTailsFile(context('w4'), { revocationRegistryDefinition: definition(`${base}/good`, '../../etc/passwd') })).rejects.toThrow(/not a tails hash/)
  })
})

describe('an external tails server (ACA-Py semantics)', () => {
  it('uploads the tails file as multipart `tails` to <upload>/hash/<hash> and names <base>/hash/<hash>; a 409 means it is there', async () => {
    const received: Array<{ method?: string; url?: string; body: Buffer }> = []
    let status = 200
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk) => chunks.push(chunk))
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, body: Buffer.concat(chunks) })
        res.writeHead(status).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const upload = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload/`
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-tails-'))
    try {
      const tails = randomBytes(2048)
      const file = path.join(directory, 'local')
      fs.writeFileSync(file, tails)
      const hash = hashOf(tails)
      const service = new CredenceTailsFileService({
        directory,
        publicEndpoint: 'http://localhost:8020',
        allowHttp: true,
        tailsServer: { baseUrl: 'https://tails.example.org', uploadUrl: upload },
      })
      const uploaded = await service.uploadTailsFile(context('w1'), { revocationRegistryDefinition: definition(file, hash) })
      expect(uploaded).toEqual({ tailsFileUrl: `https://tails.example.org/hash/${hash}` })
      expect(received[0]).toMatchObject({ method: 'PUT', url: `/upload/hash/${hash}` })
      expect(received[0].body.toString('latin1')).toContain('name="tails"')
      expect(received[0].body.includes(tails)).toBe(true)
      status = 409
      expect((await service.uploadTailsFile(context('w1'), { revocationRegistryDefinition: definition(file, hash) })).tailsFileUrl).toContain(hash)
    } finally {
      await new Promise((resolve) => server.close(resolve))
      fs.rmSync(directory, { recursive: true, force: true })
    }
  })
})
