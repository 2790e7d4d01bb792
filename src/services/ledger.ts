// The Indy ledger as ACA-Py's ledger room uses it: the write ledger's transaction author agreement
// and each wallet's acceptance of it, NYMs written by a wallet's public DID, and reads of a DID's
// verkey, endpoint and role. Writes go to the first configured network; reads go to the ledger a
// DID lives on (Credo asks every configured network for an unqualified DID). Acceptances' rows: store/taaAcceptances.ts.
import { DidDocumentBuilder, DidRepository, getEd25519VerificationKey2018, Key, KeyType, TypedArrayEncoder, parseIndyDid } from '../agent/credo'
import type { IndyVdrPool } from '../agent/credoInternals'
import { AttribRequest, GetAttribRequest, GetNymRequest, NymRequest } from '@hyperledger/indy-vdr-shared'
import { createHash } from 'node:crypto'

import type { CredenceAgent } from '../agent/createAgent'
import { agreementOfPool, ledgerCall, poolsOf, requireTaaAcceptance, type TaaAcceptance } from '../agent/indyLedger'
import type { IndyNetwork } from '../agent/indyNetworks'
import { badRequest, forbidden, notFoundError, notImplemented } from '../errors'
import type { Store } from '../store/db'
import { taaAcceptances } from '../store/taaAcceptances'
import type { TenantAgent, TenantService } from './tenants'

/** An Indy DID without its method. */
export const UNQUALIFIED_INDY_DID = /^[1-9A-HJ-NP-Za-km-z]{21,22}$/
const FULL_VERKEY = /^[1-9A-HJ-NP-Za-km-z]{43,44}$/
const ABBREVIATED_VERKEY = /^~[1-9A-HJ-NP-Za-km-z]{21,22}$/

export type NymRole = 'STEWARD' | 'TRUSTEE' | 'ENDORSER' | 'NETWORK_MONITOR'
/** Indy's role codes on a NYM, and ACA-Py's names for them; no role is a plain user. */
const ROLE_NAMES: Record<string, string> = { '0': 'TRUSTEE', '2': 'STEWARD', '101': 'ENDORSER', '201': 'NETWORK_MONITOR' }

/** ACA-Py's endpoint types and the ATTRIB key each is kept under. */
export const ENDPOINT_ATTRIB_KEYS = { Endpoint: 'endpoint', Profile: 'profile', LinkedDomains: 'linked_domains' } as const
export type EndpointType = keyof typeof ENDPOINT_ATTRIB_KEYS

export interface LedgerAgreement {
  text: string
  version: string
  digest: string
  ratificationTs?: number
  aml: Record<string, string>
  amlContext?: string
  amlVersion: string
}

export interface IndyIssuer {
  issuerId: string
  legacy: boolean
  /** Returns how to undo it: a registration the ledger refused leaves nothing in the wallet. */
  prepare: (tenantAgent: TenantAgent) => Promise<() => Promise<void>>
}

export interface LedgerTaaView {
  agreement: LedgerAgreement | null
  required: boolean
  accepted: { mechanism: string; time: number } | null
}

/** The digest the ledger keeps for an agreement: sha256 of its version followed by its text. */
export const taaDigest = (version: string, text: string) => createHash('sha256').update(version + text).digest('hex')

/** did:sov:X, did:indy:<ns>:X and X all name the NYM X. */
function nymOf(did: string, field: string): { dest: string; namespace?: string } {
  if (UNQUALIFIED_INDY_DID.test(did)) return { dest: did }
  if (did.startsWith('did:sov:') && UNQUALIFIED_INDY_DID.test(did.slice(8))) return { dest: did.slice(8) }
  if (did.startsWith('did:indy:')) {
    try {
      const { namespace, namespaceIdentifier } = parseIndyDid(did)
      return { dest: namespaceIdentifier, namespace }
    } catch {
      // fall through to the refusal
    }
  }
  throw badRequest(field, `${did} is not an Indy DID (an unqualified DID, did:sov or did:indy)`)
}

/** A verkey as the ledger may abbreviate it (`~` + the key's last 16 bytes) made whole. */
export function fullVerkey(dest: string, verkey: string): string {
  if (!verkey.startsWith('~')) return verkey
  const bytes = new Uint8Array([...TypedArrayEncoder.fromBase58(dest), ...TypedArrayEncoder.fromBase58(verkey.slice(1))])
  return TypedArrayEncoder.toBase58(bytes)
}

