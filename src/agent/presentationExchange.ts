// DIF presentation exchange as ACA-Py writes it. An input descriptor's `schema` URIs are, for
// ACA-Py, expanded JSON-LD types (`https://www.w3.org/2018/credentials#VerifiableCredential`);
// the PEX library under Credo matches them only against a credential's contexts, schema ids and
// compact types, so a request from ACA-Py found no credentials and a presentation to a request of
// that kind failed verification. Each `…#Type` URI is therefore also offered as its compact
// `Type`, and each required one becomes a `$.type` constraint (ACA-Py requires every required
// type), before Credo evaluates a definition, on the holder's and on the verifier's side.
//
// ACA-Py also takes two things the library's schema refuses (pres_exch.py): a `schema` written as
// `{"oneof_filter": [[{uri}], …]}` (or `{"uri_groups": …}`): a credential matches when it matches
// one of the groups; and field filters without `type`. The definition as sent stays in the
// message, the records and the webhooks; only what the library reads is translated: each group
// choice becomes one list-form definition (a "variant"), and a definition is met, or a
// presentation valid, when one variant is; a filter without `type` gets the one its keywords imply.
//
// And the presentation is signed with a proof type the verifier asked for (`format.ldp_vp`):
// Credo reads only `ldp_vc` there and then signs with the first suite registered anyway.
//
// A request's `options.domain` is not in ACA-Py 1.7's presentations (its DIF handler takes the
// domain but signs with the challenge only) and its verifier checks only the challenge; Credo
// required the domain in the proof and so refused every ACA-Py presentation to such a request. A
// presentation whose proofs carry no domain is verified as ACA-Py verifies it; one that carries a
// domain must carry the requested one.
import {
  type AgentContext,
  Attachment,
  AttachmentData,
  DifPresentationExchangeProofFormatService,
  DifPresentationExchangeError,
  SignatureSuiteRegistry,
  type VerificationMethod,
  getKeyFromVerificationMethod,
  DifPresentationExchangeModule,
  DifPresentationExchangeService,
  type DifPexCredentialsForRequest,
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

type Descriptor = { id?: unknown; schema?: unknown; constraints?: { fields?: Array<{ filter?: unknown }> } }

/** More group choices than this across a definition's descriptors is refused rather than tried one by one. */
const MAX_VARIANTS = 32

const shapeError = (message: string) => new DifPresentationExchangeError(`Invalid presentation definition`, { additionalMessages: [message] })

/** A descriptor's `schema` as groups of URIs, as ACA-Py reads the list form and the object form. */
function schemaGroups(schema: unknown, where: string): unknown[][] | undefined {
  if (schema === undefined || Array.isArray(schema)) return schema === undefined ? undefined : [schema]
  if (!schema || typeof schema !== 'object') return [[schema]]
  const { oneof_filter: oneOf, uri_groups: uriGroups } = schema as { oneof_filter?: unknown; uri_groups?: unknown }
  const groups = Array.isArray(uriGroups) ? uriGroups : Array.isArray(oneOf) ? oneOf.map((group) => (Array.isArray(group) ? group : [group])) : undefined
  if (!groups?.length || groups.some((group) => !Array.isArray(group) || !group.length)) {
    throw shapeError(`${where}/schema: must be a list of {uri} or {"oneof_filter": [[{uri}], …]} with at least one group, each with at least one uri`)
  }
  return groups as unknown[][]
}

const KEYWORD_TYPES: Array<[string[], string]> = [
  [['pattern', 'minLength', 'maxLength'], 'string'],
  [['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'], 'number'],
]
const typeOfValue = (value: unknown) => (typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string')

/**
 * A filter without `type` (ACA-Py takes them; the library's schema requires one) gets the type its
 * keywords imply: that of its `const` or `enum` values, `string` for pattern and lengths (or a
 * `format`), `number` for bounds (`string` when the bounds are strings, such as dates).
 */
function typedFilter(filter: unknown, where: string): unknown {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter) || 'type' in filter) return filter
  const given = filter as Record<string, unknown>
  let type: string | undefined
  if ('const' in given) type = typeOfValue(given.const)
  else if (Array.isArray(given.enum) && given.enum.length) {
    const types = new Set(given.enum.map(typeOfValue))
    if (types.size > 1) throw shapeError(`${where}/filter: an enum mixing ${[...types].join(' and ')} values needs a type`)
    type = [...types][0]
  } else if ('format' in given) type = 'string'
  else {
    for (const [keywords, implied] of KEYWORD_TYPES) {
      const present = keywords.filter((keyword) => keyword in given)
      if (!present.length) continue
      type = implied === 'number' && present.every((keyword) => typeof given[keyword] === 'string') ? 'string' : implied
      break
    }
  }
  if (!type) throw shapeError(`${where}/filter: a filter without type needs const, enum, pattern, format, a length or a bound`)
  return { type, ...given }
}

