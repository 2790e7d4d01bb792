// ACA-Py face, AnonCreds objects: the registry metadata of a registration, as ACA-Py's registries
// write it (an Indy ledger's transaction number is `seqNo`, Credo's `indyLedgerSeqNo`).

export function toRegistryMetadata(metadata: Record<string, unknown> = {}): Record<string, unknown> {
  const { indyLedgerSeqNo, ...rest } = metadata
  return typeof indyLedgerSeqNo === 'number' ? { ...rest, seqNo: indyLedgerSeqNo } : rest
}
