import type http from 'node:http'

/**
 * Stops accepting connections, lets in-flight requests finish, and after `timeoutMs` cuts what is
 * left, so shutdown is bounded even with a stuck client holding a keep-alive socket open.
 */
export async function closeServer(server: http.Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs)
  timer.unref()
  await closed
  clearTimeout(timer)
}
