// JSON-LD contexts a wallet uploads (Credence addition): request and response schemas.
import { z } from 'zod'

const contextUrl = z
  .string()
  .max(2000)
  .url()
  .refine((url) => /^https?:\/\//.test(url), 'a context URL is http or https')

export const uploadBody = z
  .object({
    url: contextUrl,
    context: z.record(z.string().max(500), z.unknown()).refine((c) => JSON.stringify(c).length <= 256_000, 'the context is larger than 256 kB'),
  })
  .strict()

export const urlQuery = z.object({ url: contextUrl })

export const uploaded = z.object({ url: z.string() })
export const contextList = z.object({
  uploaded: z.array(z.object({ url: z.string(), created_at: z.string() })),
  /** The URLs Credence ships, which resolve for every wallet. */
  shipped: z.array(z.string()),
})
export const removed = z.object({})
