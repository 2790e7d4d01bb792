// Raw WebSocket frames, well and badly formed, written straight to a TCP socket after a normal
// upgrade: what a hostile peer sends that a WebSocket library never would.
import { randomBytes } from 'node:crypto'
import net from 'node:net'

/** A client frame: FIN and opcode in the first byte, masked unless told otherwise. */
export function frame(options: { opcode: number; payload: Buffer; fin?: boolean; rsv?: number; masked?: boolean; declaredLength?: bigint }): Buffer {
  const { opcode, payload, fin = true, rsv = 0, masked = true } = options
  const length = options.declaredLength ?? BigInt(payload.length)
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
  const maskBit = masked ? 0x80 : 0
  let extended = Buffer.alloc(0)
  if (length < 126n) head.push(maskBit | Number(length))
  else if (length < 65536n) {
    head.push(maskBit | 126)
    extended = Buffer.alloc(2)
    extended.writeUInt16BE(Number(length))
  } else {
    head.push(maskBit | 127)
    extended = Buffer.alloc(8)
    extended.writeBigUInt64BE(length)
  }
  const key = masked ? randomBytes(4) : Buffer.alloc(0)
  const body = Buffer.from(payload)
  if (masked) for (let i = 0; i < body.length; i++) body[i] ^= key[i % 4]
  return Buffer.concat([Buffer.from(head), extended, key, body])
}

const text = (value: string) => Buffer.from(value, 'utf8')
const closeCode = (code: number) => {
  const payload = Buffer.alloc(2)
  payload.writeUInt16BE(code)
  return payload
}

/** Every kind of malformed frame sequence, by name; each is sent on a connection of its own. */
export const MALFORMED_FRAMES: Record<string, () => Buffer> = {
  unmasked: () => Buffer.from([0x81, 0x02, 0x68, 0x69]),
  'reserved data opcode': () => frame({ opcode: 0x3 + Math.floor(Math.random() * 5), payload: text('hi') }),
  'reserved control opcode': () => frame({ opcode: 0xb + Math.floor(Math.random() * 5), payload: text('hi') }),
  'reserved bits set': () => frame({ opcode: 0x1, rsv: 1 + Math.floor(Math.random() * 7), payload: text('hi') }),
  'invalid UTF-8 text': () => frame({ opcode: 0x1, payload: Buffer.from([0xff, 0xfe, 0xc3, 0x28]) }),
  'declared length over the limit': () => frame({ opcode: 0x2, payload: Buffer.alloc(16), declaredLength: 2n ** 40n }),
  'length with the top bit set': () => frame({ opcode: 0x2, payload: Buffer.alloc(16), declaredLength: 2n ** 63n + 5n }),
  'control frame over 125 bytes': () => frame({ opcode: 0x9, payload: Buffer.alloc(200, 1) }),
  'fragmented control frame': () => frame({ opcode: 0x9, payload: text('ping'), fin: false }),
  'continuation with no start': () => frame({ opcode: 0x0, payload: text('orphan') }),
  'new message inside a fragmented one': () =>
    Buffer.concat([frame({ opcode: 0x1, payload: text('{"prot'), fin: false }), frame({ opcode: 0x1, payload: text('ected"}') })]),
  'close with an invalid code': () => frame({ opcode: 0x8, payload: closeCode(999) }),
  'close with a one-byte body': () => frame({ opcode: 0x8, payload: Buffer.from([0x03]) }),
  'random bytes': () => randomBytes(1 + Math.floor(Math.random() * 512)),
}

/**
 * Upgrades a raw TCP connection to `url`'s WebSocket, writes `bytes` and resolves once the server
 * closes the connection (true) or `waitMs` passes without it (false).
 */
export async function sendRawAfterUpgrade(url: string, bytes: Buffer | undefined, waitMs = 3000): Promise<boolean> {
  const { hostname, port, pathname } = new URL(url)
  const socket = net.connect(Number(port), hostname)
  socket.on('error', () => undefined)
  try {
    const upgraded = await new Promise<boolean>((resolve) => {
      let head = ''
      socket.once('connect', () =>
        socket.write(
          `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        ),
      )
      const onData = (chunk: Buffer) => {
        head += chunk.toString('latin1')
        if (head.includes('\r\n\r\n')) {
          socket.off('data', onData)
          resolve(head.startsWith('HTTP/1.1 101'))
        }
      }
      socket.on('data', onData)
      socket.once('close', () => resolve(false))
    })
    if (!upgraded) throw new Error(`no WebSocket upgrade at ${url}`)
    const closed = new Promise<boolean>((resolve) => {
      socket.once('close', () => resolve(true))
      setTimeout(() => resolve(false), waitMs)
    })
    if (bytes) socket.write(bytes)
    return await closed
  } finally {
    socket.destroy()
  }
}
