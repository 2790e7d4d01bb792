// ACA-Py (1.x) answers a DID exchange response with a complete message whose thread it copies from
// the response, and refuses to send it unless that thread names both `thid` and `pthid`. Credo's
// response carries only `thid` (RFC 0023 does not require more), so ACA-Py would stall in
// response-received. Credence adds the invitation id as `pthid`, which RFC 0023 allows and every
// peer reads the same way.
import { type Agent, DidExchangeProtocol } from '@credo-ts/core'

import type { CredoPatch } from './patch'

export const didExchangeResponses: CredoPatch = {
  name: 'didExchangeResponses',
  targets: { package: '@credo-ts/core', version: '0.5.19' },
  why: 'ACA-Py refuses to complete a DID exchange whose response names no pthid, and stalls in response-received',
  upstream: 'none found; threading discussed in aries-rfcs#817; main unchanged',
  members: () => [{ owner: 'DidExchangeProtocol.prototype', object: DidExchangeProtocol.prototype, member: 'createResponse' }],
}

export function threadResponsesToInvitation(agent: Agent): void {
  const protocol = agent.dependencyManager.resolve(DidExchangeProtocol)
  const createResponse = protocol.createResponse.bind(protocol)
  protocol.createResponse = async (agentContext, connectionRecord, outOfBandRecord, routing) => {
    const message = await createResponse(agentContext, connectionRecord, outOfBandRecord, routing)
    message.setThread({ threadId: message.threadId, parentThreadId: outOfBandRecord.outOfBandInvitation.id })
    return message
  }
}
