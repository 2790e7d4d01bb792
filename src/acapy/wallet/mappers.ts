// ACA-Py face: DIDInfo (reference §10).
import type { WalletDid } from '../../services/dids'

export function toDidInfo(did: WalletDid) {
  return { did: did.did, verkey: did.verkey, posture: did.posture, method: did.method, key_type: did.keyType, metadata: did.metadata }
}
