// JSON-LD contexts a wallet uploads for its credentials (a Credence addition; ACA-Py reads its own
// cache and the network). Listed with the URLs Credence ships, so a controller sees what resolves.
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import { describeRequest } from '../../http/openapi'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../requestParsing'

const contextUrl = z
  .string()
  .max(2000)
  .url()
  .refine((url) => /^https?:\/\//.test(url), 'a context URL is http or https')
const uploadBody = z
  .object({
    url: contextUrl,
    context: z.record(z.string().max(500), z.unknown()).refine((c) => JSON.stringify(c).length <= 256_000, 'the context is larger than 256 kB'),
  })
  .strict()
const urlQuery = z.object({ url: contextUrl })

describeRequest('POST /jsonld/contexts', { body: uploadBody })
describeRequest('DELETE /jsonld/contexts', { query: urlQuery })

export function jsonLdRoutes({ services, requireTenant }: RoomDeps): Router {
  const router = Router()
  const { jsonLdContexts } = services

  router.post('/jsonld/contexts', requireTenant, handler(async (req, res) => {
    const body = parse(uploadBody, req.body, 'body')
    await jsonLdContexts.upload(principalOf(res).walletId, body.url, body.context)
    res.json({ url: body.url })
  }))

  router.get('/jsonld/contexts', requireTenant, handler(async (_req, res) => {
    const { uploaded, shipped } = await jsonLdContexts.list(principalOf(res).walletId)
    res.json({ uploaded: uploaded.map((c) => ({ url: c.url, created_at: c.createdAt })), shipped })
  }))

  router.delete('/jsonld/contexts', requireTenant, handler(async (req, res) => {
    const { url } = parse(urlQuery, req.query, 'query')
    await jsonLdContexts.remove(principalOf(res).walletId, url)
    res.json({})
  }))

  return router
}
