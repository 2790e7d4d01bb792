// The routes an express app has registered, with the credential each accepts. Used by the
// cross-tenant test (and later the OpenAPI check) so new routes are covered without a hand list.
import type { Express } from 'express'

import type { AuthKind } from './auth'
import type { Route } from './route'

export interface RouteEntry {
  method: string
  path: string
  auth?: AuthKind
  /** The route's declaration, for rooms that declare their routes as data (http/route.ts). */
  declaration?: Route
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { authKind?: AuthKind; declaration?: Route } }[] }
  name?: string
  handle?: { stack?: Layer[] }
}

export function listRoutes(app: Express): RouteEntry[] {
  const entries: RouteEntry[] = []
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const auth = layer.route.stack.map((l) => l.handle.authKind).find((kind) => kind !== undefined)
        const declaration = layer.route.stack.map((l) => l.handle.declaration).find((found) => found !== undefined)
        for (const method of Object.keys(layer.route.methods)) {
          entries.push({ method: method.toUpperCase(), path: layer.route.path, auth, ...(declaration ? { declaration } : {}) })
        }
      } else if (layer.name === 'router' && layer.handle?.stack) {
        walk(layer.handle.stack)
      }
    }
  }
  walk((app as unknown as { _router: { stack: Layer[] } })._router.stack)
  return entries
}