/**
 * The list-form definitions the library can read, one per choice of schema group (one when no
 * descriptor has several), each with typed filters and compact type aliases.
 */
export function pexVariants<T extends DifPresentationExchangeDefinition>(definition: T): T[] {
  const descriptors = (definition as { input_descriptors?: unknown }).input_descriptors
  if (!Array.isArray(descriptors)) return [withCompactTypeAliases(definition)]
  const perDescriptor = (descriptors as Descriptor[]).map((descriptor, index) => {
    if (!descriptor || typeof descriptor !== 'object') return [descriptor]
    const where = `/presentation_definition/input_descriptors/${index}`
    const fields = descriptor.constraints?.fields
    const typed: Descriptor = Array.isArray(fields)
      ? { ...descriptor, constraints: { ...descriptor.constraints, fields: fields.map((field, f) => (field && typeof field === 'object' && 'filter' in field ? { ...field, filter: typedFilter(field.filter, `${where}/constraints/fields/${f}`) } : field)) } }
      : descriptor
    const groups = schemaGroups(descriptor.schema, where)
    return groups ? groups.map((group) => ({ ...typed, schema: group })) : [typed]
  })
  const count = perDescriptor.reduce((product, choices) => product * choices.length, 1)
  if (count > MAX_VARIANTS) throw shapeError(`/presentation_definition/input_descriptors: ${count} combinations of schema groups; at most ${MAX_VARIANTS} are evaluated`)
  let variants: unknown[][] = [[]]
  for (const choices of perDescriptor) variants = variants.flatMap((chosen) => choices.map((choice) => [...chosen, choice]))
  return variants.map((chosen) => withCompactTypeAliases({ ...definition, input_descriptors: chosen } as T))
}

/** The candidates of every variant, on the first satisfied one's (or the first's) requirements. */
function mergedCandidates(results: DifPexCredentialsForRequest[]): DifPexCredentialsForRequest {
  const base = results.find((result) => result.areRequirementsSatisfied) ?? results[0]
  const requirements = base.requirements.map((requirement) => ({
    ...requirement,
    submissionEntry: requirement.submissionEntry.map((entry) => {
      const credentials = [...entry.verifiableCredentials]
      for (const other of results) {
        for (const otherEntry of other.requirements.flatMap((r) => r.submissionEntry)) {
          if (otherEntry.inputDescriptorId !== entry.inputDescriptorId) continue
          for (const candidate of otherEntry.verifiableCredentials) {
            if (!credentials.some((known) => known.credentialRecord.id === candidate.credentialRecord.id)) credentials.push(candidate)
          }
        }
      }
      return { ...entry, verifiableCredentials: credentials } as typeof entry
    }),
  }))
  return { ...base, requirements }
}

