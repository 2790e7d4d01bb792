// Schema migrations, applied in order at boot inside one transaction each. A migration is never
// edited once released; add a new one. Each has SQL per dialect where the two differ.
import type { Store } from './db'

/** Arbitrary but fixed: the advisory lock id Credence's migrations hold on PostgreSQL. */
const MIGRATION_LOCK = 7_246_001

interface Migration {
  id: number
  name: string
  sql: { sqlite: string; postgres: string } | string
}

/** Migration 3's tables; the dialects differ only in how the outbox numbers its rows. */
const didcommTables = (serialId: string) => `
  CREATE TABLE webhook_outbox (
    id ${serialId},
    wallet_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    target TEXT NOT NULL,
    topic TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at);
  CREATE INDEX webhook_outbox_target ON webhook_outbox (scope, wallet_id, target, id);
  CREATE TABLE hosted_dids (
    did TEXT PRIMARY KEY,
    wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE short_links (
    code TEXT PRIMARY KEY,
    wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
    oob_id TEXT NOT NULL,
    invitation_url TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX short_links_oob ON short_links (wallet_id, oob_id);
  ALTER TABLE wallets ADD COLUMN public_did TEXT`

/** Migration 7's tables; the dialects differ only in how integer ids are made. */
const controllerTables = (serialId: string) => `
  CREATE TABLE controller_invitations (
    invitation_id ${serialId},
    wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
    oob_id TEXT NOT NULL,
    invitation_msg_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    invitation_type TEXT NOT NULL,
    handshake_protocol TEXT,
    alias TEXT,
    invitation_mode TEXT NOT NULL,
    accept TEXT NOT NULL,
    public INTEGER NOT NULL,
    invitation_role TEXT,
    invitation_label TEXT,
    workflow_status TEXT NOT NULL,
    description TEXT,
    active_starting_at TEXT NOT NULL,
    active_ending_at TEXT,
    uses_allowed INTEGER,
    uses_total INTEGER NOT NULL DEFAULT 0,
    invitation_url TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX controller_invitations_oob ON controller_invitations (wallet_id, oob_id);
  CREATE INDEX controller_invitations_contact ON controller_invitations (wallet_id, contact_id);
  CREATE TABLE controller_contacts (
    wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (wallet_id, contact_id)
  );
  CREATE TABLE controller_connection_uses (
    wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL,
    invitation_id BIGINT NOT NULL,
    contact_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (wallet_id, connection_id)
  );
  CREATE TABLE controller_messages (
    id ${serialId},
    wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
    message_id TEXT,
    contact_id TEXT,
    invitation_id BIGINT,
    connection_id TEXT,
    message TEXT NOT NULL,
    state TEXT NOT NULL,
    sent_time TEXT,
    error_msg TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX controller_messages_waiting ON controller_messages (state, wallet_id)`

/** Migration 8's table; the dialects differ only in how integer ids are made. */
const requestRecordsTable = (serialId: string) => `
  CREATE TABLE controller_requests (
    request_id ${serialId},
    wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    contact_id TEXT,
    invitation_id BIGINT,
    rule TEXT NOT NULL,
    timeout INTEGER NOT NULL,
    input TEXT NOT NULL,
    meta_data TEXT,
    connection_id TEXT,
    exchange_ids TEXT NOT NULL,
    current_exchange_id TEXT,
    state TEXT,
    complete INTEGER NOT NULL,
    result INTEGER NOT NULL,
    result_string TEXT NOT NULL,
    result_data TEXT,
    error TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX controller_requests_open ON controller_requests (complete, wallet_id);
  CREATE INDEX controller_requests_exchange ON controller_requests (wallet_id, current_exchange_id)`

/** Migration 9's table; the dialects differ only in the integer type of the id it keeps. */
const webhookDeliveriesTable = (id: string) => `
  CREATE TABLE webhook_deliveries (
    id ${id} PRIMARY KEY,
    wallet_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    target TEXT NOT NULL,
    topic TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT NOT NULL
  );
  CREATE INDEX webhook_deliveries_wallet ON webhook_deliveries (wallet_id, id);
  CREATE INDEX webhook_deliveries_delivered ON webhook_deliveries (delivered_at)`

