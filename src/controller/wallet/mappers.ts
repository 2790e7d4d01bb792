// Proven face, wallet room: the seed's DID and TAA shapes are ACA-Py's (seed 003 "DIDs", "TAA"), so
// the ACA-Py face's mappers make them; this is the one place the controller face borrows them.
export { toTaaResult } from '../../acapy/ledger/mappers'
export { toDidInfo } from '../../acapy/wallet/mappers'
