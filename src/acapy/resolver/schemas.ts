// ACA-Py face, resolver room: request and response schemas (reference §13).
import { z } from 'zod'

export const DID = /^did:[a-z0-9]+:\S+$/

export const didParams = z.object({ did: z.string().max(10_000) })

/** ACA-Py's ResolutionResult. */
export const resolutionResult = z.object({
  did_document: z.record(z.string(), z.unknown()),
  metadata: z.object({ resolver_type: z.literal('native'), resolver: z.string(), retrieved_time: z.string(), duration: z.number() }),
  document_metadata: z.record(z.string(), z.unknown()),
})
