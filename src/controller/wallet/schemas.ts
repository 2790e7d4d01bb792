// Proven face, the wallet's DIDs, TAA and JSON-LD contexts (seed 003 "DIDs", "TAA", "Context"):
// request and response schemas. DIDs and the TAA are ACA-Py's shapes, as the seed shows them.
import { z } from 'zod'

import { didInfo } from '../../acapy/wallet/schemas'

export const setPublicDidQuery = z.object({ DID: z.string().min(1).max(500) })
// Proven creates did:sov DIDs; a did:web (hosted here, with the embedded AnonCreds registry, so no
// ledger is needed) or a did:key may be asked for instead. An empty body keeps Proven's behaviour.
export const listDidsQuery = z.object({ method: z.string().max(50).optional(), posture: z.enum(['public', 'posted', 'wallet_only']).optional() })
export const createDidBody = z.object({ method: z.enum(['sov', 'web', 'key'], { message: 'must be sov, web or key' }).default('sov') }).strict()
export const acceptTaaBody = z.object({ mechanism: z.string().min(1).max(200), text: z.string().min(1).max(200_000), version: z.string().min(1).max(50) }).strict()

/** Contexts of this size cover any real vocabulary; larger ones are refused. */
const MAX_CONTEXT_BYTES = 256_000
export const contextBody = z
  .object({
    // A file name such as `test.json`, or the context's own http(s) URL.
    context_file_id: z.string().trim().min(1).max(500).regex(/^[^\s?#]+$/, 'must be a file name or URL without spaces, ? or #'),
    file: z.record(z.string().max(500), z.unknown()).refine((file) => JSON.stringify(file).length <= MAX_CONTEXT_BYTES, `the file is larger than ${MAX_CONTEXT_BYTES / 1000} kB`),
  })
  .strict()

/** Who the credential in x-api-key is (Credence addition); the admin key alone has no wallet. */
export const sessionInfo = z.object({
  wallet_id: z.string().nullable(),
  wallet_name: z.string().nullable(),
  label: z.string().nullable(),
  roles: z.array(z.string()),
  credential: z.enum(['tenant-token', 'api-key', 'admin-key']),
  key_id: z.string().nullable(),
})
export const didList = z.object({ results: z.array(didInfo) })
export { didInfo }
export { taaInfo } from '../../acapy/ledger/schemas'
export const contextPosted = z.object({ success: z.literal('Context file was posted'), url: z.string() })
