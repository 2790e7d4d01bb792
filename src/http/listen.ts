import type http from 'node:http'

import { BootRefusal } from '../errors'

/**
 * A port the operator chose cannot be bound. Its message names the setting, because the usual
 * cause is a second Credence (or another agent) on the same machine and the fix is one variable.
 */
export class PortUnavailableError extends BootRefusal {}

/** `server.listen` as a promise whose bind failures say which setting to change. */
export async function listen(
  server: http.Server,
  { port, host, portSetting, hostSetting }: { port: number; host: string; portSetting: string; hostSetting: string },
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortUnavailableError(
            `port ${port} on ${host} is already in use (${portSetting}=${port}). Another Credence or agent is probably running: stop it, or set ${portSetting} to a free port.`,
          ),
        )
      } else if (error.code === 'EACCES') {
        reject(new PortUnavailableError(`port ${port} on ${host} needs privileges this process lacks (${portSetting}=${port}): choose a port above 1023.`))
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new PortUnavailableError(`cannot listen on ${host}:${port}: ${host} is not an address of this machine (${hostSetting}=${host}, ${error.code}).`))
      } else reject(error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}
