// Proven face, presentations room (seed 003 "Presentations"): the wallet's presentation exchanges,
// either side, with the contact of the connection each ran on.
import { ProofRole } from '@credo-ts/core'
import { Router } from 'express'
import { z } from 'zod'

import { principalOf } from '../../http/auth'
import { handler } from '../../http/handler'
import type { RoomDeps } from '../../http/rooms'
import { parse } from '../../http/validate'
import type { ControllerConnectionView } from '../../services/controllerInvitations'
import type { ProofExchangeView } from '../../services/proofs'

const presentationIdParams = z.object({ presentation_exchange_id: z.string().min(1).max(200) })

/** The first (only) format's entry of a per-format map: the request or presentation as sent. */
const firstFormat = (data: unknown) => (data && typeof data === 'object' ? (Object.values(data)[0] ?? null) : null)

/** The seed's presentation row; `auto_present` is false: Credence presents only when asked to. */
function toPresentationRow(walletId: string, view: ProofExchangeView, connection?: ControllerConnectionView) {
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
    presentation_request_dict: messages.request ?? null,
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

export function controllerPresentationRoutes({ services, requireWalletKey }: RoomDeps): Router {
  const router = Router()

  async function rows(walletId: string) {
    const [exchanges, connections] = await Promise.all([services.proofs.list(walletId, {}), services.controllerInvitations.connections(walletId)])
    const byId = new Map(connections.map((view) => [view.connection.connectionId, view]))
    return exchanges
      .map((view) => toPresentationRow(walletId, view, view.record.connectionId ? byId.get(view.record.connectionId) : undefined))
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
  }

  router.get('/api/v1/presentations', requireWalletKey, handler(async (_req, res) => {
    res.json(await rows(principalOf(res).walletId))
  }))

  router.get('/api/v1/presentations/:presentation_exchange_id', requireWalletKey, handler(async (req, res) => {
    const { presentation_exchange_id: id } = parse(presentationIdParams, req.params, 'params')
    const { walletId } = principalOf(res)
    const view = await services.proofs.get(walletId, id)
    const connection = view.record.connectionId ? (await services.controllerInvitations.connections(walletId, view.record.connectionId))[0] : undefined
    res.json(toPresentationRow(walletId, view, connection))
  }))

  return router
}
