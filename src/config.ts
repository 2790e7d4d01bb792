// The one configuration schema. Every setting is declared once here with its environment
// variable, default and description; `loadConfig` is called once, in main.ts, and nothing else
// reads process.env. The README's configuration table is checked against this list by a test.
import { isIP } from 'node:net'
import { z } from 'zod'

import { webhookTarget, withKeyHidden } from './webhooks/targets'

const port = z.coerce.number().int().min(0).max(65535)
const positiveInt = z.coerce.number().int().positive()
const nonNegativeInt = z.coerce.number().int().min(0)
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

interface Setting<S extends z.ZodTypeAny> {
  env: string
  schema: S
  default?: string
  description: string
  secret?: boolean
}

const setting = <T extends Setting<z.ZodTypeAny>>(s: T) => s

export const SETTINGS = {
  nodeEnv: setting({
    env: 'NODE_ENV',
    schema: z.enum(['development', 'production', 'test']),
    default: 'development',
    description: 'In `production`, missing secrets are a boot error instead of being generated.',
  }),
  label: setting({
    env: 'CREDENCE_LABEL',
    schema: z.string().min(1),
    default: 'Credence',
    description: 'Label of the base agent; default label of new tenants.',
  }),
  logLevel: setting({
    env: 'CREDENCE_LOG_LEVEL',
    schema: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
    default: 'info',
    description: 'Level of the one structured (pino) logger, which Credo also logs through.',
  }),
  logFormat: setting({
    env: 'CREDENCE_LOG_FORMAT',
    schema: z.enum(['auto', 'json', 'pretty']),
    default: 'auto',
    description:
      'How log lines are written to stdout: `json` (one pino object a line, for collectors), `pretty` (time, level, message and fields, for people) or `auto`: pretty when stdout is a terminal, JSON otherwise.',
  }),
  dataDir: setting({
    env: 'CREDENCE_DATA_DIR',
    schema: z.string().min(1),
    default: './data',
    description: 'Directory for the SQLite Askar store, generated development secrets and AnonCreds tails files.',
  }),
  databaseUrl: setting({
    env: 'CREDENCE_DATABASE_URL',
    schema: z
      .string()
      .url()
      .refine((url) => /^postgres(ql)?:$/.test(new URL(url).protocol), 'must be a postgres:// URL'),
    description:
      'When set, the Askar store lives in PostgreSQL instead of SQLite: `postgres://user:password@host:port/database` (Credence creates the database if the user may).',
  }),
  inboundHost: setting({
    env: 'CREDENCE_INBOUND_HOST',
    schema: z.string().min(1),
    default: '0.0.0.0',
    description: 'Interface the public DIDComm endpoint (HTTP and WebSocket) binds to.',
  }),
  inboundPort: setting({
    env: 'CREDENCE_INBOUND_PORT',
    schema: port,
    default: '8020',
    description: 'Port of the public DIDComm endpoint (ACA-Py default 8020).',
  }),
  endpoint: setting({
    env: 'CREDENCE_ENDPOINT',
    schema: z.string().url(),
    description:
      'DIDComm endpoint advertised in invitations and DID documents. Default `http://localhost:<inbound port>`.',
  }),
  wsEndpoint: setting({
    env: 'CREDENCE_WS_ENDPOINT',
    schema: z.string().url(),
    description: 'Optional WebSocket endpoint (`ws://` or `wss://`) advertised next to the HTTP one.',
  }),
  inboundMaxMessageBytes: setting({
    env: 'CREDENCE_INBOUND_MAX_MESSAGE_BYTES',
    schema: positiveInt,
    default: String(5 * 1024 * 1024),
    description:
      'Largest DIDComm message the public port takes, as an HTTP body or a WebSocket message (413 or close code 1009 past it).',
  }),
  inboundMaxConnectionsPerAddress: setting({
    env: 'CREDENCE_INBOUND_MAX_CONNECTIONS_PER_ADDRESS',
    schema: positiveInt,
    default: '256',
    description:
      'Open TCP connections (HTTP and WebSocket) one peer address may hold on the public port; more are closed at once. Sized for many wallets behind one carrier NAT.',
  }),
  inboundIdleTimeoutSeconds: setting({
    env: 'CREDENCE_INBOUND_IDLE_TIMEOUT_SECONDS',
    schema: positiveInt,
    default: '120',
    description:
      'A WebSocket on the public port that sends no message and answers no ping for this long is closed (pinged every half of it).',
  }),
  inboundRequestTimeoutSeconds: setting({
    env: 'CREDENCE_INBOUND_REQUEST_TIMEOUT_SECONDS',
    schema: positiveInt,
    default: '30',
    description: 'Time an HTTP request on the public port has to arrive whole (headers and body); slower ones are cut.',
  }),
  adminHost: setting({
    env: 'CREDENCE_HOST',
    schema: z.string().min(1),
    default: '127.0.0.1',
    description: 'Interface the admin API binds to.',
  }),
  adminPort: setting({
    env: 'CREDENCE_ADMIN_PORT',
    schema: port,
    default: '8021',
    description: 'Port of the admin API (ACA-Py default 8021).',
  }),
  adminInsecureMode: setting({
    env: 'CREDENCE_ADMIN_INSECURE_MODE',
    schema: bool,
    default: 'false',
    description:
      "ACA-Py's `--admin-insecure-mode`: admin routes and the admin websocket `/ws` need no admin key. For local development and ACA-Py's scenario scripts only; refused when NODE_ENV=production. Tenant routes still need their token.",
  }),
  acapyWalletType: setting({
    env: 'CREDENCE_ACAPY_WALLET_TYPE',
    schema: z.enum(['askar-anoncreds', 'askar']),
    default: 'askar-anoncreds',
    description:
      "The `wallet.type` `/status/config` reports, as ACA-Py's `--wallet-type` sets it: controllers such as acapy-controller choose the legacy routes (`askar`: `/schemas`, `/credential-definitions`, `/revocation/…`) or the AnonCreds ones (`askar-anoncreds`: `/anoncreds/…`) by it. Credence serves both families on every wallet whatever it says.",
  }),
  adminApiKey: setting({
    env: 'CREDENCE_ADMIN_API_KEY',
    schema: z.string().min(16, 'must be at least 16 characters'),
    secret: true,
    description:
      'Admin key expected in `x-api-key`. Unset in development: generated on first start, kept in the data dir, printed once. Required in production.',
  }),
  walletKey: setting({
    env: 'CREDENCE_WALLET_KEY',
    schema: z.string().min(8, 'must be at least 8 characters'),
    secret: true,
    description:
      'Key of the base Askar store. Unset in development: a raw key is generated and kept in the data dir. Required in production.',
  }),
  jwtSecret: setting({
    env: 'CREDENCE_JWT_SECRET',
    schema: z.string().min(32, 'must be at least 32 characters'),
    secret: true,
    description:
      'HS256 secret of tenant bearer tokens (ACA-Py `--jwt-secret`). Unset in development: generated and kept in the data dir. Required in production.',
  }),
  baseApiKey: setting({
    env: 'CREDENCE_BASE_API_KEY',
    schema: z.string().min(16, 'must be at least 16 characters'),
    secret: true,
    description:
      'Base API key (Proven `PROVEN_API_KEY`) for `/api/subwallet*` and `/api/apikey/*`, in `x-api-key`. Unset in development: generated, kept in the data dir, printed once. Required in production.',
  }),
  hmacSecret: setting({
    env: 'CREDENCE_HMAC_SECRET',
    schema: z.string().min(32, 'must be at least 32 characters'),
    secret: true,
    description:
      'Secret under which wallet API keys are stored as HMAC-SHA256 (the keys themselves are never stored). Unset in development: generated and kept in the data dir. Required in production.',
  }),
  walletKeyDerivation: setting({
    env: 'CREDENCE_WALLET_KEY_DERIVATION',
    schema: z.enum(['argon2i-mod', 'argon2i-int', 'raw']),
    default: 'argon2i-mod',
    description: 'How `CREDENCE_WALLET_KEY` is turned into the store key (`raw` expects an Askar raw key).',
  }),
  dbMaxConnections: setting({
    env: 'CREDENCE_DB_MAX_CONNECTIONS',
    schema: positiveInt,
    default: '20',
    description: 'Connection pool size of the Askar store, shared by all tenants (profiles).',
  }),
  tenantSessionLimit: setting({
    env: 'CREDENCE_TENANT_SESSION_LIMIT',
    schema: positiveInt,
    default: '1000',
    description:
      'Concurrent tenant sessions across all tenants (Credo default 100, which starves under bursts).',
  }),
  tenantSessionAcquireTimeoutMs: setting({
    env: 'CREDENCE_TENANT_SESSION_ACQUIRE_TIMEOUT_MS',
    schema: positiveInt,
    default: '30000',
    description: 'How long a request waits for a tenant session (Credo default 1000 ms).',
  }),
  tenantContextIdleSeconds: setting({
    env: 'CREDENCE_TENANT_CONTEXT_IDLE_SECONDS',
    schema: nonNegativeInt,
    default: '60',
    description:
      "How long a tenant's agent context stays open after its last request, so the next one skips rebuilding it (0: closed at once, as Credo does). With several processes on one store, a tenant changed by another process is seen here when its idle context expires.",
  }),
  tenantContextsIdleMax: setting({
    env: 'CREDENCE_TENANT_CONTEXTS_IDLE_MAX',
    schema: positiveInt,
    default: '100',
    description: "The most idle tenant contexts kept open (ACA-Py's profile cache holds 100); past it, the least recently used is closed.",
  }),
  gcIntervalSeconds: setting({
    env: 'CREDENCE_GC_INTERVAL_SECONDS',
    schema: nonNegativeInt,
    default: '15',
    description:
      'Seconds between full garbage collections, which free the native memory of Askar calls that V8 does not see (0: leave it to V8; RSS then grows under steady load).',
  }),
  processMessagesConcurrently: setting({
    env: 'CREDENCE_PROCESS_MESSAGES_CONCURRENTLY',
    schema: bool,
    default: 'true',
    description:
      "Credo's `processDidCommMessagesConcurrently`: the messages of one WebSocket are processed concurrently rather than one at a time (HTTP messages always are).",
  }),
  cacheSize: setting({
    env: 'CREDENCE_CACHE_SIZE',
    schema: positiveInt,
    default: '10000',
    description: 'Entries of the in-memory LRU cache (DID resolution, ledger reads) shared by tenants.',
  }),
  autoAcceptInvites: setting({
    env: 'CREDENCE_AUTO_ACCEPT_INVITES',
    schema: bool,
    default: 'false',
    description: 'Default of `auto_accept` when receiving an invitation (ACA-Py `--auto-accept-invites`).',
  }),
  autoAcceptRequests: setting({
    env: 'CREDENCE_AUTO_ACCEPT_REQUESTS',
    schema: bool,
    default: 'false',
    description: 'Default of `auto_accept` when creating an invitation (ACA-Py `--auto-accept-requests`).',
  }),
  webhookUrls: setting({
    env: 'CREDENCE_WEBHOOK_URL',
    schema: z
      .string()
      .transform((value) => value.split(',').map((url) => url.trim()).filter(Boolean))
      .pipe(z.array(webhookTarget)),
    description:
      'Base-wallet webhook targets, comma-separated (ACA-Py `--webhook-url`). `#<key>` sends `x-api-key`; `#format=envelope` selects the acapy-cloud envelope (see README, Webhooks).',
  }),
  webhookRetryMs: setting({
    env: 'CREDENCE_WEBHOOK_RETRY_MS',
    schema: positiveInt,
    default: '2000',
    description: 'First webhook retry delay; it doubles per failed attempt up to 5 minutes.',
  }),
  webhookMaxAttempts: setting({
    env: 'CREDENCE_WEBHOOK_MAX_ATTEMPTS',
    schema: positiveInt,
    default: '15',
    description: 'Delivery attempts per webhook before it is kept as failed in the outbox and no longer retried.',
  }),
  webhookLogHours: setting({
    env: 'CREDENCE_WEBHOOK_LOG_HOURS',
    schema: nonNegativeInt,
    default: '24',
    description:
      'Hours a delivered webhook stays in the delivery log (`GET /webhooks/deliveries`) before it is pruned; `0` keeps no log (a delivered webhook is deleted at once).',
  }),
  allowInsecureSeed: setting({
    env: 'CREDENCE_WALLET_ALLOW_INSECURE_SEED',
    schema: bool,
    default: 'false',
    description: 'Accept `seed` in `POST /wallet/did/create` (ACA-Py `--wallet-allow-insecure-seed`): whoever knows the seed has the key.',
  }),
  didWebAllowHttp: setting({
    env: 'CREDENCE_DID_WEB_ALLOW_HTTP',
    schema: bool,
    default: 'false',
    description: 'Resolve did:web over plain http, for loopback hosts only (tests, local demos). Otherwise https.',
  }),
  tailsServerBaseUrl: setting({
    env: 'CREDENCE_TAILS_SERVER_BASE_URL',
    schema: z.string().url(),
    description:
      "Optional external tails server (ACA-Py's `--tails-server-base-url`): tails files are also uploaded there and registries name `<this>/hash/<tails hash>`. Unset, Credence serves them itself at `<endpoint>/tails/<hash>`.",
  }),
  tailsServerUploadUrl: setting({
    env: 'CREDENCE_TAILS_SERVER_UPLOAD_URL',
    schema: z.string().url(),
    description: "Where tails files are uploaded when it differs from CREDENCE_TAILS_SERVER_BASE_URL (ACA-Py's `--tails-server-upload-url`).",
  }),
  indyNetworks: setting({
    env: 'CREDENCE_INDY_NETWORKS',
    schema: z
      .string()
      .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'network names are lowercase letters, digits, `.`, `_` and `-`'))),
    description:
      'Indy networks to use, comma-separated names from `config/indy-networks.json` or `CREDENCE_INDY_NETWORKS_FILE`; the first is the write ledger. Unset: no Indy ledger (ledger routes answer 403).',
  }),
  indyNetworksFile: setting({
    env: 'CREDENCE_INDY_NETWORKS_FILE',
    schema: z.string().min(1),
    description:
      'A JSON file of your own Indy networks, in the shape of `config/indy-networks.json` (`genesisFile`, `genesisUrl` or `genesisTransactions`); its names add to and override the shipped ones.',
  }),
  cheqdNetworks: setting({
    env: 'CREDENCE_CHEQD_NETWORKS',
    schema: z
      .string()
      .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
      .pipe(z.array(z.enum(['testnet', 'mainnet']))),
    description:
      'cheqd networks to use (`testnet`, `mainnet`, comma-separated), with the RPC nodes of `config/cheqd-networks.json`. Unset: did:cheqd is an unsupported method.',
  }),
  cheqdTestnetRpcUrl: setting({
    env: 'CREDENCE_CHEQD_TESTNET_RPC_URL',
    schema: z.string().url(),
    description: 'RPC node for cheqd testnet, instead of the one in `config/cheqd-networks.json`.',
  }),
  cheqdMainnetRpcUrl: setting({
    env: 'CREDENCE_CHEQD_MAINNET_RPC_URL',
    schema: z.string().url(),
    description: 'RPC node for cheqd mainnet, instead of the one in `config/cheqd-networks.json`.',
  }),
  cheqdCosmosPayerSeed: setting({
    env: 'CREDENCE_CHEQD_COSMOS_PAYER_SEED',
    schema: z.string().min(1),
    secret: true,
    description:
      'Mnemonic (or hex private key) of the cosmos account that pays the fees of every cheqd write (DIDs, AnonCreds resources) of every tenant. Unset: writes fail for want of funds; reads work.',
  }),
  smtpUrl: setting({
    env: 'CREDENCE_SMTP_URL',
    schema: z
      .string()
      .url()
      .refine((url) => /^smtps?:$/.test(new URL(url).protocol), 'must be an smtp:// or smtps:// URL'),
    description:
      'SMTP server for `POST /api/v1/emails/verify`: `smtp://user:password@host:port` (`smtps://` for TLS from the start). Unset: that route answers 503.',
  }),
  smtpFrom: setting({
    env: 'CREDENCE_SMTP_FROM',
    schema: z.string().min(3),
    default: 'Credence <noreply@localhost>',
    description: 'The `From` of verification emails.',
  }),
  handshakeTimeoutSeconds: setting({
    env: 'CREDENCE_HANDSHAKE_TIMEOUT_SECONDS',
    schema: nonNegativeInt,
    default: '3600',
    description:
      'A connection still in a DID exchange request/response state after this long is set to `abandoned` with the reason (and its webhook); `0` leaves it, as ACA-Py does.',
  }),
  exchangeTimeoutSeconds: setting({
    env: 'CREDENCE_EXCHANGE_TIMEOUT_SECONDS',
    schema: nonNegativeInt,
    default: '0',
    description:
      'The same for credential and proof exchanges not done, declined or abandoned after this long. Off (`0`) by default: an offer may wait days for a person.',
  }),
  shutdownTimeoutMs: setting({
    env: 'CREDENCE_SHUTDOWN_TIMEOUT_MS',
    schema: positiveInt,
    default: '10000',
    description: 'On SIGTERM/SIGINT, how long in-flight requests may take before the agent shuts down.',
  }),
  authFailuresPerMinute: setting({
    env: 'CREDENCE_AUTH_FAILURES_PER_MINUTE',
    schema: nonNegativeInt,
    default: '30',
    description:
      'Failed authentications (wrong key or token) allowed per source address, and per credential prefix, in a minute; after that the address gets 429 with `Retry-After`, and the prefix gets 429 for further failures (a credential that verifies still passes). `0` turns the throttle off.',
  }),
  tenantTokenTtl: setting({
    env: 'CREDENCE_TENANT_TOKEN_TTL',
    schema: nonNegativeInt,
    default: '0',
    description:
      'Seconds a tenant bearer token lives: tokens then carry `exp`, and an expired one gets 401 `Authorization token expired`. A token minted without `exp` expires once its `iat` is older than this. `0`: tokens do not expire (as ACA-Py).',
  }),
  trustProxy: setting({
    env: 'CREDENCE_TRUST_PROXY',
    schema: z
      .string()
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine(isProxyAddress, 'must be loopback, linklocal, uniquelocal, an IP address or a CIDR range'))),
    description:
      "Reverse proxies (comma-separated IP addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`) whose `X-Forwarded-For` names the client, for the auth throttle's source address. Unset: the TCP peer's address, so behind a proxy every client counts as the proxy.",
  }),
} as const

