// A cheqd node's RPC interface on loopback, for tests: no cheqd network runs here and no public one
// is reachable. Credence's cheqd module (Credo, the cheqd SDK, cosmjs) is real and dials this
// server over HTTP as it would dial https://rpc.cheqd.network. It answers the Tendermint JSON-RPC
// calls that reading and writing need, encoded with cheqd's and Cosmos's own protobuf types:
// `status`; `abci_query` for DID documents, DID-linked resources and the payer's account; and
// `broadcast_tx_sync` + `tx_search` for transactions. A broadcast transaction is decoded and its
// MsgCreateDidDoc / MsgCreateResource kept, so what Credence writes is what it reads back. Fees
// are not charged, and the DID-key signatures inside a message are not checked (a cheqd node
// checks them; here they are only carried). With `funded = false`, the payer's account is unknown
// to the chain (never funded) and a broadcast is refused at CheckTx for want of funds. Not-found answers carry a non-zero code and
// the node's log line.
import * as didProto from '@cheqd/ts-proto/cheqd/did/v2/index'
import { type DidDoc, Metadata as DidMetadata, QueryAllDidDocVersionsMetadataResponse, QueryDidDocResponse } from '@cheqd/ts-proto/cheqd/did/v2/index'
import * as resourceProto from '@cheqd/ts-proto/cheqd/resource/v2/index'
import {
  Metadata as ResourceMetadata,
  QueryCollectionResourcesResponse,
  QueryResourceMetadataResponse,
  QueryResourceResponse,
} from '@cheqd/ts-proto/cheqd/resource/v2/index'
import { MsgCreateDidDoc } from '@cheqd/ts-proto/cheqd/did/v2/tx'
import { MsgCreateResource } from '@cheqd/ts-proto/cheqd/resource/v2/tx'
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth'
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query'
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx'
import { Long } from 'cosmjs-types/helpers'
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

// @cheqd/ts-proto 2.3.2 (the version Credo's cheqd module uses) declares its request messages as
// Query*Get*Request, while its JavaScript exports them as Query*Request; the JavaScript is what runs.
type Decoder<T> = { decode(input: Uint8Array): T }
const runtime = <T>(module: object, name: string) => (module as Record<string, Decoder<T>>)[name]
const QueryDidDocRequest = runtime<{ id: string }>(didProto, 'QueryDidDocRequest')
const QueryAllDidDocVersionsMetadataRequest = runtime<{ id: string }>(didProto, 'QueryAllDidDocVersionsMetadataRequest')
const QueryResourceRequest = runtime<{ collectionId: string; id: string }>(resourceProto, 'QueryResourceRequest')
const QueryResourceMetadataRequest = runtime<{ collectionId: string; id: string }>(resourceProto, 'QueryResourceMetadataRequest')
const QueryCollectionResourcesRequest = runtime<{ collectionId: string }>(resourceProto, 'QueryCollectionResourcesRequest')

export interface StoredResource {
  metadata: ResourceMetadata
  data: Uint8Array
}

