// The web console (console/, built by Vite into dist/console): one page at /console and its hashed
// assets, all served by Credence itself (no CDN). The page is open, like /api/doc: it holds no data,
// and everything it shows it fetches with the key its user signs in with. Its routes are hash
// routes (#/connections), so only /console itself is a page. A strict content security policy
// keeps the page to this origin.
import fs from 'node:fs'
import path from 'node:path'

import express, { Router } from 'express'

import { unavailable } from '../errors'
import { noJsonAnswer, Reply, route } from './route'

export const CONSOLE_PATH = '/console'

/** dist/console under the package root, whether this file runs from dist/ or (in tests) from src/. */
function consoleDir(): string {
  let dir = __dirname
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return path.join(dir, 'dist', 'console')
}

const SECURITY_HEADERS = {
  // Inline style attributes are React's; no inline script is allowed.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

const INDEX_FILE = path.join(consoleDir(), 'index.html')

export const consoleRouteDeclarations = () => [
  route({
    method: 'GET',
    path: CONSOLE_PATH,
    auth: 'open',
    summary: 'The web console (one page; it signs in with a wallet API key)',
    response: noJsonAnswer,
    produces: ['text/html'],
    async handle() {
      if (!fs.existsSync(INDEX_FILE)) throw unavailable('The console is not built here: run npm run build')
      return Reply.file(INDEX_FILE, { ...SECURITY_HEADERS, 'cache-control': 'no-cache' })
    },
  }),
]

/** The console's hashed assets, beside its page. */
export const consoleAssets = () =>
  Router().use(`${CONSOLE_PATH}/assets`, (_req, res, next) => {
    res.set(SECURITY_HEADERS)
    next()
  }, express.static(path.join(consoleDir(), 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false }))
