// Credential exchanges (issue-credential 2.0) of one wallet, in the AnonCreds formats and JSON-LD:
// the issuer offers and issues, the holder requests and stores. A Credo CredentialExchangeRecord plus the
// DIDComm messages and per-format data it carries is what both faces and the webhooks show.
//
// ACA-Py's per-exchange flags that Credo has no place for (`auto_remove`) are kept in the record's
// metadata; `auto_issue` is Credo's own per-exchange auto-accept.
import {
  AnonCredsCredentialMetadataKey,
  AutoAcceptCredential,
  CredentialEventTypes,
  CredentialRole,
  CredentialState,
  ClassValidationError,
  MessageSendingError,
  isUnqualifiedCredentialDefinitionId,
  type CredentialExchangeRecord,
} from '../agent/credo'


import { badRequest } from '../errors'
import { assertConnectionReady, assertConnectionToStartOn, EXCHANGE_METADATA_KEY, exchangeHelpers } from './exchanges'
import { findCreatedCredentialDefinition, legacyRevocationRegistryId } from '../agent/indyIdentifiers'
import { JSONLD_SIGNING_KEY_METADATA, requestMatchesOffer } from '../agent/jsonLd'
import { type AnonCredsOffer, type JsonLdOffer, type OfferContent, type OfferInput, type OwnProposal, type ProposalInput, offerFormats, proposalFormats } from './credentialFormats'
import { prepareJsonLdOffer } from './jsonLdCredentials'
import { assertSchemaAttributes } from './schemaAttributes'
import type { TenantEventBus } from '../events/tenantEvents'
import type { TenantAgent, TenantService } from './tenants'
import type { RevocationService } from './revocation'

export type { AnonCredsOffer, JsonLdOffer, OfferContent, OfferInput, ProposalInput } from './credentialFormats'
export { EXCHANGE_METADATA_KEY } from './exchanges'

/** Deleting an exchange, as ACA-Py does, keeps the credential it brought to the wallet. */
export const EXCHANGE_ONLY = { deleteAssociatedCredentials: false, deleteAssociatedDidCommMessages: true }

/** Our flags on a Credo credential exchange (its metadata, EXCHANGE_METADATA_KEY). */
export interface ExchangeFlags {
  autoRemove: boolean
  /** Delete the exchange when it fails (abandoned); absent on exchanges kept before it existed. */
  autoRemoveOnFailure?: boolean
  /** The proposal an issuer's own offer stands on (credentialFormats.ts); never sent. */
  ownProposal?: OwnProposal
}

/** The flags an offer keeps on its exchange. */
const offerFlags = (offer: OfferContent): ExchangeFlags => ({
  autoRemove: offer.autoRemove,
  autoRemoveOnFailure: offer.autoRemoveOnFailure,
  ownProposal: offer.ownProposal,
})

/** An exchange as the faces show it: the record, its messages and what each format carried. */
export interface CredentialExchangeView {
  record: CredentialExchangeRecord
  flags: ExchangeFlags
  messages: { proposal?: unknown; offer?: unknown; request?: unknown; credential?: unknown }
  formatData: Awaited<ReturnType<TenantAgent['credentials']['getFormatData']>>
  /** Set on the last view of a deleted exchange. */
  deleted?: boolean
}

const toJson = (message: { toJSON(): unknown } | null | undefined) => message?.toJSON() ?? undefined

/**
 * The revocation registry and index of a revocable AnonCreds credential's exchange (either side),
 * as Credo keeps them; an Indy registry by its unqualified id, as the credential names it.
 */
export function revocationIdsOf(record: CredentialExchangeRecord): { revRegId: string; credRevId: string } | undefined {
  const metadata = record.metadata.get<{ revocationRegistryId?: string; credentialRevocationId?: string }>(AnonCredsCredentialMetadataKey)
  return metadata?.revocationRegistryId && metadata.credentialRevocationId
    ? { revRegId: legacyRevocationRegistryId(metadata.revocationRegistryId), credRevId: metadata.credentialRevocationId }
    : undefined
}

export async function credentialExchangeView(tenantAgent: TenantAgent, record: CredentialExchangeRecord): Promise<CredentialExchangeView> {
  const { credentials } = tenantAgent
  const [stored, proposal, offer, request, credential, formatData] = await Promise.all([
    // A snapshot taken at an event may predate our flags (set right after Credo sends the offer).
    credentials.findById(record.id),
    credentials.findProposalMessage(record.id),
    credentials.findOfferMessage(record.id),
    credentials.findRequestMessage(record.id),
    credentials.findCredentialMessage(record.id),
    credentials.getFormatData(record.id),
  ])
  return {
    record,
    flags: (stored ?? record).metadata.get<ExchangeFlags>(EXCHANGE_METADATA_KEY) ?? { autoRemove: false },
    messages: { proposal: toJson(proposal), offer: toJson(offer), request: toJson(request), credential: toJson(credential) },
    formatData,
  }
}

