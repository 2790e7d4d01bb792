// A presentation that does not verify is kept as received, as ACA-Py keeps it.
//
// Credo 0.5.19 verifies a presentation as it arrives and, when it does not verify, abandons the
// exchange and sends the prover a problem report. ACA-Py 1.7 keeps it in `presentation-received`
// and says `verified: "false"` when the controller calls verify-presentation (or at once with
// auto_verify), after which the exchange is `done`. ACA-Py's controllers wait for
// `presentation-received` before they verify (its own scenario scripts do): with Credo's way they
// waited for ever. Here the failed verification keeps its reason (`error_msg`) and `isVerified`
// false, and the exchange goes to `presentation-received` instead; accepting it then finishes it
// `done`, not verified, as in ACA-Py.
import { AsyncLocalStorage } from 'node:async_hooks'
import {
  DidCommMessageRepository,
  DidCommMessageRole,
  ProofState,
  V2ProofProtocol,
  type AgentContext,
  type InboundMessageContext,
  type ProofExchangeRecord,
} from '@credo-ts/core'

import type { CredoPatch } from './patch'

export const invalidPresentationsKept: CredoPatch = {
  name: 'invalidPresentationsKept',
  targets: { package: '@credo-ts/core', version: '0.5.19' },
  why: 'a presentation that did not verify was abandoned at once, where ACA-Py controllers wait for presentation-received and then verify',
  upstream: "none known; Credo's choice, ACA-Py's behaviour differs",
  members: () => [
    { owner: 'V2ProofProtocol.prototype', object: V2ProofProtocol.prototype, member: 'processPresentation' },
    { owner: 'V2ProofProtocol.prototype', object: V2ProofProtocol.prototype, member: 'updateState' },
  ],
}

type ProcessPresentation = (this: V2ProofProtocol, messageContext: InboundMessageContext) => Promise<ProofExchangeRecord>
type UpdateState = (this: V2ProofProtocol, agentContext: AgentContext, record: ProofExchangeRecord, state: ProofState) => Promise<void>

/** The presentation being processed, and the record kept as received when it did not verify. */
const processing = new AsyncLocalStorage<{ kept?: ProofExchangeRecord }>()
let installed = false

export function keepInvalidPresentationsAsReceived(): void {
  if (installed) return
  installed = true
  const prototype = V2ProofProtocol.prototype as unknown as { processPresentation: ProcessPresentation; updateState: UpdateState }
  const processPresentation = prototype.processPresentation
  const updateState = prototype.updateState

  prototype.processPresentation = function (messageContext) {
    const run = { kept: undefined as ProofExchangeRecord | undefined }
    return processing.run(run, async () => {
      try {
        return await processPresentation.call(this, messageContext)
      } catch (error) {
        if (!run.kept) throw error
        // The problem report Credo would send: none, the exchange is kept, with the presentation
        // (which Credo stores only when no format threw while verifying it).
        await messageContext.agentContext.dependencyManager.resolve(DidCommMessageRepository).saveOrUpdateAgentMessage(messageContext.agentContext, {
          agentMessage: messageContext.message,
          role: DidCommMessageRole.Receiver,
          associatedRecordId: run.kept.id,
        })
        return run.kept
      }
    })
  }

  prototype.updateState = function (agentContext, record, state) {
    const run = processing.getStore()
    // Only the verification's failure sets isVerified false before abandoning (an unsupported
    // format abandons with isVerified unset, and stays abandoned).
    if (run && state === ProofState.Abandoned && record.isVerified === false) {
      run.kept = record
      return updateState.call(this, agentContext, record, ProofState.PresentationReceived)
    }
    return updateState.call(this, agentContext, record, state)
  }
}
