// DIDs a tenant uses for DIDComm: did:key, did:peer (2 and 4), and did:web, including did:web
// documents Credence hosts itself (served on the public inbound port, see publicRoutes.ts), plus
// the tenant's "public DID" (ACA-Py's notion; Credo has none, so the wallet row keeps it: store/wallets.ts).
//
// Every key a DIDComm message can be addressed to must be routable to its tenant: Credo's tenants
// module only learns keys it made through its routing service (reference R5), so keys of DIDs made
// here are registered for routing directly.
import {
  DidCommV1Service,
  DidDocumentBuilder,
  DidDocumentService,
  DidKey,
  getEd25519VerificationKey2018,
  getKeyFromVerificationMethod,
  createPeerDidDocumentFromServices,
  getNumAlgoFromPeerDid,
  isValidPeerDid,
  Key,
  KeyType,
  PeerDidNumAlgo,
  TypedArrayEncoder,
  WalletKeyExistsError,
  type DidRecord,
  type CheqdDidCreateOptions,
} from '../agent/credo'
import { TenantRoutingRecord, TenantRoutingRepository } from '../agent/credoInternals'
import { randomBytes } from 'node:crypto'

import type { CredenceAgent } from '../agent/createAgent'
import type { HostedDidWeb } from '../agent/hostedDidWeb'
import { badRequest, forbidden, notFoundError, notImplemented, peerUnavailable } from '../errors'
import type { Store } from '../store/db'
import { wallets } from '../store/wallets'
import type { LedgerService } from './ledger'
import type { TenantAgent, TenantService } from './tenants'

export type DidMethodName = 'sov' | 'key' | 'web' | 'did:peer:2' | 'did:peer:4'

/** An Indy-style DID without its method, as ACA-Py shows did:sov DIDs. */
const UNQUALIFIED_DID = /^[1-9A-HJ-NP-Za-km-z]{21,22}$/

/** did:sov DIDs are named unqualified in ACA-Py's API and qualified in Credo. */
export const qualifyDid = (did: string) => (UNQUALIFIED_DID.test(did) ? `did:sov:${did}` : did)
const unqualifySov = (did: string) => (did.startsWith('did:sov:') ? did.slice('did:sov:'.length) : did)

/** ACA-Py's seed: 32 characters, or base64 of 32 bytes. */
function seedBytes(seed: string) {
  if (seed.length === 32) return TypedArrayEncoder.fromString(seed)
  const decoded = /^[A-Za-z0-9+/]{43}=$/.test(seed) ? TypedArrayEncoder.fromBase64(seed) : undefined
  if (decoded?.length === 32) return decoded
  throw badRequest('seed', 'A seed is 32 characters or the base64 of 32 bytes')
}
export type DidPosture = 'public' | 'posted' | 'wallet_only'

/** A DID of the wallet, in the terms of ACA-Py's DIDInfo. */
export interface WalletDid {
  did: string
  verkey: string
  posture: DidPosture
  method: string
  keyType: 'ed25519'
  metadata: Record<string, unknown>
}

/** DIDComm message types our DID documents say we accept (AIP 1 and AIP 2 envelopes). */
const DIDCOMM_ACCEPT = ['didcomm/aip1', 'didcomm/aip2;env=rfc19']

export function didMethodOf(did: string): string {
  if (isValidPeerDid(did)) return `did:peer:${getNumAlgoFromPeerDid(did)}`
  return did.split(':')[1] ?? 'unknown'
}

/** The verkey of a DID we created: from its routing-key tags, did:key itself, or its document. */
function verkeyOf(record: DidRecord): string | undefined {
  const fingerprint = record.getTags().recipientKeyFingerprints?.[0]
  if (fingerprint) return Key.fromFingerprint(fingerprint).publicKeyBase58
  if (record.did.startsWith('did:key:')) return DidKey.fromDid(record.did).key.publicKeyBase58
  const method = record.didDocument?.verificationMethod?.[0]
  if (!method) return undefined
  try {
    // Also a multibase or JWK key (did:cheqd's Ed25519VerificationKey2020).
    return getKeyFromVerificationMethod(method).publicKeyBase58
  } catch {
    return undefined
  }
}

/** `did:web` host part for documents served at the origin of CREDENCE_ENDPOINT. */
export function hostedDidWebPrefix(endpoint: string): string {
  return `did:web:${encodeURIComponent(new URL(endpoint).host)}`
}

