// The controller API's request records (seed 003): "issue this credential to whoever connects
// through invitation 12", said once. A record waits in the relational store until a connection of
// its contact (first) or invitation (second) is active — now, or when one completes — then starts
// one exchange on it and follows that exchange to its end: `complete` once it ended, `result` only
// if it succeeded, `error` saying why not (a standing record, rule `every new connection`, starts
// one per connection and never completes). Records survive restarts: a sweep at boot starts what
// became startable, reads where running exchanges got to, and ends with an error what cannot go on.
//
// Each kind of record (AnonCreds and JSON-LD issuance and verification) says how its exchange starts
// and ends; the engine is the same for all of them.
import { CredentialState, ProofState, utils } from '../agent/credo'

import { DomainError, badRequest } from '../errors'
import type { TenantChange, TenantEventBus } from '../events/tenantEvents'
import type { AppLogger } from '../logger'
import type { Store } from '../store/db'
import { type RequestKind, type RequestRecord, requestRecords } from '../store/requestRecords'
import type { AnonCredsService } from './anoncreds'
import type { ControllerAddress, ControllerInvitationService } from './controllerInvitations'
import type { CredentialService, JsonLdOffer } from './credentials'
import type { ProofExchangeView, ProofRequestInput, ProofService } from './proofs'
import { assertSchemaAttributes } from './schemaAttributes'

export type { RequestKind, RequestRecord } from '../store/requestRecords'


/**
 * `no rule` (the seed's value): one exchange, on the first active connection the record reaches.
 * `every new connection`: a standing record — an exchange on the active connection it finds, and on
 * every connection of its contact or invitation that completes later (a multi-use invitation's
 * newcomers); it never completes, and follows its latest exchange.
 */
export const REQUEST_RULES = ['no rule', 'every new connection'] as const
export type RequestRule = (typeof REQUEST_RULES)[number]

const isStanding = (record: { rule: string }) => record.rule === 'every new connection'

/** What every request record is asked with: whom it is for, its rule, how long the POST waits. */
export interface RequestBasics {
  contactId?: string
  invitationId?: number
  rule: RequestRule
  timeout: number
}

/** The longest a POST waits for its record to complete (`timeout` is capped to it). */
export const MAX_TIMEOUT_SECONDS = 60

/** Where an exchange got to: its state, and whether that is the end (and which end, with what). */
interface ExchangeProgress {
  state: string
  outcome?: 'success' | 'failure'
  error?: string
  resultData?: unknown
}

/** Attributes to verify, each with the AnonCreds restrictions a credential must meet (any of them). */
export type SchemaAttributes = Record<string, { restrictions: Array<Record<string, string>> }>

/** A predicate to prove without revealing the value (`level >= 2`), with the restrictions of its entry. */
export interface SchemaPredicate {
  name: string
  pType: '>=' | '>' | '<=' | '<'
  pValue: number
  restrictions: Array<Record<string, string>>
}

/** How one kind of record starts its exchange and reads its progress. */
interface RequestKindSpec {
  start(record: RequestRecord, connectionId: string): Promise<{ exchangeId: string; progress: ExchangeProgress }>
  /** Undefined when the exchange record is gone. */
  progress(walletId: string, exchangeId: string): Promise<ExchangeProgress | undefined>
  words: { pending: string; success: string; failure: string }
}

/** Credo's state as the seed writes it (`offer-sent` → `offer_sent`). */
const seedState = (state: string) => state.replace(/-/g, '_')

/**
 * The revealed values of a verified presentation as the seed's result_data, `[{name, value}]`,
 * in the order the request asked for them.
 */
function revealedValues(view: ProofExchangeView): Array<{ name: string; value: string }> {
  const data = view.formatData as {
    request?: Record<string, { requested_attributes?: Record<string, { name?: string }> }>
    presentation?: Record<string, { requested_proof?: { revealed_attrs?: Record<string, { raw: string }> } }>
  }
  const format = Object.keys(data.presentation ?? {})[0]
  if (!format) return []
  const asked = data.request?.[format]?.requested_attributes ?? {}
  const revealed = data.presentation?.[format]?.requested_proof?.revealed_attrs ?? {}
  return Object.entries(asked).flatMap(([referent, item]) => (revealed[referent] && item.name ? [{ name: item.name, value: revealed[referent].raw }] : []))
}