/** An entry of CREDENCE_TRUST_PROXY, in the syntax Express's `trust proxy` takes. */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true
  const [address, bits, ...rest] = entry.split('/')
  const family = isIP(address)
  if (!family || rest.length > 0) return false
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
}

type Settings = typeof SETTINGS
type Value<K extends keyof Settings> = z.output<Settings[K]['schema']>
type WithDefault = { [K in keyof Settings]: Settings[K] extends { default: string } ? K : never }[keyof Settings]
type WithoutDefault = Exclude<keyof Settings, WithDefault>
export type Config = { [K in WithDefault]: Value<K> } & { [K in WithoutDefault]?: Value<K> } & {
  /** Always set after loading: it defaults from the inbound port. */
  endpoint: string
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

/** Parses the environment once. Empty strings count as unset so `VAR=` falls back to the default. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = []
  const values: Record<string, unknown> = {}
  for (const [key, s] of Object.entries(SETTINGS) as [keyof Settings, Setting<z.ZodTypeAny>][]) {
    const raw = env[s.env] === '' ? undefined : (env[s.env] ?? s.default)
    if (raw === undefined) continue
    const parsed = s.schema.safeParse(raw)
    if (parsed.success) values[key] = parsed.data
    else problems.push(`${s.env}: ${parsed.error.issues.map((i) => i.message).join('; ')}`)
  }
  const config = values as Config
  config.endpoint ??= `http://localhost:${config.inboundPort}`
  if (config.nodeEnv === 'production') {
    for (const key of ['adminApiKey', 'walletKey', 'jwtSecret', 'baseApiKey', 'hmacSecret'] as const) {
      if (!config[key]) problems.push(`${SETTINGS[key].env} is required when NODE_ENV=production`)
    }
  }
  if (config.nodeEnv === 'production' && config.adminInsecureMode) {
    problems.push(`${SETTINGS.adminInsecureMode.env} must not be set when NODE_ENV=production`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

/** The configuration as `/status/config` shows it: secrets left out, passwords masked. */
export function publicConfig(config: Config): Record<string, unknown> {
  const shown: Record<string, unknown> = {}
  for (const [key, s] of Object.entries(SETTINGS) as [keyof Settings, Setting<z.ZodTypeAny>][]) {
    if (s.secret) continue
    const value = config[key]
    shown[s.env] =
      (key === 'databaseUrl' || key === 'smtpUrl') && typeof value === 'string'
        ? maskPassword(value)
        : key === 'webhookUrls' && Array.isArray(value)
          ? value.map(withKeyHidden)
          : (value ?? null)
  }
  return shown
}

function maskPassword(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}

/** The PostgreSQL database Credence uses: the one named in the URL, `credence` when none is. */
export function postgresDatabaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'credence'
}
