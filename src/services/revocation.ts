// AnonCreds revocation, issuer side. A revocable credential definition gets two registries at once:
// one `active`, one `finished` waiting behind it; when the active one is full the waiting one takes
// over and a new one is prepared behind it, so issuance never waits for tails generation.
// Revocation indices are taken by one atomic UPDATE of the registry row (store/revocationRegistries.ts),
// so concurrent issuances, in one process or several, never share one and none is lost. Revoking
// marks the issued credential; publishing writes a new status list to the registry (Credo's
// updateRevocationStatusList), revoking every pending index of that registry at once.
//
// Credo keeps the registry's definition and private key material in the wallet (its records stay
// `active`: Credo refuses to issue on any other state, and a registry whose last index went out
// must still issue the credentials offered on it); the rotation state is ours, in the store.
//
// A controller can also make registries by hand (ACA-Py's create-registry, definition and entry, or
// its anoncreds registry definition and status list), choose the active one, and compare what it
// revoked with what the registry publishes (fix-revocation-entry-state).
//
// Indy registries and credential definitions are kept and named by their unqualified ids, as ACA-Py
// and the credentials name them (indyIdentifiers.ts); ids given in their did:indy form are read as
// the same object, and Credo is called with the did:indy name it keeps them under.
import { TailsFileError, type CredenceTailsFileService } from '../agent/tailsFiles'
import type { TenantEventBus } from '../events/tenantEvents'
import { badRequest, notFoundError, peerUnavailable } from '../errors'
import type { AppLogger } from '../logger'
import type { Store } from '../store/db'
import { sendRevocationNotification } from '../agent/revocationNotifications'
import { didIndyCredentialDefinitionId, didIndyRevocationRegistryId, findCreatedCredentialDefinition, legacyCredentialDefinitionId, legacyIssuerId, legacyRevocationRegistryId } from '../agent/indyIdentifiers'
import { revocationRegistries, type IssuedCredentialRevocation, type RegistryState, type RevocationNotice, type StoredRegistry } from '../store/revocationRegistries'
import { keyedQueue } from './keyedQueue'
import type { TenantAgent, TenantService } from './tenants'

export type { IssuedCredentialRevocation, RegistryState, RevocationNotice } from '../store/revocationRegistries'

/** What a registry's latest status list says: the revoked indices, its accumulator and when it was written (none before the first). */
export interface PublishedState {
  revoked: number[]
  accumulator?: string
  timestamp?: number
}

export interface RevocationRegistry extends StoredRegistry {
  /** Indices revoked but not yet published. */
  pending: number[]
}

/** ACA-Py's default size; the bounds are ACA-Py's legacy routes' (its anoncreds routes check none). */
export const DEFAULT_REGISTRY_SIZE = 1000
export const MIN_REGISTRY_SIZE = 4
export const MAX_REGISTRY_SIZE = 32768

/** `{rev_reg_id: [cred_rev_id]}` as ACA-Py's rrid2crid: a registry with an empty list means all of it. */
type Selection = Record<string, number[]>
/** The selection with its registries named as the store names them. */
const named = (only: Selection | undefined): Selection | undefined =>
  only && Object.fromEntries(Object.entries(only).map(([revRegId, indexes]) => [legacyRevocationRegistryId(revRegId), indexes]))
const selects = (only: Selection | undefined, record: IssuedCredentialRevocation) =>
  !only || (only[record.revRegId] !== undefined && (only[record.revRegId].length === 0 || only[record.revRegId].includes(record.credRevId)))