/** The states in which each step may be taken (Credo's own check gives a less helpful error). */
const STEP_STATES = {
  offerForProposal: [CredentialState.ProposalReceived],
  sendRequest: [CredentialState.OfferReceived],
  issue: [CredentialState.RequestReceived],
  store: [CredentialState.CredentialReceived],
} as const

export function credentialService(deps: {
  tenants: TenantService
  /** An exchange deleted through the API is published with what it was (ACA-Py emits its `deleted` state). */
  events: TenantEventBus
  revocation: RevocationService
}) {
  const { tenants, events, revocation } = deps

  /**
   * An offer of a revocable credential definition carries the registry and index the credential
   * will have (Credo takes them with the offer); the index is tied to the exchange once it exists.
   */
  async function offerWithRevocation<T extends OfferContent>(walletId: string, offer: T, tenantAgent: TenantAgent, send: (offer: T) => Promise<CredentialExchangeRecord>) {
    if (offer.format === 'jsonld' || !(await revocation.isRevocable(walletId, offer.credentialDefinitionId))) return send(offer)
    const slot = await revocation.takeIndex(tenantAgent, walletId, offer.credentialDefinitionId)
    const record = await send({ ...offer, revocation: { revRegId: slot.credoRevRegId, index: slot.index } })
    await revocation.bindExchange(walletId, slot.revRegId, slot.index, record.id)
    return record
  }

  const exchanges = exchangeHelpers<CredentialExchangeRecord, CredentialState, CredentialExchangeView>({
    name: 'Credential exchange',
    idField: 'credentialExchangeId',
    api: (tenantAgent) => tenantAgent.credentials,
    deleteById: (tenantAgent, id) => tenantAgent.credentials.deleteById(id, EXCHANGE_ONLY),
    sendProblemReport: (tenantAgent, id, description) => tenantAgent.credentials.sendProblemReport({ credentialRecordId: id, description }),
    view: credentialExchangeView,
    roles: { issuer: CredentialRole.Issuer, holder: CredentialRole.Holder },
    abandoned: CredentialState.Abandoned,
    declined: CredentialState.Declined,
    eventType: CredentialEventTypes.CredentialStateChanged,
    payloadKey: 'credentialRecord',
  })
  const { find } = exchanges
  const assertState = (record: CredentialExchangeRecord, step: keyof typeof STEP_STATES) => exchanges.assertState(record, STEP_STATES[step], step)

  /**
   * The offer must name one of the wallet's own credential definitions and exactly its schema's
   * attributes; both are checked before anything is sent.
   */
  async function checkOffer<T extends OfferContent & { connectionId?: string }>(tenantAgent: TenantAgent, input: T): Promise<T> {
    if (input.connectionId !== undefined) await assertConnectionToStartOn(tenantAgent, input.connectionId)
    if (input.format === 'jsonld') return { ...input, ...(await prepareJsonLdOffer(tenantAgent, input)) }
    await checkAnonCredsOffer(tenantAgent, input)
    return input
  }

  async function checkAnonCredsOffer(tenantAgent: TenantAgent, input: AnonCredsOffer): Promise<void> {
    const anoncreds = tenantAgent.modules.anoncreds
    const id = input.credentialDefinitionId
    const definition = await findCreatedCredentialDefinition(anoncreds, id)
    if (!definition) throw badRequest('credentialDefinitionId', `Credential definition ${id} is not one of this wallet's`)
    if (input.format === 'indy' && !isUnqualifiedCredentialDefinitionId(id)) {
      throw badRequest('indy.credentialDefinitionId', 'The indy format takes the unqualified credential definition id; use filter.anoncreds for this one')
    }
    const { schema } = await anoncreds.getSchema(definition.credentialDefinition.schemaId)
    if (!schema) throw badRequest('credentialDefinitionId', `The schema of ${id} could not be read`)
    assertSchemaAttributes('attributes', { id: definition.credentialDefinition.schemaId, attrNames: schema.attrNames }, input.attributes.map((attribute) => attribute.name))
  }

  /** Keeps our flags on the exchange (exchanges.ts); a JSON-LD offer also keeps the key it will be signed with. */
  function keepFlags(tenantAgent: TenantAgent, credExId: string, flags: ExchangeFlags, offer?: OfferContent): Promise<CredentialExchangeRecord> {
    return exchanges.keepFlags(tenantAgent, credExId, flags, (fresh) => {
      if (offer?.format === 'jsonld' && offer.verificationMethod) {
        fresh.metadata.set(JSONLD_SIGNING_KEY_METADATA, { verificationMethod: offer.verificationMethod })
      }
    })
  }

  /** The offer a proposal asks for: its credential definition and preview, or its JSON-LD detail. */
  async function offerFromProposal(tenantAgent: TenantAgent, record: CredentialExchangeRecord, comment?: string): Promise<OfferContent> {
    const { proposal, proposalAttributes } = await tenantAgent.credentials.getFormatData(record.id)
    const flags = { comment, autoIssue: false, autoRemove: true }
    const jsonld = (proposal as Record<string, unknown> | undefined)?.jsonld as { credential: Record<string, unknown>; options: JsonLdOffer['options'] } | undefined
    if (jsonld) return { format: 'jsonld', credential: jsonld.credential, options: jsonld.options, ...flags }
    const format = proposal && 'anoncreds' in proposal ? 'anoncreds' : 'indy'
    const filter = (proposal as Record<string, { cred_def_id?: string } | undefined> | undefined)?.[format]
    if (!filter?.cred_def_id) throw badRequest('counter', 'The proposal names no credential definition; answer it with a filter and counter_preview')
    return {
      format,
      credentialDefinitionId: filter.cred_def_id,
      attributes: (proposalAttributes ?? []).map((a) => ({ name: a.name, value: a.value, ...(a.mimeType ? { mimeType: a.mimeType } : {}) })),
      ...flags,
    }
  }

  /**
   * What a step answers: the record it returned with the messages read before it. A finished
   * exchange may be removed (auto_remove) before the step's own answer is built.
   */
  async function afterStep(tenantAgent: TenantAgent, record: CredentialExchangeRecord, step: () => Promise<CredentialExchangeRecord>) {
    const before = await credentialExchangeView(tenantAgent, record)
    const updated = await step()
    return { ...before, record: updated }
  }

  return {
    async sendOffer(walletId: string, input: OfferInput): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const offer = await checkOffer(tenantAgent, input)
        const record = await offerWithRevocation(walletId, offer, tenantAgent, (content) =>
          tenantAgent.credentials.offerCredential({
            connectionId: content.connectionId,
            protocolVersion: 'v2',
            credentialFormats: offerFormats(content),
            comment: content.comment,
            autoAcceptCredential: content.autoIssue ? AutoAcceptCredential.ContentApproved : AutoAcceptCredential.Never,
          }),
        )
        return credentialExchangeView(tenantAgent, await keepFlags(tenantAgent, record.id, offerFlags(offer), offer))
      })
    },

    /** The offer as it would go out (a JSON-LD one completed with its signing key), checked, sending nothing. */
    async checkOffer(walletId: string, input: OfferContent): Promise<OfferContent> {
      return tenants.withTenant(walletId, (tenantAgent) => checkOffer(tenantAgent, input))
    },

    /** An offer kept for an out-of-band invitation to carry (ACA-Py's create-offer); nothing is sent. */
    async createOffer(walletId: string, input: OfferContent): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const offer = await checkOffer(tenantAgent, input)
        const record = await offerWithRevocation(walletId, offer, tenantAgent, async (content) => {
          const created = await tenantAgent.credentials.createOffer({
            protocolVersion: 'v2',
            credentialFormats: offerFormats(content),
            comment: content.comment,
            autoAcceptCredential: content.autoIssue ? AutoAcceptCredential.ContentApproved : AutoAcceptCredential.Never,
          })
          return created.credentialRecord
        })
        return credentialExchangeView(tenantAgent, await keepFlags(tenantAgent, record.id, offerFlags(offer), offer))
      })
    },

    /** Holder: proposes a credential to the issuer on a connection. */
    async sendProposal(walletId: string, input: ProposalInput): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        await assertConnectionToStartOn(tenantAgent, input.connectionId)
        const record = await tenantAgent.credentials
          .proposeCredential({ connectionId: input.connectionId, protocolVersion: 'v2', credentialFormats: proposalFormats(input), comment: input.comment })
          .catch((error) => {
            // Credo checks the proposal's shape (id formats, the W3C model) before it is sent.
            if (error instanceof ClassValidationError) throw badRequest('proposal', `Not a valid proposal: ${error.message}`)
            throw error
          })
        return credentialExchangeView(tenantAgent, await keepFlags(tenantAgent, record.id, { autoRemove: input.autoRemove, autoRemoveOnFailure: input.autoRemoveOnFailure }))
      })
    },

    /**
     * Issuer: answers a proposal with an offer, as proposed or as `counter` says (ACA-Py's
     * counter_preview and filter). Checked like any offer before it is sent.
     */
    async offerForProposal(
      walletId: string,
      credExId: string,
      options: { counter?: OfferContent; comment?: string; autoRemove?: boolean },
    ): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, credExId)
        assertState(record, 'offerForProposal')
        await assertConnectionReady(tenantAgent, record, 'credential exchange')
        const proposed = options.counter ?? (await offerFromProposal(tenantAgent, record, options.comment))
        const offer = await checkOffer(tenantAgent, { ...proposed, autoRemove: options.autoRemove ?? proposed.autoRemove })
        await offerWithRevocation(walletId, offer, tenantAgent, (content) =>
          tenantAgent.credentials.negotiateProposal({
            credentialRecordId: credExId,
            credentialFormats: offerFormats(content),
            comment: content.comment,
            autoAcceptCredential: content.autoIssue ? AutoAcceptCredential.ContentApproved : AutoAcceptCredential.Never,
          }),
        )
        return credentialExchangeView(tenantAgent, await keepFlags(tenantAgent, credExId, { autoRemove: offer.autoRemove }, offer))
      })
    },

    async list(walletId: string, query: { connectionId?: string; threadId?: string; role?: 'issuer' | 'holder'; state?: string }) {
      return tenants.withTenant(walletId, (tenantAgent) => exchanges.list(tenantAgent, query))
    },

    get(walletId: string, credExId: string): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => credentialExchangeView(tenantAgent, await find(tenantAgent, credExId)))
    },

    async delete(walletId: string, credExId: string): Promise<void> {
      const view = await tenants.withTenant(walletId, (tenantAgent) => exchanges.delete(tenantAgent, credExId))
      events.publish(walletId, { kind: 'credential-exchange', view: { ...view, deleted: true } })
    },

    /** Holder: answers an offer with a request. */
    async sendRequest(walletId: string, credExId: string, options: { autoRemove?: boolean; autoRemoveOnFailure?: boolean }): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, credExId)
        assertState(record, 'sendRequest')
        await assertConnectionReady(tenantAgent, record, 'credential exchange')
        // Credo makes the holder's link secret the first time (autoCreateLinkSecret).
        await tenantAgent.credentials.acceptOffer({ credentialRecordId: credExId })
        // ACA-Py removes a finished exchange unless told not to (--preserve-exchange-records).
        return credentialExchangeView(tenantAgent, await keepFlags(tenantAgent, credExId, { autoRemove: options.autoRemove ?? true, autoRemoveOnFailure: options.autoRemoveOnFailure }))
      })
    },

    /** Issuer: answers a request with the credential. */
    async issue(walletId: string, credExId: string, comment?: string): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, credExId)
        assertState(record, 'issue')
        await assertConnectionReady(tenantAgent, record, 'credential exchange')
        const { offer, request } = await tenantAgent.credentials.getFormatData(credExId)
        const jsonLd = request && 'jsonld' in request
        // Credo signs the holder's request as it is: it must ask for what was offered.
        if (jsonLd && !requestMatchesOffer((offer as Record<string, unknown> | undefined)?.jsonld, request.jsonld)) {
          const reason = 'The credential request does not match the offer'
          await exchanges.fail(tenantAgent, record, reason)
          throw badRequest('credentialExchangeId', `${reason}; the exchange is abandoned`)
        }
        try {
          return credentialExchangeView(tenantAgent, await tenantAgent.credentials.acceptRequest({ credentialRecordId: credExId, comment }))
        } catch (error) {
          // Issuing failed before anything was sent (a request Credo cannot answer, a signature that
          // fails): as ACA-Py does, the exchange is abandoned and the holder told, and the caller
          // gets a 4xx, not a 500.
          if (error instanceof MessageSendingError) throw error
          const reason = `The credential could not be ${jsonLd ? 'signed' : 'issued'}: ${(error as Error).message}`
          await exchanges.fail(tenantAgent, await find(tenantAgent, credExId), reason)
          throw badRequest('credentialExchangeId', `${reason}; the exchange is abandoned`)
        }
      })
    },

    /** Holder: the credential is in the wallet once received; storing acknowledges it (`done`). */
    async store(walletId: string, credExId: string): Promise<CredentialExchangeView> {
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, credExId)
        assertState(record, 'store')
        await assertConnectionReady(tenantAgent, record, 'credential exchange')
        return afterStep(tenantAgent, record, () => tenantAgent.credentials.acceptCredential({ credentialRecordId: credExId }))
      })
    },

    /** Abandons the exchange on both sides with `description` as the reason. */
    async problemReport(walletId: string, credExId: string, description: string): Promise<void> {
      await tenants.withTenant(walletId, async (tenantAgent) => {
        const record = await find(tenantAgent, credExId)
        if (record.state === CredentialState.Done || record.state === CredentialState.Abandoned) {
          throw badRequest('credentialExchangeId', `Credential exchange ${credExId} is ${record.state}; there is nothing to report on`)
        }
        // An offer made for an invitation has no one to report to yet: it is only abandoned here.
        await exchanges.fail(tenantAgent, record, description)
      })
    },
  }
}

export type CredentialService = ReturnType<typeof credentialService>
