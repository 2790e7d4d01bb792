// What an ACA-Py controller expects of a connection before Credo has created it.
//
// ACA-Py creates its connection record as soon as an invitation is received, so a controller that
// receives with auto_accept=false gets a connection_id back and later calls
// /didexchange/{conn_id}/accept-invitation with it. Credo creates the record only when the
// request is sent, under a fresh id. So Credence reserves the id on the out-of-band record and,
// when Credo saves the connection for that invitation, gives the record the reserved id. The same
// hook copies the `metadata` given at create-invitation onto the inviter's new connection.
//
// The hook wraps ConnectionRepository.save, a DI singleton shared by the root agent and every
// tenant context, and reads the out-of-band record in the same agent context (same session).
import {
  type Agent,
  type AgentContext,
  ConnectionRecord,
  ConnectionRepository,
  OutOfBandRepository,
  type OutOfBandRecord,
} from '@credo-ts/core'

import type { CredoPatch } from './patch'

const RESERVED_CONNECTION_ID = 'credence:connectionId'
const CONNECTION_METADATA = 'credence:connectionMetadata'
/** Where ACA-Py-style connection metadata (`/connections/{id}/metadata`) lives on a connection record. */
export const ACAPY_METADATA_KEY = 'credence:acapyMetadata'

export function reserveConnectionId(outOfBandRecord: OutOfBandRecord, connectionId: string): void {
  outOfBandRecord.metadata.set(RESERVED_CONNECTION_ID, { connectionId })
}

export function reservedConnectionId(outOfBandRecord: OutOfBandRecord): string | undefined {
  return outOfBandRecord.metadata.get<{ connectionId: string }>(RESERVED_CONNECTION_ID)?.connectionId
}

export function setConnectionMetadataForInvitation(outOfBandRecord: OutOfBandRecord, metadata: Record<string, unknown>): void {
  outOfBandRecord.metadata.set(CONNECTION_METADATA, metadata)
}

export const connectionBirth: CredoPatch = {
  name: 'connectionBirth',
  targets: { package: '@credo-ts/core', version: '0.5.19' },
  why: 'the connection id an ACA-Py controller got at receive-invitation would not be the connection Credo later makes',
  upstream: 'none found; Credo creates the connection at request time by design (main unchanged)',
  members: () => [{ owner: 'ConnectionRepository.prototype', object: ConnectionRepository.prototype, member: 'save' }],
}

export function installConnectionBirthHook(agent: Agent): void {
  const connections = agent.dependencyManager.resolve(ConnectionRepository)
  const outOfBand = agent.dependencyManager.resolve(OutOfBandRepository)
  const save = connections.save.bind(connections)
  connections.save = async (agentContext: AgentContext, record: ConnectionRecord) => {
    if (record instanceof ConnectionRecord && record.outOfBandId) {
      const invitation = await outOfBand.findById(agentContext, record.outOfBandId)
      const reserved = invitation && reservedConnectionId(invitation)
      // Only the first connection of an invitation takes the reserved id (a multi-use invitation
      // makes many; a reserved id is only ever handed out for single-use received invitations).
      if (reserved && !(await connections.findById(agentContext, reserved))) record.id = reserved
      const metadata = invitation?.metadata.get<Record<string, unknown>>(CONNECTION_METADATA)
      if (metadata) record.metadata.set(ACAPY_METADATA_KEY, metadata)
    }
    return save(agentContext, record)
  }
}
