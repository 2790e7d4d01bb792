// ACA-Py face (Credence addition), JSON-LD contexts: the wallet's uploaded contexts and the shipped ones.
import type { JsonLdContextService } from '../../services/jsonLdContexts'

export const toContextList = ({ uploaded, shipped }: Awaited<ReturnType<JsonLdContextService['list']>>) => ({
  uploaded: uploaded.map((context) => ({ url: context.url, created_at: context.createdAt })),
  shipped,
})
