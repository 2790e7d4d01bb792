// Presentation exchanges (present-proof 2.0) of one wallet, in the AnonCreds formats and DIF
// presentation exchange over JSON-LD credentials: the verifier requests and verifies, the prover
// finds matching credentials and presents. A Credo
// ProofExchangeRecord plus its DIDComm messages and per-format data is what the faces and the
// webhooks show. `auto_remove` is kept in the record's metadata, as for credentials.
import {
  AutoAcceptProof,
  CredoError,
  DifPresentationExchangeError,
  DifPresentationExchangeService,
  MessageSendingError,
  ProofEventTypes,
  ProofRole,
  ProofState,
  type ProofExchangeRecord,
  type W3cCredentialRecord,
  type DifPexCredentialsForRequest,
  type DifPresentationExchangeDefinitionV1,
  type AnonCredsCredentialsForProofRequest,
} from '../agent/credo'

import { AnoncredsError } from '@hyperledger/anoncreds-nodejs'

import { DomainError, badRequest, peerUnavailable } from '../errors'
import { asIssuerNamedThem, isJsonLdRecord, type HeldAnonCredsCredential } from './holderCredentials'
import { unknownContextIn } from './jsonLdCredentials'
import { assertConnectionReady, assertConnectionToStartOn, EXCHANGE_METADATA_KEY, exchangeHelpers } from './exchanges'
import {
  type PresentationChoice,
  type ProofRequestContent,
  type ProofRequestInput,
  anonCredsSelection,
  proposalFormats,
  requestFormats,
} from './proofFormats'
import type { TenantEventBus } from '../events/tenantEvents'
import type { TenantAgent, TenantService } from './tenants'

export type { DifRequestInput, PresentationChoice, PresentationSelection, ProofRequestContent, ProofRequestInput } from './proofFormats'

export const PROOF_METADATA_KEY = EXCHANGE_METADATA_KEY
export interface ProofFlags {
  autoRemove: boolean
  /** Delete the exchange when it fails (abandoned); absent on exchanges kept before it existed. */
  autoRemoveOnFailure?: boolean
}

export type RequestInput = ProofRequestContent & { comment?: string; autoVerify: boolean; autoRemove: boolean; autoRemoveOnFailure?: boolean }

/** A prover's proposal: what it would present, in the shape of a request (as ACA-Py takes it). */
export type ProposalInput = ProofRequestContent & { connectionId: string; comment?: string; autoPresent: boolean; autoRemove: boolean; autoRemoveOnFailure?: boolean }

export interface ProofExchangeView {
  record: ProofExchangeRecord
  flags: ProofFlags
  messages: { proposal?: unknown; request?: unknown; presentation?: unknown }
  formatData: Awaited<ReturnType<TenantAgent['proofs']['getFormatData']>>
  deleted?: boolean
}

const toJson = (message: { toJSON(): unknown } | null | undefined) => message?.toJSON() ?? undefined

export async function proofExchangeView(tenantAgent: TenantAgent, record: ProofExchangeRecord): Promise<ProofExchangeView> {
  const { proofs } = tenantAgent
  const [stored, proposal, request, presentation, formatData] = await Promise.all([
    // A snapshot taken at an event may predate our flags (set right after Credo sends the request).
    proofs.findById(record.id),
    proofs.findProposalMessage(record.id),
    proofs.findRequestMessage(record.id),
    proofs.findPresentationMessage(record.id),
    proofs.getFormatData(record.id),
  ])
  return {
    record,
    flags: (stored ?? record).metadata.get<ProofFlags>(PROOF_METADATA_KEY) ?? { autoRemove: false },
    messages: { proposal: toJson(proposal), request: toJson(request), presentation: toJson(presentation) },
    formatData,
  }
}

/** A prover's credential that matches a referent of the request (ACA-Py's IndyCredPrecis). */
export interface CredentialMatch extends HeldAnonCredsCredential {
  kind: 'anoncreds'
  referents: string[]
}

/** A prover's W3C credential that answers an input descriptor of a DIF request. */
export interface W3cCredentialMatch {
  kind: 'w3c'
  recordId: string
  credential: Record<string, unknown>
  inputDescriptors: string[]
}

