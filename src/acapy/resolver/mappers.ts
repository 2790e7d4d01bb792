// ACA-Py face, resolver room: a resolution as ACA-Py's ResolutionResult.
import type { Resolution } from '../../services/resolver'

export const toResolutionResult = (resolution: Resolution) => ({
  did_document: resolution.didDocument,
  metadata: {
    resolver_type: 'native' as const,
    resolver: `credo:${resolution.method}`,
    retrieved_time: resolution.retrievedTime,
    duration: resolution.durationMs,
  },
  document_metadata: resolution.documentMetadata,
})
