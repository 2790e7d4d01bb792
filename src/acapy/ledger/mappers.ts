// ACA-Py face, ledger room: the TAA view and the ledger list in ACA-Py's shapes (reference §11).
import type { IndyNetwork } from '../../agent/indyNetworks'
import type { LedgerTaaView } from '../../services/ledger'

export function toTaaResult(view: LedgerTaaView) {
  const agreement = view.agreement
  return {
    result: {
      aml_record: agreement ? { version: agreement.amlVersion, aml: agreement.aml, ...(agreement.amlContext ? { amlContext: agreement.amlContext } : {}) } : null,
      taa_record: agreement
        ? { version: agreement.version, text: agreement.text, digest: agreement.digest, ...(agreement.ratificationTs ? { ratification_ts: agreement.ratificationTs } : {}) }
        : null,
      taa_required: view.required,
      taa_accepted: view.accepted,
    },
  }
}

export function toLedgerConfig(networks: IndyNetwork[]) {
  const view = (network: IndyNetwork) => ({
    id: network.name,
    pool_name: network.name,
    indy_namespace: network.indyNamespace,
    is_production: network.isProduction,
    is_write: network.isWrite,
  })
  return {
    production_ledgers: networks.filter((network) => network.isProduction).map(view),
    non_production_ledgers: networks.filter((network) => !network.isProduction).map(view),
  }
}
