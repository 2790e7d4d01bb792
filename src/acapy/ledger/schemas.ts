// ACA-Py face, ledger room: request and response schemas (reference §11).
import { z } from 'zod'

const did = z.string().min(1).max(200)

export const acceptTaaBody = z
  .object({
    version: z.string().min(1).max(100),
    text: z.string().max(1_000_000),
    mechanism: z.string().min(1).max(200),
  })
  .strict()

export const registerNymQuery = z.object({
  did,
  verkey: z.string().min(1).max(100),
  alias: z.string().max(200).optional(),
  role: z.enum(['STEWARD', 'TRUSTEE', 'ENDORSER', 'NETWORK_MONITOR', 'reset']).optional(),
  conn_id: z.string().max(200).optional(),
  create_transaction_for_endorser: z.string().optional(),
})

export const didQuery = z.object({ did })

export const didEndpointQuery = z.object({
  did,
  endpoint_type: z.enum(['Endpoint', 'Profile', 'LinkedDomains']).default('Endpoint'),
})

/** ACA-Py's TAAInfo: the ledger's agreement and acceptance mechanisms, and this wallet's acceptance. */
export const taaInfo = z.object({
  aml_record: z.object({ version: z.string(), aml: z.record(z.string(), z.string()), amlContext: z.string().optional() }).nullable(),
  taa_record: z.object({ version: z.string(), text: z.string(), digest: z.string(), ratification_ts: z.number().optional() }).nullable(),
  taa_required: z.boolean(),
  taa_accepted: z.object({ mechanism: z.string(), time: z.number() }).nullable(),
})
export const taaResult = z.object({ result: taaInfo })

const ledgerConfigInstance = z.object({ id: z.string(), pool_name: z.string(), indy_namespace: z.string(), is_production: z.boolean(), is_write: z.boolean() })
/** ACA-Py's LedgerConfigList. */
export const ledgerConfigList = z.object({ production_ledgers: z.array(ledgerConfigInstance), non_production_ledgers: z.array(ledgerConfigInstance) })

export const registered = z.object({ success: z.boolean() })
export const didVerkey = z.object({ verkey: z.string(), ledger_id: z.string() })
export const didEndpoint = z.object({ endpoint: z.string().nullable(), ledger_id: z.string() })
export const nymRole = z.object({ role: z.string(), ledger_id: z.string() })
export const nothing = z.object({})
