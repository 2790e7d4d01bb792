// ACA-Py face, wallet DIDs: request and response schemas (reference §10).
import { z } from 'zod'

export const createDidBody = z
  .object({
    method: z.string().default('sov'),
    options: z
      .object({
        key_type: z.string().default('ed25519'),
        did: z.string().max(2000).optional(),
        endpoint: z.string().url().optional(),
        conn_id: z.string().optional(),
        mediation_id: z.string().optional(),
      })
      .default({}),
    seed: z.string().optional(),
  })
  .strict()

export const listDidsQuery = z.object({
  did: z.string().max(5000).optional(),
  verkey: z.string().max(200).optional(),
  posture: z.enum(['public', 'posted', 'wallet_only']).optional(),
  method: z.string().max(50).optional(),
  key_type: z.enum(['ed25519', 'bls12381g2', 'p256', 'x25519']).optional(),
})

export const setPublicDidQuery = z.object({
  did: z.string().min(1).max(5000),
  conn_id: z.string().optional(),
  create_transaction_for_endorser: z.string().optional(),
  mediation_id: z.string().optional(),
})

export const createCheqdDidBody = z
  .object({
    options: z
      .object({
        network: z.enum(['testnet', 'mainnet']).default('testnet'),
        key_type: z.literal('ed25519').default('ed25519'),
      })
      .strict()
      .default({}),
    features: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()

/** ACA-Py's DIDInfo, as the mapper writes it. */
export const didInfo = z.object({
  did: z.string(),
  verkey: z.string(),
  posture: z.enum(['public', 'posted', 'wallet_only']),
  method: z.string(),
  key_type: z.string(),
  metadata: z.record(z.string(), z.unknown()),
})

export const didResult = z.object({ result: didInfo })
export const didList = z.object({ results: z.array(didInfo) })
export const publicDidResult = z.object({ result: didInfo.nullable() })
export const cheqdDidCreated = z.object({ success: z.literal(true), did: z.string(), verkey: z.string() })
