// The cheqd networks Credence reaches: which ones is CREDENCE_CHEQD_NETWORKS; their RPC nodes come
// from config/cheqd-networks.json unless the environment names others. One cosmos payer account
// (CREDENCE_CHEQD_COSMOS_PAYER_SEED) pays the fees of every tenant's writes, as Credo's cheqd
// module is built: the operator funds the server, not each tenant.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

import type { Config } from '../config'

export const SHIPPED_CHEQD_FILE = path.resolve(__dirname, '..', '..', 'config', 'cheqd-networks.json')

const shippedNetworks = z.record(z.enum(['testnet', 'mainnet']), z.object({ rpcUrl: z.string().url(), isProduction: z.boolean() }).strict())

export interface CheqdNetwork {
  network: 'testnet' | 'mainnet'
  rpcUrl: string
  cosmosPayerSeed?: string
}

export function cheqdNetworks(
  config: Pick<Config, 'cheqdNetworks' | 'cheqdTestnetRpcUrl' | 'cheqdMainnetRpcUrl' | 'cheqdCosmosPayerSeed'>,
): CheqdNetwork[] {
  const selected = [...new Set(config.cheqdNetworks ?? [])]
  if (selected.length === 0) return []
  const shipped = shippedNetworks.parse(JSON.parse(fs.readFileSync(SHIPPED_CHEQD_FILE, 'utf8')))
  const override = { testnet: config.cheqdTestnetRpcUrl, mainnet: config.cheqdMainnetRpcUrl }
  return selected.map((network) => ({
    network,
    rpcUrl: override[network] ?? shipped[network]!.rpcUrl,
    ...(config.cheqdCosmosPayerSeed ? { cosmosPayerSeed: config.cheqdCosmosPayerSeed } : {}),
  }))
}
