// What Credo may write through our logger: bounded lines above debug, DIDComm plaintext only at
// debug, repeats throttled with a count of what was left out.
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'

import { CredoPinoLogger, createLogger, logThrottle, prettyLines } from '../src/logger'

function capture(level: string) {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  return { lines, credo: new CredoPinoLogger(createLogger(level, destination)) }
}

const bigEnvelope = { protected: 'eyJ9', iv: 'AA', ciphertext: 'A'.repeat(5 * 1024 * 1024), tag: 'AA' }

describe("Credo's lines through our logger", () => {
  it('writes the lines about a refused message and DIDComm plaintext at debug only', () => {
    const { lines, credo } = capture('info')
    credo.error("Couldn't determine tenant id for inbound message. Unable to create context", { inboundMessage: bigEnvelope })
    credo.info("Received message with type 'https://didcomm.org/basicmessage/1.0/message'", {
      '@type': 'https://didcomm.org/basicmessage/1.0/message',
      '@id': 'm1',
      content: 'a private message',
    })
    expect(lines).toEqual([])

    const debug = capture('debug')
    debug.credo.info("Received message with type 'https://didcomm.org/basicmessage/1.0/message'", { '@type': 'x', '@id': 'm1', content: 'a private message' })
    expect(debug.lines.join('\n')).toContain('a private message')
  })

  it('bounds every field above debug: a DIDComm message by type and id, anything long by its size', () => {
    const { lines, credo } = capture('info')
    credo.warn('something about a message', { message: { '@type': 'https://didcomm.org/x/1.0/y', '@id': 'id-1', secret: 'kept out' }, inboundMessage: bigEnvelope, note: 'n'.repeat(100_000) })
    credo.error('failed', { error: new Error(`boom ${'x'.repeat(100_000)}`) })
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line.length).toBeLessThan(4096)
    const [warned, failed] = lines.map((line) => JSON.parse(line))
    expect(warned.message).toEqual({ '@type': 'https://didcomm.org/x/1.0/y', '@id': 'id-1' })
    expect(warned.inboundMessage).toBe('[encrypted message omitted]')
    expect(warned.note).toMatch(/… \[100000 chars\]$/)
    expect(failed.err.message).toMatch(/^boom x+$/)
  })

  it('writes ten of a kind a minute and then says how many it left out', () => {
    let now = 0
    const throttle = logThrottle(10, () => now)
    const written = Array.from({ length: 50 }, () => throttle('warn same thing')).filter((verdict) => verdict.write)
    expect(written).toHaveLength(10)
    expect(throttle('warn another thing').write).toBe(true)
    now = 61_000
    expect(throttle('warn same thing')).toEqual({ write: true, skipped: 40 })
  })
})

describe('readable lines for a terminal', () => {
  it('writes time, level, message and fields, an error with its stack below, and secrets redacted', () => {
    const lines: string[] = []
    const out = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const logger = createLogger('info', prettyLines(out, false))
    logger.info({ walletId: 'w1', token: 'eyJ-secret' }, 'tenant created')
    logger.error({ err: new Error('store closed') }, 'request failed')
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  tenant created  walletId=w1 token=\[redacted\]\n$/)
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR request failed\n    Error: store closed\n {8}at /)
    expect(lines.join('')).not.toContain('eyJ-secret')
  })
})