/** The JSON-LD records a DIF request can be answered with, per input descriptor. */
function w3cCandidates(found: DifPexCredentialsForRequest | undefined): Map<string, W3cCredentialRecord[]> {
  const byDescriptor = new Map<string, W3cCredentialRecord[]>()
  for (const requirement of found?.requirements ?? []) {
    for (const entry of requirement.submissionEntry) {
      const records = byDescriptor.get(entry.inputDescriptorId) ?? []
      for (const candidate of entry.verifiableCredentials) {
        // AnonCreds credentials are W3C records too; they are presented in the anoncreds format.
        if (candidate.type === 'ldp_vc' && isJsonLdRecord(candidate.credentialRecord) && !records.some((r) => r.id === candidate.credentialRecord.id)) {
          records.push(candidate.credentialRecord)
        }
      }
      byDescriptor.set(entry.inputDescriptorId, records)
    }
  }
  return byDescriptor
}

/** AnonCreds (and so Credo) cannot reveal an attribute and prove a predicate on it in one request. */
function assertNoAttributeIsAlsoPredicate(request: ProofRequestInput): void {
  const revealed = new Set(
    Object.values(request.requested_attributes).flatMap((a) => (a.names as string[] | undefined) ?? [a.name as string]),
  )
  const both = Object.values(request.requested_predicates).map((p) => p.name as string).filter((name) => revealed.has(name))
  if (both.length > 0) {
    throw badRequest('request', `${[...new Set(both)].join(', ')} is asked both as an attribute and as a predicate; AnonCreds proves each attribute one way per request`)
  }
}