export class CheqdLedgerDouble {
  readonly didDocs = new Map<string, { didDoc: DidDoc; metadata: DidMetadata }>()
  /** Resources by `<collection id>/<resource id>`. */
  readonly resources = new Map<string, StoredResource>()
  /** The JSON-RPC methods and ABCI paths asked for, in order. */
  readonly calls: string[] = []
  /** Requests the double could not answer (a test reads these to explain a failure). */
  readonly errors: string[] = []
  /** Accepted transactions by their hash (upper-case hex), with the type URLs of their messages. */
  readonly transactions = new Map<string, { tx: Uint8Array; height: number; messages: string[] }>()
  /** False: every account is empty, and a transaction is refused for want of funds. */
  funded = true
  private readonly sequences = new Map<string, number>()
  private height = 100
  private server?: http.Server

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        res.setHeader('content-type', 'application/json')
        let request: { id?: number; method: string; params: Record<string, any> } = { method: '(unparsed)', params: {} }
        try {
          request = JSON.parse(body)
          res.end(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: this.answer(request.method, request.params ?? {}) }))
        } catch (error) {
          this.errors.push(String((error as Error).stack ?? error))
          res.end(JSON.stringify({ jsonrpc: '2.0', id: request.id ?? -1, error: { code: -32603, message: String(error) } }))
        }
      })
    })
    // Node closes idle keep-alive sockets after 5 s; a client reusing one at that moment gets a
    // reset (seen once under load). A node behind a proxy keeps them far longer.
    this.server.keepAliveTimeout = 120_000
    this.server.headersTimeout = 121_000
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise((resolve) => this.server?.close(resolve))
  }

  addDidDoc(didDoc: DidDoc): void {
    this.didDocs.set(didDoc.id, {
      didDoc,
      metadata: DidMetadata.fromPartial({ created: new Date(), deactivated: false, versionId: crypto.randomUUID() }),
    })
  }

  addResource(collectionId: string, resource: { id: string; name: string; resourceType: string; version?: string; json: unknown }): void {
    const data = new TextEncoder().encode(JSON.stringify(resource.json))
    this.resources.set(`${collectionId}/${resource.id}`, {
      data,
      metadata: ResourceMetadata.fromPartial({
        collectionId,
        id: resource.id,
        name: resource.name,
        version: resource.version ?? '',
        resourceType: resource.resourceType,
        mediaType: 'application/json',
        created: new Date(),
        checksum: createHash('sha256').update(data).digest('hex'),
      }),
    })
  }

  /** CheckTx and DeliverTx in one: the messages are applied at once, or the transaction is refused. */
  private broadcast(tx: Uint8Array) {
    const hash = txHash(tx)
    if (!this.funded) {
      return { code: 5, data: '', log: 'insufficient funds: 0ncheq is smaller than the fee: insufficient funds', codespace: 'sdk', hash }
    }
    const body = TxBody.decode(TxRaw.decode(tx).bodyBytes)
    for (const message of body.messages) {
      if (message.typeUrl === '/cheqd.did.v2.MsgCreateDidDoc') {
        const { payload } = MsgCreateDidDoc.decode(message.value)
        if (!payload) throw new Error('MsgCreateDidDoc without a payload')
        if (this.didDocs.has(payload.id)) return { code: 1101, data: '', log: `${payload.id}: DID Doc exists`, codespace: 'cheqd', hash }
        const { versionId, ...didDoc } = payload
        this.didDocs.set(payload.id, { didDoc, metadata: DidMetadata.fromPartial({ created: new Date(), deactivated: false, versionId }) })
      } else if (message.typeUrl === '/cheqd.resource.v2.MsgCreateResource') {
        const { payload } = MsgCreateResource.decode(message.value)
        if (!payload) throw new Error('MsgCreateResource without a payload')
        if (!this.didDocs.has(`did:cheqd:testnet:${payload.collectionId}`)) {
          return { code: 1200, data: '', log: `${payload.collectionId}: DID Doc not found`, codespace: 'resource', hash }
        }
        this.resources.set(`${payload.collectionId}/${payload.id}`, {
          data: payload.data,
          metadata: ResourceMetadata.fromPartial({
            collectionId: payload.collectionId,
            id: payload.id,
            name: payload.name,
            version: payload.version,
            resourceType: payload.resourceType,
            alsoKnownAs: payload.alsoKnownAs,
            mediaType: 'application/json',
            created: new Date(),
            checksum: createHash('sha256').update(payload.data).digest('hex'),
          }),
        })
      } else {
        return { code: 2, data: '', log: `unknown message type ${message.typeUrl}`, codespace: 'sdk', hash }
      }
    }
    this.transactions.set(hash, { tx, height: ++this.height, messages: body.messages.map((m) => m.typeUrl) })
    return { code: 0, data: '', log: '[]', codespace: '', hash }
  }

  private search(query: string) {
    const hash = /^tx\.hash='([0-9A-F]+)'$/.exec(query)?.[1]
    const found = hash ? this.transactions.get(hash) : undefined
    if (!found) return { txs: [], total_count: '0' }
    return {
      txs: [
        {
          hash,
          height: String(found.height),
          index: 0,
          tx: Buffer.from(found.tx).toString('base64'),
          tx_result: { code: 0, data: '', log: '[]', info: '', gas_wanted: '360000', gas_used: '120000', events: [], codespace: '' },
        },
      ],
      total_count: '1',
    }
  }

  private answer(method: string, params: Record<string, any>): unknown {
    this.calls.push(method === 'abci_query' ? params.path : method)
    if (method === 'status') return STATUS
    if (method === 'broadcast_tx_sync') return this.broadcast(Buffer.from(params.tx, 'base64'))
    if (method === 'tx_search') return this.search(String(params.query))
    if (method !== 'abci_query') throw new Error(`the cheqd double does not answer ${method}`)
    const data = Buffer.from(params.data ?? '', 'hex')
    switch (params.path) {
      case '/cheqd.did.v2.Query/DidDoc': {
        const { id } = QueryDidDocRequest.decode(data)
        const found = this.didDocs.get(id)
        if (!found) return notFound(`${id}: DID Doc not found`)
        return ok(QueryDidDocResponse.encode({ value: found }).finish())
      }
      case '/cheqd.did.v2.Query/AllDidDocVersionsMetadata': {
        const { id } = QueryAllDidDocVersionsMetadataRequest.decode(data)
        const found = this.didDocs.get(id)
        if (!found) return notFound(`${id}: DID Doc not found`)
        return ok(QueryAllDidDocVersionsMetadataResponse.encode({ versions: [found.metadata], pagination: undefined }).finish())
      }
      case '/cheqd.resource.v2.Query/Resource': {
        const { collectionId, id } = QueryResourceRequest.decode(data)
        const found = this.resources.get(`${collectionId}/${id}`)
        if (!found) return notFound(`${collectionId}:${id}: resource not found`)
        return ok(QueryResourceResponse.encode({ resource: { resource: { data: found.data }, metadata: found.metadata } }).finish())
      }
      case '/cheqd.resource.v2.Query/ResourceMetadata': {
        const { collectionId, id } = QueryResourceMetadataRequest.decode(data)
        const found = this.resources.get(`${collectionId}/${id}`)
        if (!found) return notFound(`${collectionId}:${id}: resource not found`)
        return ok(QueryResourceMetadataResponse.encode({ resource: found.metadata }).finish())
      }
      case '/cheqd.resource.v2.Query/CollectionResources': {
        const { collectionId } = QueryCollectionResourcesRequest.decode(data)
        const resources = [...this.resources.values()].filter((r) => r.metadata.collectionId === collectionId).map((r) => r.metadata)
        return ok(QueryCollectionResourcesResponse.encode({ resources, pagination: undefined }).finish())
      }
      case '/cosmos.auth.v1beta1.Query/Account': {
        const { address } = QueryAccountRequest.decode(data)
        if (!this.funded) return notFound(`account ${address} not found`)
        const account = BaseAccount.encode({ address, accountNumber: Long.fromNumber(7, true), sequence: Long.fromNumber(this.sequences.get(address) ?? 0, true) }).finish()
        return ok(QueryAccountResponse.encode({ account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value: account } }).finish())
      }
      default:
        return { response: { code: 6, log: `unknown query path ${params.path}`, height: '100', codespace: 'sdk' } }
    }
  }
}

