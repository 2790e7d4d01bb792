// Proven face: the presentation row of seed 003 ("Presentations").
import type { z } from 'zod'

import { ProofRole } from '../../agent/credo'
import type { ControllerConnectionView } from '../../services/controllerInvitations'
import type { ProofExchangeView } from '../../services/proofs'
import type { presentationRow } from './schemas'

/** The first (only) format's entry of a per-format map: the request or presentation as sent. */
const firstFormat = (data: unknown) => (data && typeof data === 'object' ? (Object.values(data)[0] ?? null) : null)

/** The seed's presentation row; `auto_present` is false: Credence presents only when asked to. */
export function toPresentationRow(walletId: string, view: ProofExchangeView, connection?: ControllerConnectionView): z.input<typeof presentationRow> {
  const { record, messages, formatData } = view
  const verifier = record.role === ProofRole.Verifier
  return {
    presentation_exchange_id: record.id,
    wallet_id: walletId,
    trace: false,
    connection_id: record.connectionId ?? null,
    role: verifier ? 'verifier' : 'prover',
    verified: record.isVerified === true,
    presentation_created_at: record.createdAt.toISOString(),
    presentation_updated_at: (record.updatedAt ?? record.createdAt).toISOString(),
    presentation_request_dict: (messages.request as Record<string, unknown> | undefined) ?? null,
    initiator: verifier ? 'self' : 'external',
    presentation_request: firstFormat(formatData.request),
    state: record.state,
    thread_id: record.threadId,
    auto_present: false,
    presentation: firstFormat(formatData.presentation),
    contact_label: connection?.connection.theirLabel ?? null,
    contact_id: connection?.contactId ?? null,
    created_at: record.createdAt.toISOString(),
    updated_at: (record.updatedAt ?? record.createdAt).toISOString(),
  }
}