export function proofService(deps: {
  tenants: TenantService
  /** An exchange deleted through the API is published with what it was (ACA-Py emits its `deleted` state). */
  events: TenantEventBus
}) {
  const { tenants, events } = deps

  const exchanges = exchangeHelpers<ProofExchangeRecord, ProofState, ProofExchangeView>({
    name: 'Presentation exchange',
    idField: 'presentationExchangeId',
    api: (tenantAgent) => tenantAgent.proofs,
    deleteById: (tenantAgent, id) => tenantAgent.proofs.deleteById(id),
    sendProblemReport: (tenantAgent, id, description) => tenantAgent.proofs.sendProblemReport({ proofRecordId: id, description }),
    view: proofExchangeView,
    roles: { verifier: ProofRole.Verifier, prover: ProofRole.Prover },
    abandoned: ProofState.Abandoned,
    declined: ProofState.Declined,
    eventType: ProofEventTypes.ProofStateChanged,
    payloadKey: 'proofRecord',
  })
  const { find } = exchanges
  const assertState = (record: ProofExchangeRecord, allowed: ProofState, step: string) => exchanges.assertState(record, [allowed], step)
  const keepFlags = (tenantAgent: TenantAgent, presExId: string, flags: ProofFlags) => exchanges.keepFlags(tenantAgent, presExId, flags)

  /** A received request's format and the wallet's credentials that can answer it. */
  async function candidatesFor(tenantAgent: TenantAgent, presExId: string, step: string) {
    const record = await find(tenantAgent, presExId)
    assertState(record, ProofState.RequestReceived, step)
    const request = ((await tenantAgent.proofs.getFormatData(presExId)).request ?? {}) as Record<string, unknown>
    const anonCredsFormat = 'anoncreds' in request ? 'anoncreds' : 'indy' in request ? 'indy' : undefined
    // As ACA-Py, every credential that matches is listed and may be chosen, revoked or not (Credo
    // would leave out those revoked in the interval asked; the verifier judges them).
    const options = anonCredsFormat ? { [anonCredsFormat]: { filterByNonRevocationRequirements: false } } : undefined
    const found = (await tenantAgent.proofs.getCredentialsForRequest({ proofRecordId: presExId, proofFormats: options as never })).proofFormats as Record<string, unknown>
    if ('presentationExchange' in request) {
      const pex = found.presentationExchange as DifPexCredentialsForRequest | undefined
      const definition = (request.presentationExchange as { presentation_definition?: { submission_requirements?: unknown[] } }).presentation_definition
      const hasRequirements = Boolean(definition?.submission_requirements?.length)
      return { record, format: 'presentationExchange' as const, pex, w3c: w3cCandidates(pex), hasRequirements }
    }
    const format: 'anoncreds' | 'indy' = 'anoncreds' in request ? 'anoncreds' : 'indy'
    return { record, format, matches: found[format] as AnonCredsCredentialsForProofRequest | undefined }
  }

  /**
   * The candidates' credential info with the ids their issuers used, as ACA-Py lists them
   * (asIssuerNamedThem): for showing only; Credo presents from its own info.
   */
  async function nameAsIssued(tenantAgent: TenantAgent, matches: AnonCredsCredentialsForProofRequest): Promise<void> {
    const candidates = [...Object.values(matches.attributes), ...Object.values(matches.predicates)].flat()
    const ids = [...new Set(candidates.map((candidate) => candidate.credentialId))]
    const infos = new Map((await asIssuerNamedThem(tenantAgent, ids)).map((info) => [info.credentialId, info]))
    for (const candidate of candidates) candidate.credentialInfo = infos.get(candidate.credentialId) ?? candidate.credentialInfo
  }

  /** Credo's PEX checks the definition itself; its refusal names what is wrong. */
  function checkRequest(tenantAgent: TenantAgent, input: ProofRequestContent): void {
    if (input.format !== 'presentationExchange') return assertNoAttributeIsAlsoPredicate(input.request)
    try {
      tenantAgent.dependencyManager
        .resolve(DifPresentationExchangeService)
        .validatePresentationDefinition(input.request.presentationDefinition as unknown as DifPresentationExchangeDefinitionV1)
    } catch (error) {
      // Validation only reads the definition: whatever it throws is about the definition.
      const details = error instanceof DifPresentationExchangeError ? ([] as unknown[]).concat(error.additionalMessages ?? []).join('; ') : ''
      throw badRequest('request.presentationDefinition', `${(error as Error).message}${details ? `: ${details}` : ''}`)
    }
  }

  /**
   * Prover, DIF: the records to present per input descriptor: those named, else the first
   * JSON-LD candidate of each. With submission requirements (pick rules) and nothing named, Credo
   * chooses (undefined).
   */
  /**
   * A DIF presentation is signed with the key of the credentials' subject (did:key). One whose
   * subject has no id cannot be: Credo failed on it with a TypeError (a 500). ACA-Py refuses it
   * with this reason (DIFPresExchHandler, "Unable to determine a local signing DID").
   */
  function assertSignableBySubject(records: W3cCredentialRecord[]) {
    const subjectless = records.find((record) => {
      const subjects = [record.credential.credentialSubject].flat() as { id?: unknown }[]
      return !subjects.some((subject) => typeof subject?.id === 'string' && subject.id.startsWith('did:'))
    })
    if (subjectless) {
      throw badRequest('presentation', `Unable to determine a local signing DID for the presentation: credential ${subjectless.id} has no credentialSubject.id DID`)
    }
  }

  function chosenW3cRecords(
    candidates: Map<string, W3cCredentialRecord[]>,
    satisfied: boolean,
    recordIds: Record<string, string[]> | undefined,
    hasSubmissionRequirements: boolean,
  ): Record<string, W3cCredentialRecord[]> | undefined {
    for (const descriptorId of Object.keys(recordIds ?? {})) {
      if (!candidates.has(descriptorId)) throw badRequest(`recordIds.${descriptorId}`, `The request has no input descriptor ${descriptorId}`)
    }
    if (!recordIds) {
      if (!satisfied) throw badRequest('presentation', "The wallet's credentials do not satisfy the presentation definition")
      if (hasSubmissionRequirements) return undefined
    }
    const chosen: Record<string, W3cCredentialRecord[]> = {}
    for (const [descriptorId, records] of candidates) {
      const wanted = recordIds?.[descriptorId]
      if (!wanted) {
        if (!records.length) throw badRequest('presentation', `No credential answers input descriptor ${descriptorId}`)
        chosen[descriptorId] = [records[0]]
        continue
      }
      chosen[descriptorId] = wanted.map((recordId) => {
        const record = records.find((r) => r.id === recordId)
        if (!record) throw badRequest(`recordIds.${descriptorId}`, `Credential ${recordId} does not answer input descriptor ${descriptorId}`)
        return record
      })
    }
    return chosen
  }

  return {
    async sendRequest(walletId: string, input: RequestInput & { connectionId: string }): Promise<ProofExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        await assertConnectionToStartOn(tenantAgent, input.connectionId)
        checkRequest(tenantAgent, input)
        const record = await tenantAgent.proofs.requestProof({
          connectionId: input.connectionId,
          protocolVersion: 'v2',
          proofFormats: requestFormats(input),
          comment: input.comment,
          autoAcceptProof: input.autoVerify ? AutoAcceptProof.ContentApproved : AutoAcceptProof.Never,
        })
        return proofExchangeView(tenantAgent, await keepFlags(tenantAgent, record.id, { autoRemove: input.autoRemove, autoRemoveOnFailure: input.autoRemoveOnFailure }))
      })
    },

    /** A request kept for an out-of-band invitation to carry (ACA-Py's create-request); nothing is sent. */
    async createRequest(walletId: string, input: RequestInput): Promise<ProofExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        checkRequest(tenantAgent, input)
        const { proofRecord: record } = await tenantAgent.proofs.createRequest({
          protocolVersion: 'v2',
          proofFormats: requestFormats(input),
          comment: input.comment,
          autoAcceptProof: input.autoVerify ? AutoAcceptProof.ContentApproved : AutoAcceptProof.Never,
        })
        return proofExchangeView(tenantAgent, await keepFlags(tenantAgent, record.id, { autoRemove: input.autoRemove, autoRemoveOnFailure: input.autoRemoveOnFailure }))
      })
    },

    /** Prover: proposes a presentation to the verifier on a connection. */
    async sendProposal(walletId: string, input: ProposalInput): Promise<ProofExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        await assertConnectionToStartOn(tenantAgent, input.connectionId)
        checkRequest(tenantAgent, input)
        const record = await tenantAgent.proofs.proposeProof({
          connectionId: input.connectionId,
          protocolVersion: 'v2',
          proofFormats: proposalFormats(input),
          comment: input.comment,
          // ACA-Py's auto_present: the request that matches the proposal is answered at once.
          autoAcceptProof: input.autoPresent ? AutoAcceptProof.ContentApproved : AutoAcceptProof.Never,
        })
        return proofExchangeView(tenantAgent, await keepFlags(tenantAgent, record.id, { autoRemove: input.autoRemove, autoRemoveOnFailure: input.autoRemoveOnFailure }))
      })
    },

    /** Verifier: answers a proposal with the request it proposes. */
    async requestForProposal(walletId: string, presExId: string, options: { autoVerify: boolean; autoRemove: boolean; autoRemoveOnFailure?: boolean; comment?: string }): Promise<ProofExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, presExId)
        assertState(record, ProofState.ProposalReceived, 'send-request')
        await assertConnectionReady(tenantAgent, record, 'presentation exchange')
        await tenantAgent.proofs.acceptProposal({
          proofRecordId: presExId,
          comment: options.comment,
          autoAcceptProof: options.autoVerify ? AutoAcceptProof.ContentApproved : AutoAcceptProof.Never,
        })
        return proofExchangeView(tenantAgent, await keepFlags(tenantAgent, presExId, { autoRemove: options.autoRemove, autoRemoveOnFailure: options.autoRemoveOnFailure }))
      })
    },

    async list(walletId: string, query: { connectionId?: string; threadId?: string; role?: 'prover' | 'verifier'; state?: string }) {
      return tenants.withTenant(walletId, (tenantAgent) => exchanges.list(tenantAgent, query))
    },

    get(walletId: string, presExId: string): Promise<ProofExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => proofExchangeView(tenantAgent, await find(tenantAgent, presExId)))
    },

    async delete(walletId: string, presExId: string): Promise<void> {
      const view = await tenants.withTenant(walletId, (tenantAgent) => exchanges.delete(tenantAgent, presExId))
      events.publish(walletId, { kind: 'proof-exchange', view: { ...view, deleted: true } })
    },

    /** Prover: the wallet's credentials that can answer each referent (or input descriptor) of the request. */
    async matchingCredentials(walletId: string, presExId: string, referents?: string[]): Promise<Array<CredentialMatch | W3cCredentialMatch>> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const candidates = await candidatesFor(tenantAgent, presExId, 'listing credentials')
        if (candidates.format !== 'presentationExchange' && candidates.matches) await nameAsIssued(tenantAgent, candidates.matches)
        if (candidates.format === 'presentationExchange') {
          const byRecord = new Map<string, W3cCredentialMatch>()
          for (const [descriptorId, records] of candidates.w3c) {
            if (referents && !referents.includes(descriptorId)) continue
            for (const record of records) {
              const match = byRecord.get(record.id) ?? { kind: 'w3c', recordId: record.id, credential: record.credential.jsonCredential as Record<string, unknown>, inputDescriptors: [] }
              match.inputDescriptors.push(descriptorId)
              byRecord.set(record.id, match)
            }
          }
          return [...byRecord.values()]
        }
        const { matches } = candidates
        const byCredential = new Map<string, CredentialMatch>()
        for (const group of [matches?.attributes ?? {}, matches?.predicates ?? {}]) {
          for (const [referent, found] of Object.entries(group)) {
            if (referents && !referents.includes(referent)) continue
            for (const { credentialId, credentialInfo } of found) {
              const match: CredentialMatch = byCredential.get(credentialId) ?? {
                kind: 'anoncreds',
                referents: [],
                credentialId,
                attributes: credentialInfo.attributes,
                schemaId: credentialInfo.schemaId,
                credentialDefinitionId: credentialInfo.credentialDefinitionId,
                revocationRegistryId: credentialInfo.revocationRegistryId,
                credentialRevocationId: credentialInfo.credentialRevocationId,
              }
              match.referents.push(referent)
              byCredential.set(credentialId, match)
            }
          }
        }
        return [...byCredential.values()]
      })
    },

    /** Prover: presents the chosen credentials (ACA-Py's `cred_id` per referent, or `record_ids` per input descriptor). */
    async sendPresentation(walletId: string, presExId: string, choice: PresentationChoice, autoRemove?: boolean): Promise<ProofExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const candidates = await candidatesFor(tenantAgent, presExId, 'send-presentation')
        await assertConnectionReady(tenantAgent, candidates.record, 'presentation exchange')
        if (candidates.format === 'presentationExchange') {
          if (choice.format !== 'presentationExchange') throw badRequest('format', 'The request is in the dif format; answer it with dif')
          try {
            const credentials = chosenW3cRecords(candidates.w3c, candidates.pex?.areRequirementsSatisfied ?? false, choice.recordIds, candidates.hasRequirements)
            assertSignableBySubject(credentials ? Object.values(credentials).flat() : [...candidates.w3c.values()].flat())
            await tenantAgent.proofs.acceptRequest({ proofRecordId: presExId, proofFormats: { presentationExchange: credentials ? { credentials } : {} } as never })
          } catch (error) {
            // Sent or not, the peer is what failed; the record says how far it got.
            if (error instanceof MessageSendingError) throw peerUnavailable(`The presentation could not be delivered: ${error.message}`)
            // ACA-Py's prover: a presentation it cannot build abandons the exchange, and the
            // verifier is told (a 400 here, as there). Credo's PEX refuses what it cannot sign.
            const refusal =
              error instanceof DomainError
                ? error
                : error instanceof CredoError || unknownContextIn(error)
                  ? badRequest('presentation', `The chosen credentials cannot make this presentation: ${(unknownContextIn(error) ?? (error as Error)).message}`)
                  : undefined
            if (!refusal) throw error
            await exchanges.fail(tenantAgent, await find(tenantAgent, presExId), refusal.message, { evenIfUndelivered: true })
            throw refusal
          }
        } else {
          if (choice.format === 'presentationExchange') throw badRequest('presentation', `The request is in the ${candidates.format} format; answer it with ${candidates.format}`)
          const proofFormats = { [candidates.format]: anonCredsSelection(candidates.format, candidates.matches, choice.selection) }
          try {
            await tenantAgent.proofs.acceptRequest({ proofRecordId: presExId, proofFormats: proofFormats as never })
          } catch (error) {
            // The AnonCreds library refuses a proof the chosen credentials cannot make (a predicate
            // they do not meet): that is the caller's choice, and nothing was sent.
            if (error instanceof AnoncredsError) throw badRequest(candidates.format, `The chosen credentials cannot make this presentation: ${error.message}`)
            if (error instanceof MessageSendingError) throw peerUnavailable(`The presentation could not be delivered: ${error.message}`)
            throw error
          }
        }
        return proofExchangeView(tenantAgent, await keepFlags(tenantAgent, presExId, { autoRemove: autoRemove ?? true }))
      })
    },

    /** Verifier: the presentation was verified on arrival; this acknowledges it (`done`). */
    async verifyPresentation(walletId: string, presExId: string): Promise<ProofExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, presExId)
        assertState(record, ProofState.PresentationReceived, 'verify-presentation')
        await assertConnectionReady(tenantAgent, record, 'presentation exchange')
        // Read before the step: a finished exchange may be removed (auto_remove) before we answer.
        const before = await proofExchangeView(tenantAgent, record)
        const updated = await tenantAgent.proofs.acceptPresentation({ proofRecordId: presExId })
        return { ...before, record: updated }
      })
    },

    async problemReport(walletId: string, presExId: string, description: string): Promise<void> {
      await tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, presExId)
        if (record.state === ProofState.Done || record.state === ProofState.Abandoned) {
          throw badRequest('presentationExchangeId', `Presentation exchange ${presExId} is ${record.state}; there is nothing to report on`)
        }
        // The connection must be ready (exchanges.fail).
        await exchanges.fail(tenantAgent, record, description)
      })
    },
  }
}

export type ProofService = ReturnType<typeof proofService>