export function ledgerService(deps: {
  agent: CredenceAgent
  tenants: TenantService
  store: Store
  networks: IndyNetwork[]
  publicDidOf: (walletId: string) => Promise<string | undefined>
}) {
  const { agent, tenants, store, networks } = deps
  const writeNetwork = networks.find((network) => network.isWrite)

  function writePool(): IndyVdrPool {
    if (!writeNetwork) throw forbidden('No Indy ledger available')
    return poolsOf(agent.context).find((pool) => pool.indyNamespace === writeNetwork.indyNamespace)!
  }

  /** The ledger holding `did`, and the NYM's data there; a DID on none of them is a 404. */
  async function readNym(did: string, field: string) {
    writePool()
    const nym = nymOf(did, field)
    const configured = poolsOf(agent.context)
    const pools = nym.namespace ? configured.filter((pool) => pool.indyNamespace === nym.namespace) : configured
    if (pools.length === 0) throw badRequest(field, `No configured Indy ledger has the namespace ${nym.namespace}`)
    for (const pool of pools) {
      const response = await ledgerCall(pool, () => pool.submitRequest(new GetNymRequest({ dest: nym.dest })))
      if (response.result.data) {
        const data = JSON.parse(response.result.data) as { dest: string; verkey?: string | null; role?: string | null }
        return { pool, dest: nym.dest, data, ledgerId: networkOf(pool).name }
      }
    }
    throw notFoundError(`DID ${did} is not on the ledger`)
  }

  function networkOf(pool: IndyVdrPool): IndyNetwork {
    return networks.find((network) => network.indyNamespace === pool.indyNamespace)!
  }

  async function readAttrib(pool: IndyVdrPool, dest: string, raw: string): Promise<unknown> {
    const response = await ledgerCall(pool, () => pool.submitRequest(new GetAttribRequest({ targetDid: dest, raw })))
    if (!response.result.data) return undefined
    try {
      return (JSON.parse(response.result.data) as Record<string, unknown>)[raw]
    } catch {
      return undefined // not JSON: as good as no attribute
    }
  }

  async function acceptanceOf(walletId: string, indyNamespace: string): Promise<TaaAcceptance | undefined> {
    return taaAcceptances(store).get(walletId, indyNamespace)
  }

  async function agreementOf(pool: IndyVdrPool): Promise<LedgerAgreement | null> {
    const found = await agreementOfPool(pool, { fresh: true })
    if (!found) return null
    return {
      text: found.text,
      version: found.version,
      digest: found.digest,
      ratificationTs: found.ratification_ts,
      aml: found.acceptanceMechanisms.aml,
      amlContext: found.acceptanceMechanisms.amlContext,
      amlVersion: found.acceptanceMechanisms.version,
    }
  }

  /** The wallet's public DID as the submitter of a write on the write ledger, with its key. */
  async function publicSubmitter(walletId: string): Promise<{ did: string; dest: string; key: Key }> {
    const publicDid = await deps.publicDidOf(walletId)
    if (!publicDid) throw badRequest('publicDid', 'Cannot write to the ledger: this wallet has no public DID (POST /wallet/did/public)')
    const { dest, namespace } = nymOf(publicDid, 'public_did')
    if (namespace && namespace !== writeNetwork!.indyNamespace) {
      throw badRequest('publicDid', `The public DID ${publicDid} is not on the write ledger ${writeNetwork!.indyNamespace}`)
    }
    return { did: publicDid, dest, key: await keyOfCreatedDid(walletId, publicDid) }
  }

  async function keyOfCreatedDid(walletId: string, did: string): Promise<Key> {
    const [record] = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.dids.getCreatedDids({ did }))
    const verkey = record?.didDocument?.verificationMethod?.[0]?.publicKeyBase58
    if (!verkey) throw badRequest('did', `DID ${did} has no key in this wallet to sign ledger writes with`)
    return Key.fromPublicKeyBase58(verkey, KeyType.Ed25519)
  }

  /** Signs `request` as the wallet (its TAA acceptance included) and sends it to the write ledger. */
  async function write(walletId: string, request: NymRequest | AttribRequest, key: Key): Promise<void> {
    const pool = writePool()
    await tenants.withTenant(walletId, async (tenantAgent) => {
      await pool.prepareWriteRequest(tenantAgent.context, request, key)
      await ledgerCall(pool, () => pool.submitRequest(request))
    })
  }

  return {
    configured: () => Boolean(writeNetwork),
    acceptanceOf,

    async taa(walletId: string): Promise<LedgerTaaView> {
      const pool = writePool()
      const agreement = await agreementOf(pool)
      const accepted = agreement ? await acceptanceOf(walletId, pool.indyNamespace) : undefined
      return {
        agreement,
        required: Boolean(agreement),
        accepted: accepted && accepted.digest === agreement?.digest ? { mechanism: accepted.mechanism, time: accepted.time } : null,
      }
    },

    /**
     * Keeps the wallet's acceptance of the write ledger's current agreement. Stricter than ACA-Py,
     * which stores whatever it is sent: a version, text or mechanism the ledger does not have is
     * refused here, rather than at the first write.
     */
    async acceptTaa(walletId: string, input: { version: string; text: string; mechanism: string }): Promise<void> {
      const pool = writePool()
      const agreement = await agreementOf(pool)
      if (!agreement) throw badRequest('version', `The ledger ${pool.indyNamespace} has no transaction author agreement to accept`)
      if (input.version !== agreement.version) {
        throw badRequest('version', `The ledger's agreement is version ${agreement.version}, not ${input.version}`)
      }
      // As ACA-Py does: a ledger text that starts with a byte-order mark is matched with one.
      const text = agreement.text.startsWith('\ufeff') && !input.text.startsWith('\ufeff') ? `\ufeff${input.text}` : input.text
      if (taaDigest(input.version, text) !== agreement.digest) {
        throw badRequest('text', `The text is not the ledger's agreement text of version ${agreement.version} (its digest differs)`)
      }
      if (!Object.hasOwn(agreement.aml, input.mechanism)) {
        throw badRequest('mechanism', `${input.mechanism} is not one of the ledger's acceptance mechanisms: ${Object.keys(agreement.aml).join(', ')}`)
      }
      const time = Math.floor(Date.now() / 1000)
      await store.transaction(async (tx) => {
        await taaAcceptances(tx).remove(walletId, pool.indyNamespace)
        await taaAcceptances(tx).insert(walletId, pool.indyNamespace, {
          version: agreement.version,
          digest: agreement.digest,
          mechanism: input.mechanism,
          time,
        })
      })
    },

    /** Writes a NYM for `did`, signed by the wallet's public DID (a steward's or an endorser's). */
    async registerNym(walletId: string, input: { did: string; verkey: string; alias?: string; role?: NymRole | 'reset' }): Promise<void> {
      writePool()
      const { dest, namespace } = nymOf(input.did, 'did')
      if (namespace && namespace !== writeNetwork!.indyNamespace) throw badRequest('did', `${input.did} is not on the write ledger ${writeNetwork!.indyNamespace}`)
      if (!FULL_VERKEY.test(input.verkey) && !ABBREVIATED_VERKEY.test(input.verkey)) {
        throw badRequest('verkey', 'A verkey is the base58 of a 32-byte Ed25519 key, or its `~` abbreviation')
      }
      if (input.role === 'reset') throw notImplemented('Resetting a NYM role is not supported by Credence')
      const submitter = await publicSubmitter(walletId)
      const request = new NymRequest({ submitterDid: submitter.dest, dest, verkey: input.verkey, alias: input.alias, role: input.role })
      await write(walletId, request, submitter.key)
    },

    async didVerkey(did: string): Promise<{ verkey: string; ledgerId: string }> {
      const nym = await readNym(did, 'did')
      if (!nym.data.verkey) throw notFoundError(`DID ${did} is on the ledger without a verkey`)
      return { verkey: fullVerkey(nym.dest, nym.data.verkey), ledgerId: nym.ledgerId }
    },

    async nymRole(did: string): Promise<{ role: string; ledgerId: string }> {
      const nym = await readNym(did, 'did')
      return { role: (nym.data.role && ROLE_NAMES[nym.data.role]) || 'USER', ledgerId: nym.ledgerId }
    },

    async didEndpoint(did: string, type: EndpointType): Promise<{ endpoint: string | null; ledgerId: string }> {
      const nym = await readNym(did, 'did')
      const attrib = (await readAttrib(nym.pool, nym.dest, 'endpoint')) as Record<string, unknown> | undefined
      const value = attrib?.[ENDPOINT_ATTRIB_KEYS[type]]
      return { endpoint: typeof value === 'string' ? value : null, ledgerId: nym.ledgerId }
    },

    /**
     * Before a DID becomes the wallet's public DID, as ACA-Py does on a ledger: the DID must be
     * on the write ledger with this wallet's key, and its endpoint ATTRIB is written when it
     * differs from `endpoint`. Without a ledger, or for a DID that is not an Indy one, nothing.
     */
    async announcePublicDid(walletId: string, did: string, verkey: string, endpoint: string): Promise<void> {
      if (!writeNetwork || !did.startsWith('did:sov:')) return
      const pool = writePool()
      const dest = did.slice('did:sov:'.length)
      const response = await ledgerCall(pool, () => pool.submitRequest(new GetNymRequest({ dest })))
      if (!response.result.data) throw badRequest('did', `DID ${dest} is not posted to the ledger ${pool.indyNamespace}; an endorser must register it first`)
      const onLedger = JSON.parse(response.result.data) as { verkey?: string | null }
      if (!onLedger.verkey || fullVerkey(dest, onLedger.verkey) !== verkey) {
        throw badRequest('did', `The ledger holds another verkey for ${dest} than this wallet's`)
      }
      const found = await readAttrib(pool, dest, 'endpoint')
      // Other endpoint types (profile, linked_domains) are kept; a value that is not an object is replaced.
      const attrib = found && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>) : {}
      if (attrib.endpoint === endpoint) return
      const raw = JSON.stringify({ endpoint: { ...attrib, endpoint } })
      await write(walletId, new AttribRequest({ submitterDid: dest, targetDid: dest, raw }), Key.fromPublicKeyBase58(verkey, KeyType.Ed25519))
    },

    /**
     * The name a wallet's Indy DID publishes AnonCreds objects under: the did:indy form on the
     * write ledger, which Credo's Indy registry requires. `legacy`: the caller named the DID
     * unqualified or as did:sov, so ACA-Py's unqualified object ids are what it expects back.
     * Checked here, before anything is written: the DID is the wallet's and the wallet has
     * accepted the ledger's agreement. `prepare`, called by the caller just before it registers,
     * keeps the did:sov key under the did:indy name too (once), for Credo to sign with.
     */
    async anonCredsIssuer(walletId: string, given: string, field: string): Promise<IndyIssuer> {
      if (!writeNetwork) throw badRequest(field, `${given} is an Indy DID, and no Indy ledger is configured (CREDENCE_INDY_NETWORKS)`)
      const { dest, namespace } = nymOf(given, field)
      if (namespace && namespace !== writeNetwork.indyNamespace) throw badRequest(field, `${given} is not on the write ledger ${writeNetwork.indyNamespace}`)
      const issuerId = `did:indy:${writeNetwork.indyNamespace}:${dest}`
      const verkey = await tenants.withTenant(walletId, async (tenantAgent) => {
        for (const did of [issuerId, `did:sov:${dest}`]) {
          const [record] = await tenantAgent.dids.getCreatedDids({ did })
          const found = record?.didDocument?.verificationMethod?.[0]?.publicKeyBase58
          if (found) return found
        }
        throw badRequest(field, `${given} is not a DID of this wallet`)
      })
      await requireTaaAcceptance(writePool(), walletId, acceptanceOf)
      const nothingToUndo = async () => undefined
      const prepare = async (tenantAgent: TenantAgent) => {
        if ((await tenantAgent.dids.getCreatedDids({ did: issuerId })).length > 0) return nothingToUndo
        const key = Key.fromPublicKeyBase58(verkey, KeyType.Ed25519)
        const keyId = `${issuerId}#verkey`
        const didDocument = new DidDocumentBuilder(issuerId)
          .addVerificationMethod(getEd25519VerificationKey2018({ key, id: keyId, controller: issuerId }))
          .addAuthentication(keyId)
          .addAssertionMethod(keyId)
          .build()
        try {
          await tenantAgent.dids.import({ did: issuerId, didDocument })
        } catch (error) {
          // Two first publishes at once: the other one kept it already (and undoes it if refused).
          if ((await tenantAgent.dids.getCreatedDids({ did: issuerId })).length === 0) throw error
          return nothingToUndo
        }
        return async () => {
          const repository = tenantAgent.dependencyManager.resolve(DidRepository)
          for (const record of await tenantAgent.dids.getCreatedDids({ did: issuerId })) await repository.delete(tenantAgent.context, record)
        }
      }
      return { issuerId, legacy: !namespace, prepare }
    },

    /** The network writes go to, if any is configured. */
    writeNetwork: (): IndyNetwork | undefined => writeNetwork,

    /** The configured networks, the write ledger first. */
    networks(): IndyNetwork[] {
      writePool()
      return networks
    },
  }
}

export type LedgerService = ReturnType<typeof ledgerService>

