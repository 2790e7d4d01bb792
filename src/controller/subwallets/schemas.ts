// Proven face, subwallets: request and response schemas.
import { z } from 'zod'

export { walletIdParams } from '../../acapy/multitenancy/schemas'

export const createSubwalletBody = z
  .object({ wallet_name: z.string().trim().min(1).max(200), label: z.string().max(200).optional() })
  .strict()

/** A subwallet as GET /api/subwallets lists it. */
export const subwallet = z.object({
  wallet_id: z.string(),
  wallet_name: z.string(),
  label: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export const subwalletList = z.object({ rows: z.array(subwallet), count: z.number().int() })
export const subwalletCreated = z.object({ wallet_id: z.string(), token: z.string() })
