// What Credence serves on the public inbound port besides DIDComm: the did:web documents it hosts
// for tenants, the AnonCreds objects published under them (with revocation status lists and tails
// files), and invitation short links. No credentials; only what is meant to be public.
import { Router } from 'express'
import fs from 'node:fs'

import type { HostedDidWeb } from '../agent/hostedDidWeb'
import { TAILS_HASH } from '../agent/tailsFiles'
import { hostedDidWebPrefix } from '../services/dids'
import type { InvitationLinkService } from '../services/invitationLinks'

const SEGMENT = /^[A-Za-z0-9._-]{1,100}$/

export function publicRoutes(deps: {
  links: InvitationLinkService
  hosted: HostedDidWeb
  endpoint: string
  /** The path of an issuer's tails file with this hash, checked against it; undefined when there is none. */
  tailsFile: (tailsHash: string) => Promise<string | undefined>
}): Router {
  const { links, hosted } = deps
  const prefix = hostedDidWebPrefix(deps.endpoint)
  const router = Router()
  /** The hosted did:web a URL path names (`wallets/<id>/…` → `did:web:<host>:wallets:<id>:…`), if it can be one. */
  const didOfPath = (path: string) => {
    const segments = path.split('/')
    return segments.every((segment) => SEGMENT.test(segment)) ? `${prefix}:${segments.join(':')}` : undefined
  }

  // did:web:<host>:wallets:<wallet_id>[:<suffix>] lives at /wallets/<wallet_id>[/<suffix>]/did.json
  router.get(/^\/wallets\/(.+)\/did\.json$/, (req, res, next) => {
    const did = didOfPath(`wallets/${req.params[0] as string}`)
    if (!did) return res.status(404).json({ error: 'No such DID document' })
    hosted
      .document(did)
      .then((document) => {
        if (!document) return res.status(404).json({ error: 'No such DID document' })
        res.type('application/did+json').send(JSON.stringify(document))
      })
      .catch(next)
  })

  // An AnonCreds object published under a hosted did:web: <DID path>/anoncreds/<kind>/<resource id>
  router.get(/^\/(.+)\/anoncreds\/(schema|credDef|revRegDef)\/([1-9A-HJ-NP-Za-km-z]{20,60})$/, (req, res, next) => {
    const did = didOfPath(req.params[0] as string)
    if (!did) return res.status(404).json({ error: 'No such AnonCreds object' })
    hosted
      .resource(did, `/${req.params[1]}/${req.params[2]}`)
      .then((found) => (found ? res.json(found) : res.status(404).json({ error: 'No such AnonCreds object' })))
      .catch(next)
  })

  // The status list of a hosted revocation registry definition in force at a moment (Unix seconds).
  router.get(/^\/(.+)\/anoncreds\/revStatusList\/([1-9A-HJ-NP-Za-km-z]{20,60})\/(\d{1,12})$/, (req, res, next) => {
    const did = didOfPath(req.params[0] as string)
    if (!did) return res.status(404).json({ error: 'No such status list' })
    hosted
      .statusList(`${did}?service=anoncreds&relativeRef=/revRegDef/${req.params[1]}`, Number(req.params[2]))
      .then((found) => (found ? res.json(found) : res.status(404).json({ error: 'No such status list' })))
      .catch(next)
  })

  // A tails file, addressed by its hash (base58 SHA-256), checked against it on the way out.
  router.get('/tails/:hash', (req, res, next) => {
    if (!TAILS_HASH.test(req.params.hash)) return res.status(404).json({ error: 'No such tails file' })
    deps
      .tailsFile(req.params.hash)
      .then((file) => {
        if (!file) return res.status(404).json({ error: 'No such tails file' })
        res.type('application/octet-stream')
        fs.createReadStream(file).on('error', next).pipe(res)
      })
      .catch(next)
  })

  router.get('/i/:code', (req, res, next) => {
    if (!SEGMENT.test(req.params.code)) return res.status(404).json({ error: 'No such invitation link' })
    links
      .resolve(req.params.code)
      .then((invitationUrl) => {
        if (!invitationUrl) return res.status(404).json({ error: 'No such invitation link' })
        const encoded = new URL(invitationUrl).searchParams.get('oob')
        if (encoded && req.accepts(['text/html', 'application/json']) === 'application/json') {
          return res.type('application/json').send(Buffer.from(encoded, 'base64url').toString('utf8'))
        }
        res.redirect(302, invitationUrl)
      })
      .catch(next)
  })

  return router
}

export type PublicRouter = ReturnType<typeof publicRoutes>
