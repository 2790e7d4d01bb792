// The context packages ship no types: each exports its documents as a Map from URL to context.
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, unknown>
}
declare module '@digitalbazaar/vc-status-list-context' {
  export const contexts: Map<string, unknown>
}
declare module 'citizenship-context' {
  export const contexts: Map<string, unknown>
}
declare module 'ed25519-signature-2020-context' {
  export const contexts: Map<string, unknown>
}
declare module '@digitalcredentials/jsonld' {
  interface ExpandOptions {
    documentLoader: (url: string) => Promise<unknown>
    expansionMap?: (info: { unmappedProperty?: string; unmappedValue?: unknown }) => unknown
  }
  const jsonld: {
    expand(input: unknown, options: ExpandOptions): Promise<unknown[]>
    frame(input: unknown, frame: unknown, options: { documentLoader: (url: string) => Promise<unknown> }): Promise<unknown>
  }
  export default jsonld
}