/**
 * The asked-for attributes of the credentials in a verified DIF presentation, `[{name, value}]`
 * (a value may be an object or a list, as JSON-LD subjects have them).
 */
function presentedSubjectValues(view: ProofExchangeView, attributes: string[]): Array<{ name: string; value: unknown }> {
  const presentation = (view.formatData.presentation as { presentationExchange?: { verifiableCredential?: unknown } } | undefined)?.presentationExchange
  const credentials = ([] as Array<{ credentialSubject?: unknown }>).concat((presentation?.verifiableCredential as never) ?? [])
  const subjects = credentials.flatMap((credential) => ([] as Array<Record<string, unknown>>).concat((credential.credentialSubject as never) ?? []))
  return attributes.flatMap((name) => {
    const subject = subjects.find((candidate) => candidate[name] !== undefined)
    return subject ? [{ name, value: subject[name] }] : []
  })
}

function proofProgress(view: ProofExchangeView, resultData: (view: ProofExchangeView) => unknown = revealedValues): ExchangeProgress {
  const { record } = view
  const state = seedState(record.state)
  // A verified presentation is acknowledged at once (auto-accept), so success is `done`; one that
  // failed verification stays `presentation-received`.
  if (record.isVerified === false) return { state, outcome: 'failure', error: 'The presentation did not verify' }
  if (record.state === ProofState.Done && record.isVerified === true) return { state, outcome: 'success', resultData: resultData(view) }
  if (record.state === ProofState.Abandoned || record.state === ProofState.Declined) {
    return { state, outcome: 'failure', error: record.errorMessage ?? `The presentation exchange ended ${record.state}` }
  }
  return { state }
}

/** Unqualified (Indy-style) ids go out in the legacy `indy` format, as ACA-Py's do. */
const isLegacyId = (id: string) => id.includes(':') && !id.startsWith('did:')

function credentialProgress(state: CredentialState, errorMessage?: string): ExchangeProgress {
  if (state === CredentialState.Done) return { state: seedState(state), outcome: 'success' }
  if (state === CredentialState.Abandoned || state === CredentialState.Declined) {
    return { state: seedState(state), outcome: 'failure', error: errorMessage ?? `The credential exchange ended ${state}` }
  }
  return { state: seedState(state) }
}

