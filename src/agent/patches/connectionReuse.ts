// Handshake reuse as ACA-Py does it: an invitation is answered over an existing connection only if
// that connection is completed (ACA-Py's ConnRecord.find_existing_connection). Credo 0.5 takes the
// first connection made from the invitation's DID whatever its state, so a request still pending to
// a public DID was picked, and the reuse message was undeliverable; with none completed, a new
// connection is made instead.
import { DidExchangeState, OutOfBandApi, type ConnectionRecord, type OutOfBandInvitation } from '@credo-ts/core'
import { outOfBandServiceToInlineKeysNumAlgo2Did } from '../credoInternals'
import type { CredoPatch } from './patch'

type Lookup = { connectionsApi: { findByInvitationDid(did: string): Promise<ConnectionRecord[]> } }

export const connectionReuse: CredoPatch = {
  name: 'connectionReuse',
  targets: { package: '@credo-ts/core', version: '0.5.19' },
  why: 'reuse picked a connection that never completed, and the reuse message was undeliverable',
  upstream: 'none found (credo-ts#1868 is a different reuse bug); main unchanged',
  members: () => [{ owner: 'OutOfBandApi.prototype', object: OutOfBandApi.prototype, member: 'findExistingConnection' }],
}

let installed = false

export function reuseOnlyCompletedConnections(): void {
  if (installed) return
  installed = true
  Object.defineProperty(OutOfBandApi.prototype, 'findExistingConnection', {
    configurable: true,
    async value(this: Lookup, invitation: OutOfBandInvitation): Promise<ConnectionRecord | null> {
      // The DIDs Credo searches by: the invitation's DIDs, and its inline services as did:peer:2.
      const dids = [...invitation.invitationDids, ...invitation.getInlineServices().map(outOfBandServiceToInlineKeysNumAlgo2Did)]
      for (const did of dids) {
        const connections = await this.connectionsApi.findByInvitationDid(did)
        const completed = connections.find((connection) => connection.state === DidExchangeState.Completed)
        if (completed) return completed
      }
      return null
    },
  })
}