/** Whether each chosen credential is a candidate for its descriptor in `found`. */
function answers(found: DifPexCredentialsForRequest, chosen: Record<string, Array<{ id: string }>>): boolean {
  const entries = found.requirements.flatMap((requirement) => requirement.submissionEntry)
  return Object.entries(chosen).every(([descriptorId, records]) =>
    records.every((record) => entries.some((entry) => entry.inputDescriptorId === descriptorId && entry.verifiableCredentials.some((c) => c.credentialRecord.id === record.id))),
  )
}

@injectable()
class InteropPresentationExchangeService extends DifPresentationExchangeService {
  // Named explicitly: the dependency container cannot read the parent's constructor parameters.
  public constructor(@inject(W3cCredentialService) w3cCredentialService: W3cCredentialService) {
    super(w3cCredentialService)
    // Private in Credo's typings, so replaced on the instance rather than overridden.
    Object.assign(this, { getProofTypeForLdpVc: presentationProofType })
  }

  public override validatePresentationDefinition(definition: DifPresentationExchangeDefinition) {
    for (const variant of pexVariants(definition)) super.validatePresentationDefinition(variant)
  }

  public override async getCredentialsForRequest(agentContext: AgentContext, definition: DifPresentationExchangeDefinition) {
    const variants = pexVariants(definition)
    const results: DifPexCredentialsForRequest[] = []
    for (const variant of variants) results.push(await super.getCredentialsForRequest(agentContext, variant))
    return results.length === 1 ? results[0] : mergedCandidates(results)
  }

  /** Presents under the first variant every chosen credential answers (the first, to fail with the library's reason). */
  public override async createPresentation(agentContext: AgentContext, options: Parameters<DifPresentationExchangeService['createPresentation']>[1]) {
    const variants = pexVariants(options.presentationDefinition)
    let chosen = variants[0]
    if (variants.length > 1) {
      for (const variant of variants) {
        if (answers(await super.getCredentialsForRequest(agentContext, variant), options.credentialsForInputDescriptor as Record<string, Array<{ id: string }>>)) {
          chosen = variant
          break
        }
      }
    }
    return super.createPresentation(agentContext, { ...options, presentationDefinition: chosen })
  }

  /** Valid when valid under one variant; otherwise the first variant's reasons. */
  public override validatePresentation(definition: DifPresentationExchangeDefinition, presentation: Parameters<DifPresentationExchangeService['validatePresentation']>[1]) {
    let firstError: unknown
    for (const variant of pexVariants(definition)) {
      try {
        return super.validatePresentation(variant, presentation)
      } catch (error) {
        firstError ??= error
      }
    }
    throw firstError
  }
}

/** Credo's PEX module with the service above in place of its own (the last registration wins). */
export class InteropPresentationExchangeModule extends DifPresentationExchangeModule {
  public override register(dependencyManager: DependencyManager): void {
    super.register(dependencyManager)
    dependencyManager.registerSingleton(DifPresentationExchangeService, InteropPresentationExchangeService)
  }
}

/** Credo's DIF proof format, verifying without the domain a presentation whose proofs carry none. */
export class InteropDifPresentationExchangeProofFormatService extends DifPresentationExchangeProofFormatService {
  public override async processPresentation(agentContext: AgentContext, options: Parameters<DifPresentationExchangeProofFormatService['processPresentation']>[1]) {
    const request = options.requestAttachment.getDataAsJson<{ options?: { domain?: string; challenge?: string } }>()
    const presentation = options.attachment.getDataAsJson<unknown>()
    const proofs = presentation && typeof presentation === 'object' ? [(presentation as { proof?: unknown }).proof].flat() : []
    const withoutDomain = proofs.length > 0 && proofs.every((proof) => proof && typeof proof === 'object' && !('domain' in proof))
    if (!request.options?.domain || !withoutDomain) return super.processPresentation(agentContext, options)
    const { domain: _notSigned, ...checked } = request.options
    const requestAttachment = new Attachment({
      id: options.requestAttachment.id,
      mimeType: 'application/json',
      data: new AttachmentData({ json: { ...request, options: checked } }),
    })
    return super.processPresentation(agentContext, { ...options, requestAttachment })
  }
}
