import net from 'node:net'

/**
 * `count` distinct ports the OS says are free on loopback right now. All are held open until every
 * one is picked, so two ports asked for together can never be the same number.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const server = net.createServer()
      servers.push(server)
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject)
          server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
        }),
      )
    }
    return ports
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  }
}

/** A port the OS says is free on loopback right now. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1)
  return port
}