const txHash = (tx: Uint8Array) => createHash('sha256').update(tx).digest('hex').toUpperCase()

const ok = (value: Uint8Array) => ({ response: { code: 0, log: '', info: '', index: '0', key: null, value: Buffer.from(value).toString('base64'), proofOps: null, height: '100', codespace: '' } })
const notFound = (what: string) => ({ response: { code: 5, log: `rpc error: code = NotFound desc = ${what}`, info: '', index: '0', height: '100', codespace: 'cheqd' } })

/** A status answer in the shape a CometBFT 0.37 node gives (cosmjs reads the version to pick its client). */
const STATUS = {
  node_info: {
    protocol_version: { p2p: '8', block: '11', app: '0' },
    id: '0000000000000000000000000000000000000000',
    listen_addr: 'tcp://127.0.0.1:26656',
    network: 'cheqd-testnet-6',
    version: '0.37.2',
    channels: '40202122233038606100',
    moniker: 'credence-test-double',
    other: { tx_index: 'on', rpc_address: 'tcp://127.0.0.1:26657' },
  },
  sync_info: {
    latest_block_hash: '0000000000000000000000000000000000000000000000000000000000000000',
    latest_app_hash: '0000000000000000000000000000000000000000000000000000000000000000',
    latest_block_height: '100',
    latest_block_time: new Date().toISOString(),
    earliest_block_hash: '0000000000000000000000000000000000000000000000000000000000000000',
    earliest_app_hash: '0000000000000000000000000000000000000000000000000000000000000000',
    earliest_block_height: '1',
    earliest_block_time: new Date().toISOString(),
    catching_up: false,
  },
  validator_info: {
    address: '0000000000000000000000000000000000000000',
    pub_key: { type: 'tendermint/PubKeyEd25519', value: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
    voting_power: '0',
  },
}