export function revocationService(deps: { tenants: TenantService; store: Store; tailsFiles: CredenceTailsFileService; events: TenantEventBus; logger: AppLogger }) {
  const { tenants, tailsFiles, events, logger } = deps
  const rows = revocationRegistries(deps.store)
  const oneAtATime = keyedQueue()

  async function withPending(registry: StoredRegistry): Promise<RevocationRegistry> {
    const pending = await rows.issued(registry.walletId, { revRegId: registry.revRegId, pending: true })
    return { ...registry, pending: pending.map((record) => record.credRevId) }
  }

  /** The tag of a new registry: the first whole number from the count up that none of the definition's registries has. */
  async function freeTag(walletId: string, credDefId: string): Promise<string> {
    const taken = new Set((await rows.list(walletId, { credDefId })).map((registry) => registry.tag))
    let tag = taken.size + 1
    while (taken.has(String(tag))) tag++
    return String(tag)
  }

  /**
   * Registers a revocation registry definition of `size` for the credential definition (anoncreds-rs
   * makes the tails file and keys; Credo writes it to the registry). Its first status list follows
   * in registerFirstStatusList: together when Credence makes a registry itself, as separate steps
   * in ACA-Py's legacy by-hand sequence.
   */
  async function registerDefinition(tenantAgent: TenantAgent, credDef: { id: string; issuerId: string }, size: number, tag: string) {
    const registered = await tenantAgent.modules.anoncreds.registerRevocationRegistryDefinition({
      // Credo keeps an Indy credential definition under its did:indy name.
      revocationRegistryDefinition: { credentialDefinitionId: didIndyCredentialDefinitionId(credDef.id, credDef.issuerId), issuerId: credDef.issuerId, tag, maximumCredentialNumber: size },
      options: {},
    })
    const definitionState = registered.revocationRegistryDefinitionState
    if (definitionState.state !== 'finished') {
      throw peerUnavailable(`The revocation registry could not be registered: ${'reason' in definitionState ? definitionState.reason : definitionState.state}`)
    }
    return { credoRevRegId: definitionState.revocationRegistryDefinitionId, definition: definitionState.revocationRegistryDefinition }
  }

  /** The first status list of a registry: every index issued (anoncreds-rs's issuance by default). */
  async function registerFirstStatusList(tenantAgent: TenantAgent, credoRevRegId: string, issuerId: string): Promise<void> {
    const listed = await tenantAgent.modules.anoncreds.registerRevocationStatusList({ revocationStatusList: { revocationRegistryDefinitionId: credoRevRegId, issuerId }, options: {} })
    const listState = listed.revocationStatusListState
    if (listState.state !== 'finished') {
      throw peerUnavailable(`The revocation status list could not be registered: ${'reason' in listState ? listState.reason : listState.state}`)
    }
  }

  /**
   * Makes a registry for the credential definition and records it in `state`: `generated` when only
   * its definition is registered (ACA-Py's create-registry), otherwise with its first status list.
   */
  async function createRegistry(tenantAgent: TenantAgent, walletId: string, credDef: { id: string; issuerId: string }, size: number, state: RegistryState, givenTag?: string) {
    const credDefId = legacyCredentialDefinitionId(credDef.id)
    const tag = givenTag ?? (await freeTag(walletId, credDefId))
    const { credoRevRegId, definition } = await registerDefinition(tenantAgent, credDef, size, tag)
    if (state !== 'generated') await registerFirstStatusList(tenantAgent, credoRevRegId, credDef.issuerId)
    const { tailsHash, tailsLocation } = definition.value
    const revRegId = legacyRevocationRegistryId(credoRevRegId)
    await rows.insert({ revRegId, walletId, credDefId, issuerId: credDef.issuerId, tag, state, maxCredNum: size, tailsHash, tailsPublicUri: tailsLocation })
    logger.info({ walletId, revRegId, credDefId, size, state }, 'revocation registry created')
    await announce(walletId, revRegId)
    return { revRegId, definition }
  }

  /** Says what a registry is now (ACA-Py's `revocation_registry` webhook). */
  async function announce(walletId: string, revRegId: string): Promise<void> {
    const registry = await rows.get(walletId, revRegId)
    if (registry) events.recordChanged(walletId, { kind: 'revocation-registry', registry: await withPending(registry) })
  }

  /** The waiting registry becomes active and a new one is prepared behind it; false when there was none waiting. */
  async function rotate(tenantAgent: TenantAgent, walletId: string, credDefId: string): Promise<boolean> {
    return oneAtATime(`rotate|${walletId}|${credDefId}`, async () => {
      // Another call may have rotated already while this one waited.
      if (await rows.hasRoom(walletId, credDefId)) return true
      const full = await rows.list(walletId, { credDefId, state: 'active' })
      await rows.markActiveFull(walletId, credDefId)
      for (const registry of full) await announce(walletId, registry.revRegId)
      const waiting = await rows.oldestWaiting(walletId, credDefId)
      if (!waiting) return false
      if (await rows.activate(waiting.revRegId)) {
        logger.info({ walletId, revRegId: waiting.revRegId, credDefId }, 'revocation registry full; the next one is active')
        await announce(walletId, waiting.revRegId)
        await createRegistry(tenantAgent, walletId, { id: credDefId, issuerId: waiting.issuerId }, waiting.maxCredNum, 'finished')
      }
      return true
    })
  }

  /** Tells the holder; a notification that cannot go out is logged, as ACA-Py does (the revocation stands). */
  async function notify(walletId: string, record: IssuedCredentialRevocation, notice: RevocationNotice): Promise<void> {
    try {
      await tenants.withTenant(walletId, (tenantAgent) =>
        sendRevocationNotification(tenantAgent.context, { ...notice, revRegId: record.revRegId, credRevId: record.credRevId }),
      )
    } catch (error) {
      logger.warn({ err: error, walletId, revRegId: record.revRegId, credRevId: record.credRevId }, 'the revocation notification could not be sent')
    }
  }

  /** A registry of this wallet, by either of its names; 404 for another wallet's or none. */
  async function ownRegistry(walletId: string, givenRevRegId: string): Promise<StoredRegistry> {
    const registry = await rows.get(walletId, legacyRevocationRegistryId(givenRevRegId))
    if (!registry) throw notFoundError(`Revocation registry ${givenRevRegId} not found`)
    return registry
  }

  /** Writes a new status list revoking `indexes` (and every index revoked before) to the registry. */
  async function writeRevocations(walletId: string, registry: StoredRegistry, indexes: number[]): Promise<void> {
    await tenants.withTenant(walletId, async (tenantAgent) => {
      const result = await tenantAgent.modules.anoncreds.updateRevocationStatusList({
        revocationStatusList: { revocationRegistryDefinitionId: didIndyRevocationRegistryId(registry.revRegId, registry.issuerId), revokedCredentialIndexes: indexes },
        options: {},
      })
      const state = result.revocationStatusListState
      if (state.state !== 'finished') {
        throw peerUnavailable(`The revocations of ${registry.revRegId} could not be published: ${'reason' in state ? state.reason : state.state}`)
      }
    })
  }

  /** The registry's latest status list, read back from the registry itself. */
  async function readPublishedState(registry: StoredRegistry): Promise<PublishedState> {
    if (registry.state === 'generated' || registry.state === 'posted') return { revoked: [] }
    return tenants.withTenant(registry.walletId, async (tenantAgent) => {
      const found = await tenantAgent.modules.anoncreds.getRevocationStatusList(didIndyRevocationRegistryId(registry.revRegId, registry.issuerId), Math.floor(Date.now() / 1000))
      const list = found.revocationStatusList
      if (!list) throw peerUnavailable(`The status list of ${registry.revRegId} could not be read: ${found.resolutionMetadata.message ?? found.resolutionMetadata.error}`)
      const revoked = list.revocationList.flatMap((bit, index) => (bit === 1 ? [index] : []))
      return { revoked, accumulator: list.currentAccumulator, timestamp: list.timestamp }
    })
  }

  /**
   * Publishes pending revocations: of the registries and indices named (ACA-Py's rrid2crid), or
   * all. One new status list per registry. Returns what was published, per registry.
   */
  async function publish(walletId: string, given?: Selection): Promise<Selection> {
    const only = named(given)
    const byRegistry: Selection = {}
    for (const record of await rows.issued(walletId, { pending: true })) {
      if (selects(only, record)) (byRegistry[record.revRegId] ??= []).push(record.credRevId)
    }
    const published: Selection = {}
    for (const [revRegId, indexes] of Object.entries(byRegistry)) {
      const registry = await rows.get(walletId, revRegId)
      if (!registry) continue
      await oneAtATime(`publish|${revRegId}`, async () => {
        await writeRevocations(walletId, registry, indexes)
        await rows.markRevoked(walletId, revRegId, indexes)
      })
      published[revRegId] = indexes
      for (const record of await rows.issued(walletId, { revRegId })) {
        if (!indexes.includes(record.credRevId)) continue
        events.recordChanged(walletId, { kind: 'issued-credential-revocation', record })
        if (record.notify) await notify(walletId, record, record.notify)
      }
    }
    return published
  }

  return {
    /** Sets up revocation for a credential definition just registered with support for it. */
    async setUp(tenantAgent: TenantAgent, walletId: string, credDef: { id: string; issuerId: string }, size: number): Promise<void> {
      await createRegistry(tenantAgent, walletId, credDef, size, 'active')
      await createRegistry(tenantAgent, walletId, credDef, size, 'finished')
    },

    /**
     * The registry and index the next credential of `credDefId` is issued with, taken for good (an
     * offer never answered leaves a gap, as in ACA-Py when an issuance fails). `credoRevRegId` is
     * the registry's name in Credo, which the offer hands to it.
     */
    async takeIndex(tenantAgent: TenantAgent, walletId: string, givenCredDefId: string): Promise<{ revRegId: string; credoRevRegId: string; index: number }> {
      const credDefId = legacyCredentialDefinitionId(givenCredDefId)
      // Every lost race means another caller took an index or a registry rotated: progress. The
      // bound only stops a loop that would never end.
      for (let attempt = 0; attempt < 64; attempt++) {
        const taken = await rows.takeIndex(walletId, credDefId)
        if (taken) {
          await rows.insertIssued(walletId, taken.revRegId, taken.index, credDefId)
          return { ...taken, credoRevRegId: didIndyRevocationRegistryId(taken.revRegId, taken.issuerId) }
        }
        if (!(await rotate(tenantAgent, walletId, credDefId))) break
      }
      throw badRequest('cred_def_id', `Credential definition ${credDefId} has no revocation registry with room left`)
    },

    /** Ties a taken index to the exchange that carries it, and says so (ACA-Py's `issuer_cred_rev`). */
    async bindExchange(walletId: string, revRegId: string, index: number, credExId: string): Promise<void> {
      await rows.bindExchange(walletId, revRegId, index, credExId)
      const [record] = await rows.issued(walletId, { revRegId, credRevId: index })
      if (record) events.recordChanged(walletId, { kind: 'issued-credential-revocation', record })
    },

    /**
     * ACA-Py's rotate: the registry waiting behind the active one takes over, a new one is prepared
     * behind it, and every other registry of the credential definition is decommissioned (no
     * credential is issued on it again; those issued on it can still be revoked). Answers the
     * decommissioned registries.
     */
    async rotate(walletId: string, givenCredDefId: string): Promise<string[]> {
      const credDefId = legacyCredentialDefinitionId(givenCredDefId)
      return oneAtATime(`rotate|${walletId}|${credDefId}`, async () => {
        const waiting = await rows.oldestWaiting(walletId, credDefId)
        if (!waiting) throw notFoundError(`Credential definition ${givenCredDefId} has no revocation registry waiting to take over`)
        await tenants.withTenant(walletId, (tenantAgent) => createRegistry(tenantAgent, walletId, { id: credDefId, issuerId: waiting.issuerId }, waiting.maxCredNum, 'finished'))
        const kept = new Set([waiting.revRegId, ...(await rows.list(walletId, { credDefId, state: 'finished' })).map((registry) => registry.revRegId)])
        const retired = (await rows.list(walletId, { credDefId })).filter((registry) => !kept.has(registry.revRegId) && ['active', 'full'].includes(registry.state))
        for (const registry of retired) {
          await rows.setState(walletId, registry.revRegId, 'decommissioned')
          await announce(walletId, registry.revRegId)
        }
        await rows.setState(walletId, waiting.revRegId, 'active')
        await announce(walletId, waiting.revRegId)
        logger.info({ walletId, credDefId, active: waiting.revRegId, decommissioned: retired.map((registry) => registry.revRegId) }, 'revocation registries rotated')
        return retired.map((registry) => registry.revRegId)
      })
    },

    /**
     * ACA-Py's set-state, for the states a Credence registry can be in: `finished` (waits to take
     * over; an active one stays active), `full` and `decommissioned` (no credential is issued on it).
     */
    async setState(walletId: string, givenRevRegId: string, state: 'finished' | 'full' | 'decommissioned'): Promise<RevocationRegistry> {
      const revRegId = legacyRevocationRegistryId(givenRevRegId)
      const registry = await rows.get(walletId, revRegId)
      if (!registry) throw notFoundError(`Revocation registry ${givenRevRegId} not found`)
      return oneAtATime(`rotate|${walletId}|${registry.credDefId}`, async () => {
        if (!(state === 'finished' && registry.state === 'active')) await rows.setState(walletId, revRegId, state)
        await announce(walletId, revRegId)
        return withPending((await rows.get(walletId, revRegId))!)
      })
    },

    /**
     * A registry made by hand (ACA-Py's legacy create-registry, its anoncreds
     * revocation-registry-definition). `firstStatusList` false leaves it `generated`, its first
     * status list to come with sendFirstEntry; otherwise it is made whole and waits in line
     * (`finished`). Only a credential definition of this wallet made with revocation takes one.
     */
    async createByHand(walletId: string, given: { credDefId: string; size?: number; tag?: string; issuerId?: string; firstStatusList: boolean }, fields: { credDefId: string; size: string; tag?: string; issuerId?: string }) {
      const size = given.size ?? DEFAULT_REGISTRY_SIZE
      if (size < MIN_REGISTRY_SIZE || size > MAX_REGISTRY_SIZE) throw badRequest(fields.size, `A revocation registry holds ${MIN_REGISTRY_SIZE} to ${MAX_REGISTRY_SIZE} credentials`)
      const credDefId = legacyCredentialDefinitionId(given.credDefId)
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const credDef = await findCreatedCredentialDefinition(tenantAgent.modules.anoncreds, given.credDefId)
        // ACA-Py's answer, word for word, for a definition it did not publish.
        if (!credDef) throw notFoundError(`Not issuer of credential definition id ${given.credDefId}`)
        const issuerId = credDef.credentialDefinition.issuerId
        if (!credDef.credentialDefinition.value.revocation || !(await rows.any(walletId, credDefId))) {
          throw badRequest(fields.credDefId, `Credential definition ${given.credDefId} was made without support for revocation`)
        }
        if (given.issuerId !== undefined && given.issuerId !== issuerId && given.issuerId !== legacyIssuerId(issuerId)) {
          throw badRequest(fields.issuerId ?? 'issuerId', `Credential definition ${given.credDefId} is issued by ${issuerId}`)
        }
        return oneAtATime(`rotate|${walletId}|${credDefId}`, async () => {
          if (given.tag !== undefined && (await rows.list(walletId, { credDefId })).some((registry) => registry.tag === given.tag)) {
            throw badRequest(fields.tag ?? 'tag', `Credential definition ${given.credDefId} has a revocation registry tagged ${given.tag} already`)
          }
          const made = await createRegistry(tenantAgent, walletId, { id: credDefId, issuerId }, size, given.firstStatusList ? 'finished' : 'generated', given.tag)
          return { registry: await withPending((await rows.get(walletId, made.revRegId))!), definition: made.definition }
        })
      })
    },

    /**
     * ACA-Py's legacy `definition` step. Credence registers the definition when it makes the
     * registry (Credo does both at once), so this step only records that it was taken.
     */
    async sendDefinition(walletId: string, givenRevRegId: string): Promise<RevocationRegistry> {
      const registry = await ownRegistry(walletId, givenRevRegId)
      if (registry.state === 'generated') {
        await rows.setState(walletId, registry.revRegId, 'posted')
        await announce(walletId, registry.revRegId)
      }
      return withPending((await rows.get(walletId, registry.revRegId))!)
    },

    /**
     * ACA-Py's legacy `entry` step: writes the registry's first status list, after which it waits
     * in line to issue (ACA-Py's `active`). A registry that has its list already is answered as it is.
     */
    async sendFirstEntry(walletId: string, givenRevRegId: string): Promise<RevocationRegistry> {
      const registry = await ownRegistry(walletId, givenRevRegId)
      return oneAtATime(`rotate|${walletId}|${registry.credDefId}`, async () => {
        const current = (await rows.get(walletId, registry.revRegId))!
        if (current.state === 'generated' || current.state === 'posted') {
          await tenants.withTenant(walletId, (tenantAgent) => registerFirstStatusList(tenantAgent, didIndyRevocationRegistryId(current.revRegId, current.issuerId), current.issuerId))
          await rows.setState(walletId, current.revRegId, 'finished')
          await announce(walletId, current.revRegId)
        }
        return withPending((await rows.get(walletId, registry.revRegId))!)
      })
    },

    /**
     * ACA-Py's anoncreds set-active: this registry issues the next credentials; the one active
     * before waits in line again (or is full). Only a registry with room and a status list can be.
     */
    async activate(walletId: string, givenRevRegId: string): Promise<void> {
      const registry = await ownRegistry(walletId, givenRevRegId)
      await oneAtATime(`rotate|${walletId}|${registry.credDefId}`, async () => {
        const current = (await rows.get(walletId, registry.revRegId))!
        if (current.state === 'active') return
        if (current.state !== 'finished' || current.nextIndex >= current.maxCredNum) {
          throw badRequest('rev_reg_id', `Revocation registry ${givenRevRegId} is ${current.state === 'finished' ? 'full' : current.state}; only a finished registry with room can be active`)
        }
        for (const before of await rows.list(walletId, { credDefId: current.credDefId, state: 'active' })) {
          await rows.setState(walletId, before.revRegId, before.nextIndex >= before.maxCredNum ? 'full' : 'finished')
          await announce(walletId, before.revRegId)
        }
        await rows.setState(walletId, current.revRegId, 'active')
        await announce(walletId, current.revRegId)
      })
    },

    /**
     * The registry's current status list as the registry answers it: the indices it says are
     * revoked and its accumulator (ACA-Py's ledger delta, `issued/indy_recs`).
     */
    async publishedState(walletId: string, givenRevRegId: string): Promise<PublishedState> {
      const registry = await ownRegistry(walletId, givenRevRegId)
      return readPublishedState(registry)
    },

    /**
     * ACA-Py's fix-revocation-entry-state: compares the credentials this wallet revoked with the
     * registry's status list. Those revoked here but not there are published when `apply` is set;
     * those revoked there but still pending here (a publish cut short after its write) are marked
     * revoked. Without `apply` nothing changes: the answer says what would.
     */
    async fixEntryState(walletId: string, givenRevRegId: string, apply: boolean) {
      const registry = await ownRegistry(walletId, givenRevRegId)
      return oneAtATime(`publish|${registry.revRegId}`, async () => {
        const before = await readPublishedState(registry)
        const onRegistry = new Set(before.revoked)
        const records = await rows.issued(walletId, { revRegId: registry.revRegId })
        const missing = records.filter((record) => record.state === 'revoked' && !onRegistry.has(record.credRevId)).map((record) => record.credRevId)
        const unrecorded = records.filter((record) => record.state === 'issued' && record.pending && onRegistry.has(record.credRevId)).map((record) => record.credRevId)
        if (!apply || (missing.length === 0 && unrecorded.length === 0)) return { before, missing, unrecorded, after: undefined }
        if (unrecorded.length > 0) await rows.markRevoked(walletId, registry.revRegId, unrecorded)
        let after: PublishedState | undefined
        if (missing.length > 0) {
          await writeRevocations(walletId, registry, missing)
          after = await readPublishedState(registry)
        }
        logger.info({ walletId, revRegId: registry.revRegId, published: missing, recorded: unrecorded }, 'revocation entry state fixed')
        return { before, missing, unrecorded, after }
      })
    },

    /**
     * Puts a registry's tails file on the configured tails server (ACA-Py's upload); false when no
     * tails server is configured (Credence serves the file itself either way).
     */
    async uploadTails(walletId: string, givenRevRegId: string): Promise<boolean> {
      const registry = await ownRegistry(walletId, givenRevRegId)
      if (!tailsFiles.verifiedPath(walletId, registry.tailsHash)) throw notFoundError(`No local tails file for rev reg ${givenRevRegId}`)
      try {
        return await tailsFiles.uploadToTailsServer(walletId, registry.tailsHash)
      } catch (error) {
        if (error instanceof TailsFileError) throw peerUnavailable(error.message)
        throw error
      }
    },

    /**
     * ACA-Py's delete-tails-file, for tails files no holder can need: those of the named registry,
     * or of every registry of the credential definition, on which no credential was issued and none
     * will be (decommissioned). Answers how many were deleted.
     */
    async deleteTails(walletId: string, which: { revRegId?: string; credDefId?: string }): Promise<number> {
      const registries = which.revRegId
        ? [await ownRegistry(walletId, which.revRegId)]
        : await rows.list(walletId, { credDefId: legacyCredentialDefinitionId(which.credDefId ?? '') })
      if (which.credDefId && registries.length === 0) throw notFoundError(`No revocation registries for ${which.credDefId}`)
      const unused = registries.filter((registry) => registry.state === 'decommissioned' && registry.nextIndex === 1)
      if (which.revRegId && unused.length === 0) {
        throw badRequest('rev_reg_id', `Holders may need the tails file of ${which.revRegId}: only a decommissioned registry no credential was issued on can lose it`)
      }
      let deleted = 0
      for (const registry of unused) if (tailsFiles.remove(walletId, registry.tailsHash)) deleted++
      return deleted
    },

    /** Whether the wallet issues `credDefId` with revocation (it has registries for it). */
    isRevocable: (walletId: string, credDefId: string) => rows.any(walletId, legacyCredentialDefinitionId(credDefId)),

    async registries(walletId: string, filter: { credDefId?: string; state?: RegistryState } = {}): Promise<RevocationRegistry[]> {
      const credDefId = filter.credDefId && legacyCredentialDefinitionId(filter.credDefId)
      return Promise.all((await rows.list(walletId, { ...filter, credDefId })).map(withPending))
    },

    async registry(walletId: string, revRegId: string): Promise<RevocationRegistry> {
      const registry = await rows.get(walletId, legacyRevocationRegistryId(revRegId))
      if (!registry) throw notFoundError(`Revocation registry ${revRegId} not found`)
      return withPending(registry)
    },

    issued: (walletId: string, filter: { revRegId?: string; credExId?: string; credRevId?: number } = {}) =>
      rows.issued(walletId, { ...filter, revRegId: filter.revRegId && legacyRevocationRegistryId(filter.revRegId) }),

    /** The credentials issued on one of the wallet's registries (404 for another's or none). */
    async issuedOn(walletId: string, givenRevRegId: string): Promise<IssuedCredentialRevocation[]> {
      const revRegId = legacyRevocationRegistryId(givenRevRegId)
      if (!(await rows.get(walletId, revRegId))) throw notFoundError(`Revocation registry ${givenRevRegId} not found`)
      return rows.issued(walletId, { revRegId })
    },

    /**
     * Marks a credential revoked: pending until published. Revoking one already revoked (or already
     * pending) changes nothing. `publishNow` publishes its registry's pending revocations at once.
     */
    async revoke(
      walletId: string,
      which: { credExId?: string; revRegId?: string; credRevId?: number },
      publishNow: boolean,
      notice?: RevocationNotice,
    ): Promise<IssuedCredentialRevocation> {
      const [found] = which.credExId
        ? await rows.issued(walletId, { credExId: which.credExId })
        : await rows.issued(walletId, { revRegId: legacyRevocationRegistryId(which.revRegId ?? ''), credRevId: which.credRevId ?? -1 })
      if (!found) {
        // ACA-Py answers 400 here, naming what was not found.
        throw which.credExId
          ? badRequest('cred_ex_id', `No revocable credential of this wallet was issued in exchange ${which.credExId}`)
          : badRequest('cred_rev_id', `No credential ${which.credRevId} of this wallet was issued on revocation registry ${which.revRegId}`)
      }
      await rows.markPending(found.recordId, notice)
      if (publishNow) await publish(walletId, { [found.revRegId]: [] })
      return (await rows.issuedById(found.recordId))!
    },

    publish,

    /** Drops pending revocations (all, or the registries and indices named) without publishing them. */
    async clearPending(walletId: string, given?: Selection): Promise<void> {
      const only = named(given)
      for (const record of await rows.issued(walletId, { pending: true })) if (selects(only, record)) await rows.clearPending(record.recordId)
    },

    /** The path of an issuer's tails file with this hash, checked against it, for the public endpoint. */
    async publicTailsFile(tailsHash: string): Promise<string | undefined> {
      const owner = await rows.ownerOfTails(tailsHash)
      return owner ? tailsFiles.verifiedPath(owner, tailsHash) : undefined
    },

    /** The tails file of one of the wallet's registries. */
    async tailsFileOf(walletId: string, revRegId: string): Promise<string> {
      const registry = await rows.get(walletId, legacyRevocationRegistryId(revRegId))
      if (!registry) throw notFoundError(`Revocation registry ${revRegId} not found`)
      const file = tailsFiles.verifiedPath(walletId, registry.tailsHash)
      if (!file) throw notFoundError(`The tails file of ${revRegId} is not here`)
      return file
    },
  }
}

export type RevocationService = ReturnType<typeof revocationService>