/** The wallet's public DID (qualified), kept in its wallet row: Credo has no such notion. */
export async function publicDidOf(store: Store, walletId: string): Promise<string | undefined> {
  return wallets(store).publicDid(walletId)
}

export function didService(deps: {
  agent: CredenceAgent
  tenants: TenantService
  store: Store
  hosted: HostedDidWeb
  endpoint: string
  ledger: Pick<LedgerService, 'announcePublicDid'>
  /** The cheqd networks configured (CREDENCE_CHEQD_NETWORKS). */
  cheqdNetworks: string[]
}) {
  const { agent, tenants, store, hosted, endpoint, ledger, cheqdNetworks } = deps
  const routingRepository = agent.dependencyManager.resolve(TenantRoutingRepository)

  /** Makes messages encrypted for `key` reach this tenant. Idempotent: a key is registered once. */
  async function routeKeyToTenant(walletId: string, key: Key): Promise<void> {
    if (await routingRepository.findByRecipientKey(agent.context, key)) return
    await routingRepository.save(
      agent.context,
      new TenantRoutingRecord({ tenantId: walletId, recipientKeyFingerprint: key.fingerprint }),
    )
  }

  function webDidDocument(did: string, key: Key, hosted: boolean) {
    const keyId = `${did}#key-1`
    const builder = new DidDocumentBuilder(did)
      .addContext('https://w3id.org/security/suites/ed25519-2018/v1')
      .addVerificationMethod(getEd25519VerificationKey2018({ key, id: keyId, controller: did }))
      .addAuthentication(keyId)
      .addAssertionMethod(keyId)
      .addService(
        new DidCommV1Service({
          id: `${did}#did-communication`,
          serviceEndpoint: endpoint,
          recipientKeys: [keyId],
          routingKeys: [],
          accept: DIDCOMM_ACCEPT,
          priority: 0,
        }),
      )
    // The did:web AnonCreds method finds objects at `<#anoncreds endpoint><relativeRef>`.
    if (hosted) {
      builder.addService(
        new DidDocumentService({ id: `${did}#anoncreds`, type: 'AnonCredsRegistry', serviceEndpoint: `${hostedPathUrl(did)}/anoncreds` }),
      )
    }
    return builder.build()
  }

  /** The public URL of a hosted did:web's path: did:web:<host>:wallets:<id> → <origin>/wallets/<id>. */
  function hostedPathUrl(did: string): string {
    return `${new URL(endpoint).origin}/${did.slice(hostedDidWebPrefix(endpoint).length + 1).split(':').join('/')}`
  }

  async function nextHostedDidWeb(walletId: string): Promise<string> {
    const base = `${hostedDidWebPrefix(endpoint)}:wallets:${walletId}`
    return (await hosted.ownerOf(base)) ? `${base}:${randomBytes(6).toString('hex')}` : base
  }

  async function createWeb(tenantAgent: TenantAgent, walletId: string, givenDid?: string): Promise<string> {
    if (givenDid !== undefined && !/^did:web:[^:]+(:[^:]+)*$/.test(givenDid)) {
      throw badRequest('did', `${givenDid} is not a did:web`)
    }
    if (givenDid && (await tenantAgent.dids.getCreatedDids({ did: givenDid })).length > 0) {
      throw badRequest('did', `${givenDid} already exists in this wallet`)
    }
    const did = givenDid ?? (await nextHostedDidWeb(walletId))
    const key = await tenantAgent.wallet.createKey({ keyType: KeyType.Ed25519 })
    const didDocument = webDidDocument(did, key, !givenDid)
    if (!givenDid) {
      // Hosted: written before Credo learns of it, so the document is served as soon as the DID exists.
      await hosted.keepDocument(did, walletId, didDocument.toJSON())
    }
    await tenantAgent.dids.import({ did, didDocument })
    await routeKeyToTenant(walletId, key)
    return did
  }

  /** A did:sov kept in the wallet only (ACA-Py posture wallet_only): no ledger is written. */
  async function createSov(tenantAgent: TenantAgent, walletId: string, seed?: string): Promise<string> {
    let key: Key
    try {
      key = await tenantAgent.wallet.createKey({ keyType: KeyType.Ed25519, ...(seed ? { privateKey: seedBytes(seed) } : {}) })
    } catch (error) {
      if (error instanceof WalletKeyExistsError) throw badRequest('seed', 'DID already present in wallet')
      throw error
    }
    const did = `did:sov:${TypedArrayEncoder.toBase58(key.publicKey.slice(0, 16))}`
    const keyId = `${did}#key-1`
    const didDocument = new DidDocumentBuilder(did)
      .addVerificationMethod(getEd25519VerificationKey2018({ key, id: keyId, controller: did }))
      .addAuthentication(keyId)
      .addAssertionMethod(keyId)
      .build()
    await tenantAgent.dids.import({ did, didDocument })
    await routeKeyToTenant(walletId, key)
    return did
  }

  async function createPeer(tenantAgent: TenantAgent, walletId: string, numAlgo: 2 | 4): Promise<string> {
    const key = await tenantAgent.wallet.createKey({ keyType: KeyType.Ed25519 })
    const didDocument = createPeerDidDocumentFromServices([
      { id: '#inline-0', serviceEndpoint: endpoint, recipientKeys: [key], routingKeys: [] },
    ])
    const result = await tenantAgent.dids.create({
      method: 'peer',
      didDocument,
      options: {
        numAlgo: numAlgo === 2 ? PeerDidNumAlgo.MultipleInceptionKeyWithoutDoc : PeerDidNumAlgo.ShortFormAndLongForm,
      },
    })
    const did = result.didState.did
    if (result.didState.state !== 'finished' || !did) throw new Error(`did:peer:${numAlgo} creation failed: ${result.didState.state}`)
    await routeKeyToTenant(walletId, key)
    return did
  }

  function toWalletDid(record: DidRecord, publicDid: string | undefined): WalletDid {
    const did = record.did
    return {
      did: unqualifySov(did),
      verkey: verkeyOf(record) ?? '',
      posture: did === publicDid ? 'public' : 'wallet_only',
      method: didMethodOf(did),
      keyType: 'ed25519',
      metadata: {},
    }
  }

  async function findCreated(tenantAgent: TenantAgent, did: string): Promise<DidRecord> {
    const [record] = await tenantAgent.dids.getCreatedDids({ did })
    if (!record) throw notFoundError(`DID ${did} is not in this wallet`)
    return record
  }

  return {
    routeKeyToTenant,

    /** Creates a DID of `method` in the wallet (ACA-Py /wallet/did/create). */
    async create(walletId: string, input: { method: DidMethodName; keyType: string; did?: string; seed?: string }): Promise<WalletDid> {
      if (input.keyType !== 'ed25519') throw forbidden(`Key type ${input.keyType} is not supported for method ${input.method}`)
      if (input.did !== undefined && input.method !== 'web') {
        throw badRequest('did', `A DID may be given only for method web, not ${input.method}`)
      }
      if (input.seed !== undefined && input.method !== 'sov') throw badRequest('seed', `A seed is taken only for method sov`)
      return tenants.withTenant(walletId, async (tenantAgent) => {
        let did: string
        if (input.method === 'web') did = await createWeb(tenantAgent, walletId, input.did)
        else if (input.method === 'sov') did = await createSov(tenantAgent, walletId, input.seed)
        else if (input.method === 'key') {
          const result = await tenantAgent.dids.create({ method: 'key', options: { keyType: KeyType.Ed25519 } })
          if (!result.didState.did) throw new Error(`did:key creation failed: ${result.didState.state}`)
          did = result.didState.did
        } else did = await createPeer(tenantAgent, walletId, input.method === 'did:peer:2' ? 2 : 4)
        return toWalletDid(await findCreated(tenantAgent, did), await publicDidOf(store, walletId))
      })
    },

    /**
     * A did:cheqd written to the chosen cheqd network (ACA-Py's POST /did/cheqd/create), its
     * fees paid by the server's cosmos payer account. Its key is routable like any DID of ours.
     */
    async createCheqd(walletId: string, network: 'testnet' | 'mainnet'): Promise<WalletDid> {
      if (!cheqdNetworks.includes(network)) {
        throw notImplemented(`cheqd ${network} is not configured here (CREDENCE_CHEQD_NETWORKS=${cheqdNetworks.join(',') || 'unset'})`)
      }
      return tenants.withTenant(walletId, async (tenantAgent) => {
        const result = await tenantAgent.dids.create<CheqdDidCreateOptions>({
          method: 'cheqd',
          secret: { verificationMethod: { id: 'key-1', type: 'Ed25519VerificationKey2020' } },
          options: { network },
        })
        const { didState } = result
        if (didState.state !== 'finished' || !didState.did) {
          const reason = 'reason' in didState ? String(didState.reason) : didState.state
          // The network refused the transaction (no funds, a fee too low) or could not be reached.
          throw peerUnavailable(`The cheqd ${network} network did not take the DID: ${reason}`)
        }
        const record = await findCreated(tenantAgent, didState.did)
        const verkey = record.didDocument?.verificationMethod?.[0]
        const key = verkey ? getKeyFromVerificationMethod(verkey) : undefined
        if (key) await routeKeyToTenant(walletId, key)
        return toWalletDid(record, await publicDidOf(store, walletId))
      })
    },

    /** A fresh did:peer for one connection (ACA-Py `use_did_method`). */
    createPeer(walletId: string, numAlgo: 2 | 4): Promise<string> {
      return tenants.withTenant(walletId, (tenantAgent) => createPeer(tenantAgent, walletId, numAlgo))
    },

    async list(walletId: string, filter: { did?: string; method?: string; posture?: DidPosture; verkey?: string }): Promise<WalletDid[]> {
      const publicDid = await publicDidOf(store, walletId)
      const records = await tenants.withTenant(walletId, (tenantAgent) =>
        tenantAgent.dids.getCreatedDids(filter.did ? { did: qualifyDid(filter.did) } : {}),
      )
      const order: Record<DidPosture, number> = { public: 0, posted: 1, wallet_only: 2 }
      return records
        .map((record) => toWalletDid(record, publicDid))
        .filter((info) => (!filter.method || info.method === filter.method) && (!filter.posture || info.posture === filter.posture))
        .filter((info) => !filter.verkey || info.verkey === filter.verkey)
        .sort((a, b) => order[a.posture] - order[b.posture] || a.did.localeCompare(b.did))
    },

    async getPublic(walletId: string): Promise<WalletDid | undefined> {
      const publicDid = await publicDidOf(store, walletId)
      if (!publicDid) return undefined
      const [record] = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.dids.getCreatedDids({ did: publicDid }))
      return record && toWalletDid(record, publicDid)
    },

    publicDidOf: (walletId: string) => publicDidOf(store, walletId),

    /**
     * The DID a tenant uses for an invitation or a request, as ACA-Py's options choose it: a DID of
     * the wallet (`use_did`), its public DID, or a fresh did:peer:2/4; undefined lets Credo pick.
     */
    async ownDidFor(walletId: string, choice: { useDid?: string; usePublicDid?: boolean; useDidMethod?: 2 | 4 }): Promise<string | undefined> {
      if (choice.useDid) {
        const known = await tenants.withTenant(walletId, (tenantAgent) => tenantAgent.dids.getCreatedDids({ did: choice.useDid }))
        if (known.length === 0) throw badRequest('useDid', `DID ${choice.useDid} is not in this wallet`)
        return choice.useDid
      }
      if (choice.usePublicDid) {
        const publicDid = await publicDidOf(store, walletId)
        if (!publicDid) throw badRequest('usePublicDid', 'This wallet has no public DID; set one with POST /wallet/did/public')
        return publicDid
      }
      if (choice.useDidMethod) return tenants.withTenant(walletId, (tenantAgent) => createPeer(tenantAgent, walletId, choice.useDidMethod!))
      return undefined
    },

    /** Makes a DID of the wallet its public DID; its key becomes routable for implicit invitations. */
    async setPublic(walletId: string, given: string): Promise<WalletDid> {
      const did = qualifyDid(given)
      const record = await tenants.withTenant(walletId, (tenantAgent) => findCreated(tenantAgent, did))
      const verkey = verkeyOf(record)
      if (!verkey) throw badRequest('did', `DID ${did} has no key Credence can route messages to`)
      await ledger.announcePublicDid(walletId, did, verkey, endpoint)
      await routeKeyToTenant(walletId, Key.fromPublicKey(TypedArrayEncoder.fromBase58(verkey), KeyType.Ed25519))
      await wallets(store).setPublicDid(walletId, did)
      return toWalletDid(record, did)
    },

  }
}

export type DidService = ReturnType<typeof didService>
