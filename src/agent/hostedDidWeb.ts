// The did:web documents and AnonCreds objects Credence hosts for its tenants, as the agent sees
// them, kept in the relational store (open before the agent). Resolution and registry lookups of a hosted DID are
// answered from here, without an HTTP round trip to ourselves: that is what lets one Credence,
// started with no ledger and no internet, issue under its tenants' did:web.
import type { Store } from '../store/db'

export type AnonCredsResourceKind = 'schema' | 'credDef' | 'revRegDef'

export interface HostedResource {
  resource: Record<string, unknown>
  resourceMetadata: Record<string, unknown>
}

export class HostedDidWeb {
  /** Without a store (an agent opened outside a server, as in tests) nothing is hosted. */
  constructor(private readonly store?: Store) {}

  private get db(): Store {
    if (!this.store) throw new Error('no relational store: this agent hosts no did:web')
    return this.store
  }

  /** The wallet hosting `did`, when Credence hosts it. */
  public async ownerOf(did: string): Promise<string | undefined> {
    if (!this.store) return undefined
    const row = await this.store.get<{ wallet_id: string }>('SELECT wallet_id FROM hosted_dids WHERE did = ?', [did])
    return row?.wallet_id
  }

  /** Starts hosting `did`'s document for `walletId`. */
  public async keepDocument(did: string, walletId: string, document: Record<string, unknown>): Promise<void> {
    await this.db.run('INSERT INTO hosted_dids (did, wallet_id, document, created_at) VALUES (?, ?, ?, ?)', [
      did,
      walletId,
      JSON.stringify(document),
      new Date().toISOString(),
    ])
  }

  public async document(did: string): Promise<Record<string, unknown> | undefined> {
    if (!this.store) return undefined
    const row = await this.store.get<{ document: string }>('SELECT document FROM hosted_dids WHERE did = ?', [did])
    return row ? JSON.parse(row.document) : undefined
  }

  public async keepResource(did: string, relativeRef: string, walletId: string, resource: Record<string, unknown>, extraMetadata: Record<string, unknown> = {}): Promise<void> {
    const metadata = { created: new Date().toISOString(), ...extraMetadata }
    await this.db.run(
      `INSERT INTO anoncreds_resources (did, relative_ref, wallet_id, resource, resource_metadata, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (did, relative_ref) DO NOTHING`,
      [did, relativeRef, walletId, JSON.stringify(resource), JSON.stringify(metadata), metadata.created],
    )
  }

  public async resource(did: string, relativeRef: string): Promise<HostedResource | undefined> {
    if (!this.store) return undefined
    const row = await this.store.get<{ resource: string; resource_metadata: string }>(
      'SELECT resource, resource_metadata FROM anoncreds_resources WHERE did = ? AND relative_ref = ?',
      [did, relativeRef],
    )
    return row ? { resource: JSON.parse(row.resource), resourceMetadata: JSON.parse(row.resource_metadata) } : undefined
  }

  /**
   * Keeps a new revocation status list of a hosted registry definition and returns its timestamp:
   * now, or one second after the latest, so every list keeps its own place in the history.
   */
  public async keepStatusList(revRegDefId: string, walletId: string, list: Record<string, unknown>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const latest = await tx.get<{ timestamp: number }>(
        'SELECT MAX(timestamp) AS timestamp FROM revocation_status_lists WHERE rev_reg_def_id = ?',
        [revRegDefId],
      )
      const timestamp = Math.max(Math.floor(Date.now() / 1000), Number(latest?.timestamp ?? 0) + 1)
      await tx.run('INSERT INTO revocation_status_lists (rev_reg_def_id, timestamp, wallet_id, list, created_at) VALUES (?, ?, ?, ?, ?)', [
        revRegDefId,
        timestamp,
        walletId,
        JSON.stringify({ ...list, timestamp }),
        new Date().toISOString(),
      ])
      return timestamp
    })
  }

  /** The status list of a hosted registry definition in force at `timestamp`: the latest not after it. */
  public async statusList(revRegDefId: string, timestamp: number): Promise<HostedResource | undefined> {
    if (!this.store) return undefined
    const row = await this.store.get<{ list: string; timestamp: number }>(
      'SELECT list, timestamp FROM revocation_status_lists WHERE rev_reg_def_id = ? AND timestamp <= ? ORDER BY timestamp DESC LIMIT 1',
      [revRegDefId, timestamp],
    )
    if (!row) return undefined
    const next = await this.store.get<{ timestamp: number }>(
      'SELECT MIN(timestamp) AS timestamp FROM revocation_status_lists WHERE rev_reg_def_id = ? AND timestamp > ?',
      [revRegDefId, row.timestamp],
    )
    return {
      resource: JSON.parse(row.list),
      resourceMetadata: { timestamp: Number(row.timestamp), ...(next?.timestamp ? { nextTimestamp: Number(next.timestamp) } : {}) },
    }
  }
}