export function controllerRequestService(deps: {
  store: Store
  invitations: ControllerInvitationService
  credentials: CredentialService
  proofs: ProofService
  anoncreds: AnonCredsService
  events: TenantEventBus
  logger: AppLogger
}) {
  const { store, invitations, credentials, proofs, anoncreds, events, logger } = deps
  const rows = requestRecords(store)

  /**
   * The wallet's credential definition for a schema: the first it has, else one made now (tag
   * `default`, on the wallet's public DID and its registry). Says which, for the record's meta_data.
   */
  async function credentialDefinitionFor(walletId: string, schemaId: string): Promise<{ id: string; created: boolean }> {
    const [existing] = await anoncreds.listCredentialDefinitionIds(walletId, { schemaId })
    if (existing) return { id: existing, created: false }
    try {
      const made = await anoncreds.registerCredentialDefinition(walletId, { schemaId, tag: 'default', supportRevocation: false, reuseExisting: true })
      return { id: made.id, created: true }
    } catch (error) {
      if (error instanceof DomainError && error.kind !== 'not_implemented') {
        throw badRequest('schemaId', `The wallet has no credential definition for ${schemaId} and cannot make one: ${error.message}`)
      }
      throw error
    }
  }

  const kinds: Record<RequestKind, RequestKindSpec> = {
    'anoncreds-issuance': {
      async start(record, connectionId) {
        const input = record.input as { credential_definition_id: string; format: 'anoncreds' | 'indy'; attributes: Array<{ name: string; value: string }> }
        const view = await credentials.sendOffer(record.walletId, {
          format: input.format,
          credentialDefinitionId: input.credential_definition_id,
          attributes: input.attributes,
          autoIssue: true,
          autoRemove: false,
          connectionId,
        })
        return { exchangeId: view.record.id, progress: credentialProgress(view.record.state, view.record.errorMessage) }
      },
      async progress(walletId, exchangeId) {
        const view = await credentials.get(walletId, exchangeId).catch((error) => {
          if (error instanceof DomainError && error.kind === 'not_found') return undefined
          throw error
        })
        return view && credentialProgress(view.record.state, view.record.errorMessage)
      },
      words: { pending: 'Pending', success: 'Issued', failure: 'Not Issued' },
    },
    'jsonld-issuance': {
      async start(record, connectionId) {
        const { offer } = record.input as { offer: JsonLdOffer }
        const view = await credentials.sendOffer(record.walletId, { ...offer, autoIssue: true, autoRemove: false, connectionId })
        return { exchangeId: view.record.id, progress: credentialProgress(view.record.state, view.record.errorMessage) }
      },
      progress: (walletId, exchangeId) => kinds['anoncreds-issuance'].progress(walletId, exchangeId),
      words: { pending: 'Pending', success: 'Issued', failure: 'Not Issued' },
    },
    'anoncreds-verification': {
      async start(record, connectionId) {
        const input = record.input as { proof_request: ProofRequestInput; format: 'anoncreds' | 'indy' }
        const view = await proofs.sendRequest(record.walletId, { format: input.format, request: input.proof_request, connectionId, autoVerify: true, autoRemove: false })
        return { exchangeId: view.record.id, progress: proofProgress(view) }
      },
      async progress(walletId, exchangeId) {
        const view = await proofs.get(walletId, exchangeId).catch((error) => {
          if (error instanceof DomainError && error.kind === 'not_found') return undefined
          throw error
        })
        return view && proofProgress(view)
      },
      words: { pending: 'Pending', success: 'Verified', failure: 'Not Verified' },
    },
    'jsonld-verification': {
      async start(record, connectionId) {
        const input = record.input as { presentation_definition: Record<string, unknown>; attributes: string[] }
        const view = await proofs.sendRequest(record.walletId, {
          format: 'presentationExchange',
          request: { presentationDefinition: input.presentation_definition, options: { challenge: utils.uuid() } },
          connectionId,
          autoVerify: true,
          autoRemove: false,
        })
        return { exchangeId: view.record.id, progress: proofProgress(view, (done) => presentedSubjectValues(done, input.attributes)) }
      },
      async progress(walletId, exchangeId) {
        const record = await rows.byCurrentExchange(walletId, exchangeId)
        const attributes = record ? (record.input as { attributes: string[] }).attributes : []
        const view = await proofs.get(walletId, exchangeId).catch((error) => {
          if (error instanceof DomainError && error.kind === 'not_found') return undefined
          throw error
        })
        return view && proofProgress(view, (done) => presentedSubjectValues(done, attributes))
      },
      words: { pending: 'Pending', success: 'Verified', failure: 'Not Verified' },
    },
  }

  async function getRow(walletId: string, requestId: number, kind?: RequestKind): Promise<RequestRecord> {
    const record = await rows.get(walletId, requestId)
    if (!record || (kind && record.kind !== kind)) throw new DomainError('not_found', `Request record ${requestId} not found`)
    return record
  }

  async function changed(walletId: string, requestId: number): Promise<RequestRecord> {
    const record = await getRow(walletId, requestId)
    events.publish(walletId, { kind: 'request-record', record })
    return record
  }

  /** An exchange of the record ended: the record completes with it, unless it is a standing one. */
  async function finish(record: RequestRecord, outcome: 'success' | 'failure', error: string, state?: string, resultData?: unknown) {
    const words = kinds[record.kind].words
    const standing = isStanding(record)
    await rows.end(record.requestId, {
      complete: !standing,
      // A standing record has succeeded once any of its exchanges has.
      result: outcome === 'success' || (standing && record.result),
      resultString: outcome === 'success' ? words.success : words.failure,
      error,
      state: state ?? null,
      resultData,
    })
    return changed(record.walletId, record.requestId)
  }

  async function applyProgress(record: RequestRecord, progress: ExchangeProgress): Promise<RequestRecord> {
    if (progress.outcome) return finish(record, progress.outcome, progress.error ?? '', progress.state, progress.resultData)
    await rows.setState(record.requestId, progress.state)
    return changed(record.walletId, record.requestId)
  }

  /**
   * Starts an exchange of the record on `connectionId`, once: the row is claimed before anything is
   * sent — a `no rule` record only while it has none, a standing one once per connection.
   */
  async function startOn(record: RequestRecord, connectionId: string): Promise<void> {
    if (!(await rows.claim(record.requestId, connectionId, isStanding(record)))) return
    const current = await getRow(record.walletId, record.requestId)
    try {
      const { exchangeId, progress } = await kinds[current.kind].start(current, connectionId)
      const exchangeIds = [...current.exchangeIds, exchangeId]
      await rows.setExchanges(current.requestId, exchangeIds, exchangeId)
      await applyProgress({ ...current, exchangeIds, currentExchangeId: exchangeId }, progress)
    } catch (error) {
      logger.warn({ walletId: record.walletId, err: error, requestId: record.requestId }, 'request record could not start its exchange')
      await finish(current, 'failure', (error as Error).message)
    }
  }

  async function startIfReachable(record: RequestRecord): Promise<void> {
    const connectionId = await invitations.activeConnectionFor(record.walletId, record)
    if (connectionId) await startOn(record, connectionId)
  }

  /**
   * Woken by the record's own change events; still reads the row every 250 ms, for a record another
   * process (on a shared PostgreSQL) completes.
   */
  async function waitForCompletion(walletId: string, requestId: number, seconds: number): Promise<RequestRecord> {
    const deadline = Date.now() + Math.min(seconds, MAX_TIMEOUT_SECONDS) * 1000
    for (;;) {
      const record = await getRow(walletId, requestId)
      if (record.complete || Date.now() >= deadline) return record
      const completed = (change: TenantChange) => change.kind === 'request-record' && change.record.requestId === requestId && change.record.complete
      await events.nextChange(walletId, completed, Math.min(250, Math.max(0, deadline - Date.now())))
    }
  }

  /**
   * Keeps a new record for an address its caller has checked (before any costlier check), starts
   * it if its contact or invitation has an active connection, and waits up to `timeout` seconds for
   * it to complete; returns it as it then is.
   */
  async function create(
    walletId: string,
    kind: RequestKind,
    address: ControllerAddress,
    request: RequestBasics & { input: Record<string, unknown>; metaData?: Record<string, unknown> },
  ): Promise<RequestRecord> {
    const requestId = await rows.insert({
      walletId,
      kind,
      contactId: address.contactId,
      invitationId: address.invitationId,
      rule: request.rule,
      timeout: request.timeout,
      input: request.input,
      metaData: request.metaData,
      resultString: kinds[kind].words.pending,
    })
    const record = await changed(walletId, requestId)
    await startIfReachable(record)
    return waitForCompletion(walletId, record.requestId, request.timeout)
  }

  return {
    /** An AnonCreds issuance record: the attributes must be exactly the schema's. */
    async requestAnonCredsIssuance(
      walletId: string,
      request: RequestBasics & { schemaId: string; attributes: Array<{ name: string; value: string }> },
    ): Promise<RequestRecord> {
      const address = await invitations.assertAddress(walletId, request)
      const schema = await anoncreds.getSchema(walletId, request.schemaId).catch((error) => {
        if (error instanceof DomainError && error.kind === 'not_found') throw badRequest('schemaId', `Schema ${request.schemaId} not found`)
        throw error
      })
      assertSchemaAttributes('attributes', { id: request.schemaId, attrNames: schema.schema.attrNames }, request.attributes.map((attribute) => attribute.name))
      const definition = await credentialDefinitionFor(walletId, request.schemaId)
      return create(walletId, 'anoncreds-issuance', address, {
        ...request,
        input: {
          schema_id: request.schemaId,
          attributes: request.attributes,
          credential_definition_id: definition.id,
          format: isLegacyId(definition.id) ? 'indy' : 'anoncreds',
        },
        metaData: { credential_definition_id: definition.id, credential_definition_created: definition.created },
      })
    },

    /**
     * A JSON-LD issuance record: a W3C credential of the given contexts and types, the attributes as
     * its subject, signed by `did` with `proofType`. Checked now as it would be signed (the DID is
     * the wallet's and can sign; every term is defined offline), so a bad one is refused at once.
     */
    async requestJsonLdIssuance(
      walletId: string,
      request: RequestBasics & {
        context: string[]
        type: string[]
        attributes: Array<{ name: string; value: unknown }>
        did: string
        proofType: string
        label: string | null
        issuerName: string | null
      },
    ): Promise<RequestRecord> {
      const address = await invitations.assertAddress(walletId, request)
      const credential = {
        '@context': ['https://www.w3.org/2018/credentials/v1', ...request.context.filter((url) => url !== 'https://www.w3.org/2018/credentials/v1')],
        type: ['VerifiableCredential', ...request.type.filter((type) => type !== 'VerifiableCredential')],
        issuer: request.did,
        issuanceDate: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        credentialSubject: Object.fromEntries(request.attributes.map((attribute) => [attribute.name, attribute.value])),
      }
      // An error about the offer names its path (`offer.credential.issuer`); the route says which of its fields that is.
      const checked = await credentials.checkOffer(walletId, { format: 'jsonld', credential, options: { proofType: request.proofType }, autoIssue: true, autoRemove: false })
      return create(walletId, 'jsonld-issuance', address, {
        ...request,
        input: {
          offer: { format: 'jsonld', credential: (checked as JsonLdOffer).credential, options: (checked as JsonLdOffer).options, verificationMethod: (checked as JsonLdOffer).verificationMethod },
          context: request.context,
          type: request.type,
          attributes: request.attributes,
          label: request.label,
          issuer_name: request.issuerName,
          issuer_did: request.did,
          proof_type: request.proofType,
        },
      })
    },

    /**
     * A JSON-LD verification record: a DIF presentation definition with one input descriptor per
     * definition — its `context` URIs as the descriptor's schema (contexts, or expanded types as
     * ACA-Py writes them), its attributes as required `credentialSubject` fields.
     */
    async requestJsonLdVerification(
      walletId: string,
      request: RequestBasics & {
        definitions: Array<{ context: string[]; attributes: string[]; label?: string }>
      },
    ): Promise<RequestRecord> {
      const address = await invitations.assertAddress(walletId, request)
      const presentationDefinition = {
        id: utils.uuid(),
        format: { ldp_vp: { proof_type: ['Ed25519Signature2018', 'Ed25519Signature2020'] } },
        input_descriptors: request.definitions.map((definition, index) => ({
          id: `definition_${index}`,
          ...(definition.label ? { name: definition.label } : {}),
          schema: definition.context.map((uri) => ({ uri })),
          constraints: { fields: definition.attributes.map((attribute) => ({ path: [`$.credentialSubject.${attribute}`] })) },
        })),
      }
      const unique = (values: string[]) => [...new Set(values)]
      return create(walletId, 'jsonld-verification', address, {
        ...request,
        input: {
          presentation_definition: presentationDefinition,
          context: unique(request.definitions.flatMap((definition) => definition.context)),
          attributes: unique(request.definitions.flatMap((definition) => definition.attributes)),
          label: request.definitions.map((definition) => definition.label).find(Boolean) ?? null,
        },
      })
    },

    /**
     * An AnonCreds verification record: each attribute revealed from a credential meeting any of
     * its restrictions (none: any credential). Attributes named with a schema must be the schema's.
     */
    async requestAnonCredsVerification(
      walletId: string,
      request: RequestBasics & { schemaAttributes: SchemaAttributes; schemaIds: string[]; predicates?: SchemaPredicate[] },
    ): Promise<RequestRecord> {
      const predicates = request.predicates ?? []
      const address = await invitations.assertAddress(walletId, request)
      for (const schemaId of request.schemaIds) {
        const schema = await anoncreds.getSchema(walletId, schemaId).catch((error) => {
          if (error instanceof DomainError && error.kind === 'not_found') throw badRequest('schemaIds', `Schema ${schemaId} not found`)
          throw error
        })
        const named = [...Object.entries(request.schemaAttributes), ...predicates.map((predicate) => [predicate.name, predicate] as const)]
          .filter(([, item]) => item.restrictions.some((restriction) => restriction.schema_id === schemaId))
          .map(([name]) => name)
        const unknown = named.filter((name) => !schema.schema.attrNames.includes(name))
        if (unknown.length > 0) throw badRequest('schemaIds', `Not attributes of schema ${schemaId}: ${unknown.join(', ')}`)
      }
      const requested = Object.fromEntries(
        Object.entries(request.schemaAttributes).map(([name, item], index) => [
          `attribute_${index}`,
          item.restrictions.length > 0 ? { name, restrictions: item.restrictions } : { name },
        ]),
      )
      const requestedPredicates = Object.fromEntries(
        predicates.map((predicate, index) => [
          `predicate_${index}`,
          {
            name: predicate.name,
            p_type: predicate.pType,
            p_value: predicate.pValue,
            ...(predicate.restrictions.length > 0 ? { restrictions: predicate.restrictions } : {}),
          },
        ]),
      )
      const legacy = [...Object.values(request.schemaAttributes), ...predicates].some((item) => item.restrictions.some((r) => Object.values(r).some(isLegacyId)))
      return create(walletId, 'anoncreds-verification', address, {
        ...request,
        input: {
          schema_attributes: request.schemaAttributes,
          format: legacy ? 'indy' : 'anoncreds',
          ...(predicates.length > 0 ? { predicates: requestedPredicates } : {}),
          proof_request: { name: 'Verification request', version: '1.0', requested_attributes: requested, requested_predicates: requestedPredicates },
        },
      })
    },

    get: getRow,

    list: (walletId: string, kind: RequestKind): Promise<RequestRecord[]> => rows.list(walletId, kind),

    /** A connection of a contact (or invitation) completed: the records waiting for it, and the standing ones, start. */
    async connectionCompleted(walletId: string, connectionId: string, reached: { contactId: string; invitationId: number }): Promise<void> {
      const waiting = await rows.waitingFor(walletId, reached, 'every new connection')
      for (const record of waiting) await startOn(record, connectionId)
    },

    /** An exchange changed state: the record that started it follows. */
    async exchangeChanged(walletId: string, exchangeId: string): Promise<void> {
      const record = await rows.byCurrentExchange(walletId, exchangeId, { openOnly: true })
      if (!record) return
      const progress = await kinds[record.kind].progress(walletId, exchangeId)
      await applyProgress(record, progress ?? { state: record.state ?? 'deleted', outcome: 'failure', error: 'The exchange record was deleted' })
    },

    /**
     * At boot: records interrupted between claiming a connection and starting their exchange end
     * with an error (an offer may have gone out; it is never sent twice); running ones take the
     * state their exchange reached while the server was down; waiting ones start if they can.
     */
    async sweep(): Promise<void> {
      const open = await rows.open()
      for (const record of open) {
        try {
          if (record.currentExchangeId) {
            const progress = await kinds[record.kind].progress(record.walletId, record.currentExchangeId)
            await applyProgress(record, progress ?? { state: record.state ?? 'deleted', outcome: 'failure', error: 'The exchange record was deleted' })
          } else if (record.state === 'starting') {
            await finish(record, 'failure', 'Interrupted by a restart while the exchange was starting')
            // A standing record goes on with the connections that complete from now on.
            if (isStanding(record)) await rows.release(record.requestId)
          } else {
            await startIfReachable(record)
          }
        } catch (error) {
          logger.error({ walletId: record.walletId, err: error, requestId: record.requestId }, 'request record sweep failed')
        }
      }
    },
  }
}

export type ControllerRequestService = ReturnType<typeof controllerRequestService>
