// DIF presentation exchange as ACA-Py writes it. An input descriptor's `schema` URIs are, for
// ACA-Py, expanded JSON-LD types (`https://www.w3.org/2018/credentials#VerifiableCredential`);
// the PEX library under Credo matches them only against a credential's contexts, schema ids and
// compact types, so a request from ACA-Py found no credentials and a presentation to a request of
// that kind failed verification. Each `…#Type` URI is therefore also offered as its compact
// `Type`, and each required one becomes a `$.type` constraint (ACA-Py requires every required
// type), before Credo evaluates a definition, on the holder's and on the verifier's side.
//
// And the presentation is signed with a proof type the verifier asked for (`format.ldp_vp`):
// Credo reads only `ldp_vc` there and then signs with the first suite registered anyway.
import {
  type AgentContext,
  DifPresentationExchangeError,
  SignatureSuiteRegistry,
  type VerificationMethod,
  getKeyFromVerificationMethod,
  DifPresentationExchangeModule,
  DifPresentationExchangeService,
  type DependencyManager,
  type DifPresentationExchangeDefinition,
  W3cCredentialService,
  inject,
  injectable,
} from '@credo-ts/core'

type SchemaEntry = { uri: string; required?: boolean }
type ProofTypeFormats = { ldp_vp?: { proof_type?: string[] }; ldp_vc?: { proof_type?: string[] }; ldp?: { proof_type?: string[] } }

/** The proof types the definition asks presentations to be signed with, most specific first. */
function requestedPresentationProofTypes(definition: DifPresentationExchangeDefinition): string[] {
  const format = (definition as { format?: ProofTypeFormats }).format
  return format?.ldp_vp?.proof_type ?? format?.ldp?.proof_type ?? format?.ldp_vc?.proof_type ?? []
}

/** Signs with the first requested proof type the key can make; Ed25519Signature2018 when none is asked for. */
export function presentationProofType(agentContext: AgentContext, definition: DifPresentationExchangeDefinition, verificationMethod: VerificationMethod): string {
  const { keyType } = getKeyFromVerificationMethod(verificationMethod)
  const supported = agentContext.dependencyManager.resolve(SignatureSuiteRegistry).getAllByKeyType(keyType).map((suite) => suite.proofType)
  const requested = requestedPresentationProofTypes(definition)
  const chosen = requested.length ? requested.find((proofType) => supported.includes(proofType)) : (supported.find((p) => p === 'Ed25519Signature2018') ?? supported[0])
  if (!chosen) {
    throw new DifPresentationExchangeError(`None of the requested proof types (${requested.join(', ')}) can be made with a ${keyType} key; supported: ${supported.join(', ')}`)
  }
  return chosen
}

const VERIFIABLE_CREDENTIAL = 'https://www.w3.org/2018/credentials#VerifiableCredential'
/** Type names that can stand in a JSONPath filter expression as they are. */
const SAFE_TYPE_NAME = /^[\w.:-]+$/

/**
 * The definition as the PEX library must read it to match ACA-Py's: each `…#Type` schema URI is
 * also offered as its compact `Type` (the library matches those); and, since the library takes a
 * credential matching any one URI while ACA-Py requires every required one, each required type
 * other than VerifiableCredential also becomes a constraint on `$.type`.
 */
export function withCompactTypeAliases<T extends DifPresentationExchangeDefinition>(definition: T): T {
  const descriptors = (definition as { input_descriptors?: Array<{ schema?: unknown; constraints?: { fields?: unknown[] } }> }).input_descriptors
  if (!Array.isArray(descriptors)) return definition
  const compact = (uri: string) => uri.slice(uri.lastIndexOf('#') + 1)
  return {
    ...definition,
    input_descriptors: descriptors.map((descriptor) => {
      if (!Array.isArray(descriptor.schema)) return descriptor
      const schema = descriptor.schema as SchemaEntry[]
      const expanded = schema.filter((entry) => typeof entry?.uri === 'string' && entry.uri.includes('#'))
      if (!expanded.length) return descriptor
      const aliases = expanded.map((entry) => compact(entry.uri)).filter((alias) => alias && !schema.some((entry) => entry.uri === alias))
      // PE v1 filters cannot look into an array, so the path selects the type and the filter checks it.
      const typeFields = expanded
        .filter((entry) => entry.required !== false && entry.uri !== VERIFIABLE_CREDENTIAL && SAFE_TYPE_NAME.test(compact(entry.uri)))
        .map((entry) => ({ path: [`$.type[?(@ == '${compact(entry.uri)}')]`], filter: { type: 'string', const: compact(entry.uri) } }))
      return {
        ...descriptor,
        schema: [...schema, ...aliases.map((uri) => ({ uri, required: false }))],
        ...(typeFields.length ? { constraints: { ...descriptor.constraints, fields: [...(descriptor.constraints?.fields ?? []), ...typeFields] } } : {}),
      }
    }),
  } as T
}

@injectable()
class InteropPresentationExchangeService extends DifPresentationExchangeService {
  // Named explicitly: the dependency container cannot read the parent's constructor parameters.
  public constructor(@inject(W3cCredentialService) w3cCredentialService: W3cCredentialService) {
    super(w3cCredentialService)
    // Private in Credo's typings, so replaced on the instance rather than overridden.
    Object.assign(this, { getProofTypeForLdpVc: presentationProofType })
  }

  public override getCredentialsForRequest(agentContext: AgentContext, definition: DifPresentationExchangeDefinition) {
    return super.getCredentialsForRequest(agentContext, withCompactTypeAliases(definition))
  }

  public override createPresentation(agentContext: AgentContext, options: Parameters<DifPresentationExchangeService['createPresentation']>[1]) {
    return super.createPresentation(agentContext, { ...options, presentationDefinition: withCompactTypeAliases(options.presentationDefinition) })
  }

  public override validatePresentation(definition: DifPresentationExchangeDefinition, presentation: Parameters<DifPresentationExchangeService['validatePresentation']>[1]) {
    return super.validatePresentation(withCompactTypeAliases(definition), presentation)
  }
}

/** Credo's PEX module with the service above in place of its own (the last registration wins). */
export class InteropPresentationExchangeModule extends DifPresentationExchangeModule {
  public override register(dependencyManager: DependencyManager): void {
    super.register(dependencyManager)
    dependencyManager.registerSingleton(DifPresentationExchangeService, InteropPresentationExchangeService)
  }
}
