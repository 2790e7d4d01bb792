// JSON-LD contexts a wallet uploads so credentials using them can be signed and verified without
// the network. The shipped ones cannot be replaced: a wallet may not change what
// https://www.w3.org/2018/credentials/v1 means for itself.
import { isShippedContext, shippedContextUrls, type TenantJsonLdContexts } from '../agent/jsonLd'
import { badRequest, conflict, notFoundError, tooMany } from '../errors'

/** Contexts one wallet may keep: enough for any real vocabulary, not a free document store. */
const MAX_CONTEXTS_PER_WALLET = 200

export function jsonLdContextService(deps: { contexts: TenantJsonLdContexts }) {
  const { contexts } = deps
  return {
    /** `field` names the document in the caller's request, for the error that refuses it. */
    async upload(walletId: string, url: string, document: Record<string, unknown>, field = 'context'): Promise<void> {
      if (isShippedContext(url)) throw conflict('url', `${url} is shipped with Credence and cannot be replaced`)
      const inner = document['@context']
      if (typeof inner !== 'object' || inner === null) throw badRequest(`${field}.@context`, 'A context document has an @context object or array')
      const problem = await contexts.problemWith(walletId, document as never)
      if (problem) throw badRequest(field, `Not a valid JSON-LD context: ${problem}`)
      if (!(await contexts.keep(walletId, url, document, MAX_CONTEXTS_PER_WALLET))) {
        throw tooMany(`A wallet keeps at most ${MAX_CONTEXTS_PER_WALLET} contexts; delete one first`)
      }
    },

    /** The wallet's uploads, and the URLs every wallet has. */
    async list(walletId: string) {
      return { uploaded: await contexts.list(walletId), shipped: shippedContextUrls() }
    },

    async remove(walletId: string, url: string): Promise<void> {
      if (!(await contexts.remove(walletId, url))) throw notFoundError(`No uploaded context ${url}`)
    },
  }
}

export type JsonLdContextService = ReturnType<typeof jsonLdContextService>