const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'wallets',
    sql: `
      CREATE TABLE wallets (
        wallet_id TEXT PRIMARY KEY,
        wallet_name TEXT NOT NULL UNIQUE,
        label TEXT,
        image_url TEXT,
        key_management_mode TEXT NOT NULL,
        wallet_type TEXT NOT NULL,
        webhook_urls TEXT NOT NULL,
        dispatch_type TEXT NOT NULL,
        extra_settings TEXT NOT NULL,
        jwt_iat BIGINT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
  },
  {
    id: 2,
    name: 'api_keys',
    // Only the HMAC of a key is kept; the key itself is shown once and never stored.
    sql: `
      CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY,
        wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        roles TEXT NOT NULL,
        key_hmac TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        expires_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (wallet_id, name)
      );
      CREATE INDEX api_keys_wallet ON api_keys (wallet_id)`,
  },
  {
    id: 3,
    name: 'didcomm',
    // The webhook outbox (one row per event and target, deleted once delivered), the did:web
    // documents Credence hosts for its tenants, short invitation links, and the tenant's public DID.
    sql: {
      sqlite: didcommTables('INTEGER PRIMARY KEY AUTOINCREMENT'),
      postgres: didcommTables('BIGSERIAL PRIMARY KEY'),
    },
  },
  {
    id: 4,
    name: 'anoncreds_resources',
    // AnonCreds schemas and credential definitions published under a did:web Credence hosts,
    // addressed as the did:web AnonCreds method does: the DID plus a relative reference.
    sql: `
      CREATE TABLE anoncreds_resources (
        did TEXT NOT NULL REFERENCES hosted_dids (did) ON DELETE CASCADE,
        relative_ref TEXT NOT NULL,
        wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
        resource TEXT NOT NULL,
        resource_metadata TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (did, relative_ref)
      )`,
  },
  {
    id: 5,
    name: 'ledger_taa_acceptances',
    // A wallet's acceptance of an Indy ledger's transaction author agreement, per ledger: ACA-Py
    // keeps it per wallet, and one tenant never writes on another's acceptance.
    sql: `
      CREATE TABLE ledger_taa_acceptances (
        wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
        indy_namespace TEXT NOT NULL,
        version TEXT NOT NULL,
        digest TEXT NOT NULL,
        mechanism TEXT NOT NULL,
        accepted_at BIGINT NOT NULL,
        PRIMARY KEY (wallet_id, indy_namespace)
      )`,
  },
  {
    id: 6,
    name: 'jsonld_contexts',
    // JSON-LD contexts a wallet uploaded so its credentials can be signed and verified offline.
    // Per wallet: a context is content the tenant vouches for, and another tenant may disagree.
    sql: `
      CREATE TABLE jsonld_contexts (
        wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        document TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (wallet_id, url)
      )`,
  },
  {
    id: 7,
    name: 'controller_workflow',
    // The controller API's own records (seed 003): invitations with workflow rules (integer ids),
    // contacts, which connection used which invitation (so a use is counted once), and message
    // request records, sent, waiting for a connection, or received.
    sql: {
      sqlite: controllerTables('INTEGER PRIMARY KEY AUTOINCREMENT'),
      postgres: controllerTables('BIGSERIAL PRIMARY KEY'),
    },
  },
  {
    id: 8,
    name: 'controller_requests',
    // The controller API's issuance and verification request records (seed 003): what to do, for
    // whom (contact or invitation), the exchange started for it and how it ended.
    sql: {
      sqlite: requestRecordsTable('INTEGER PRIMARY KEY AUTOINCREMENT'),
      postgres: requestRecordsTable('BIGSERIAL PRIMARY KEY'),
    },
  },
  {
    id: 9,
    name: 'webhook_deliveries',
    // The webhook delivery log: an outbox row moves here, under its id, once its target took it,
    // and is pruned after CREDENCE_WEBHOOK_LOG_HOURS. Like the outbox it outlives a deleted wallet
    // (until pruned), so it has no foreign key. The id is the outbox's, not a new sequence.
    sql: {
      sqlite: webhookDeliveriesTable('INTEGER'),
      postgres: webhookDeliveriesTable('BIGINT'),
    },
  },
  {
    id: 10,
    name: 'event_ids_and_recovery',
    // Each event has an id, the same on every delivery of it (rows queued before this have none and
    // are sent under their row id). event_marks holds the last state of each record that went to the
    // outbox, written in the same transaction; server_runs says whether the last run stopped cleanly.
    // After one that did not, the records changed since it started are compared with their marks and
    // what the outbox missed is sent (events/recovery.ts).
    sql: `
      ALTER TABLE webhook_outbox ADD COLUMN event_id TEXT;
      ALTER TABLE webhook_deliveries ADD COLUMN event_id TEXT;
      CREATE TABLE event_marks (
        wallet_id TEXT NOT NULL,
        record_kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (wallet_id, record_kind, record_id)
      );
      CREATE TABLE server_runs (
        run_id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        stopped_at TEXT
      )`,
  },
  {
    id: 11,
    name: 'anoncreds_revocation',
    // Revocation status lists published under a hosted did:web, every one kept (a proof names the
    // moment it was made at). revocation_registries is the issuer's side of a registry: its state
    // in the rotation and the next free index, taken by one atomic UPDATE so that concurrent
    // issuances, in one process or several, never share one. issued_credential_revocations is
    // ACA-Py's IssuerCredRevRecord: which index went to which exchange, and whether it is revoked
    // (or waits, pending, to be published as revoked).
    sql: `
      CREATE TABLE revocation_status_lists (
        rev_reg_def_id TEXT NOT NULL,
        timestamp BIGINT NOT NULL,
        wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
        list TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (rev_reg_def_id, timestamp)
      );
      CREATE TABLE revocation_registries (
        rev_reg_id TEXT PRIMARY KEY,
        wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
        cred_def_id TEXT NOT NULL,
        issuer_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        state TEXT NOT NULL,
        max_cred_num INTEGER NOT NULL,
        next_index INTEGER NOT NULL,
        tails_hash TEXT NOT NULL,
        tails_public_uri TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX revocation_registries_by_cred_def ON revocation_registries (wallet_id, cred_def_id, state);
      CREATE INDEX revocation_registries_by_tails ON revocation_registries (tails_hash);
      CREATE TABLE issued_credential_revocations (
        record_id TEXT PRIMARY KEY,
        wallet_id TEXT NOT NULL REFERENCES wallets (wallet_id) ON DELETE CASCADE,
        rev_reg_id TEXT NOT NULL REFERENCES revocation_registries (rev_reg_id) ON DELETE CASCADE,
        cred_rev_id INTEGER NOT NULL,
        cred_def_id TEXT NOT NULL,
        cred_ex_id TEXT,
        state TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (rev_reg_id, cred_rev_id)
      );
      CREATE INDEX issued_credential_revocations_by_exchange ON issued_credential_revocations (wallet_id, cred_ex_id)`,
  },
  {
    id: 12,
    name: 'revocation_notifications',
    // Whom to tell when a revocation is published (revoke's notify, notify_version, connection_id,
    // thread_id, comment): kept with the revocation, so one left pending is still told when published.
    sql: `
      ALTER TABLE issued_credential_revocations ADD COLUMN notify TEXT`,
  },
]

/**
 * Applies what is missing, all in one transaction. On PostgreSQL an advisory lock makes a second
 * process that boots at the same moment wait and then find nothing left to do; on SQLite the
 * transaction's write lock does the same.
 */
export async function migrate(store: Store): Promise<number[]> {
  return store.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?) AS locked', [MIGRATION_LOCK])
    await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
    const done = new Set((await tx.all<{ id: number }>('SELECT id FROM schema_migrations')).map((row) => Number(row.id)))
    const ran: number[] = []
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue
      const sql = typeof migration.sql === 'string' ? migration.sql : migration.sql[tx.dialect]
      for (const statement of sql.split(/;\s*$/m).filter((s) => s.trim())) await tx.run(statement)
      await tx.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)', [
        migration.id,
        migration.name,
        new Date().toISOString(),
      ])
      ran.push(migration.id)
    }
    return ran
  })
}
