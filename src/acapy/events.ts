// ACA-Py face: the webhook topics and payloads of a tenant's changes (ACA-Py 1.7's topic table,
// admin/server.py and each protocol's emit_event), made with the rooms' own mappers so a webhook
// shows a record as the REST answer does. events/tenantEvents.ts calls this for every change.
import type { FaceEventMapper, WireEvent } from '../events/tenantEvents'
import { toConnRecord } from './connections/mappers'
import { toDiscoveryRecord } from './discovery/mappers'
import { toCredExDetail, toCredExWebhook } from './issueCredential/mappers'
import { toOobRecord } from './outOfBand/mappers'
import { toPresExWebhook } from './presentProof/mappers'
import { toIssuerCredRevRecord, toIssuerRevRegRecord } from './revocation/mappers'

/**
 * Credential exchange states at which ACA-Py writes its per-format detail record, by role: the
 * issuer once, as it issues (with the revocation ids); the holder as it requests and as it stores.
 * Controllers take the next event of the topic without naming the exchange (acapy-controller's
 * scripts do), so one event more than ACA-Py's hands them the previous exchange's record.
 */
const DETAIL_STATES: Record<string, Set<string>> = { issuer: new Set(['credential-issued']), holder: new Set(['request-sent', 'done']) }

/** ACA-Py's wallet types whose holder handles the legacy `indy` format with its AnonCreds handler. */
const ANONCREDS_WALLETS = new Set(['askar-anoncreds', 'kanon-anoncreds'])

export function acapyEventMapper(deps: {
  /** Whether the wallet wants whole exchange records in its webhooks (ACA-Py's --debug-webhooks). */
  debugWebhooks: (walletId: string) => Promise<boolean>
  /** The wallet's ACA-Py wallet type, as it was created. */
  walletType: (walletId: string) => Promise<string | undefined>
}): FaceEventMapper {
  return async (walletId, change): Promise<WireEvent[]> => {
    switch (change.kind) {
      case 'connection':
        return [{ topic: 'connections', payload: toConnRecord(change.view) }]
      case 'out-of-band':
        return [{ topic: 'out_of_band', payload: toOobRecord(change.view) }]
      case 'connection-reused': {
        const { threadId, connectionId, invitationMsgId } = change
        return change.role === 'inviter'
          ? [{ topic: 'connection_reuse', payload: { thread_id: threadId, connection_id: connectionId, comment: `Connection ${connectionId} is being reused for invitation ${invitationMsgId}` } }]
          : [{ topic: 'connection_reuse_accepted', payload: { thread_id: threadId, connection_id: connectionId, state: 'accepted', comment: `Connection ${connectionId} was reused` } }]
      }
      case 'basic-message-received':
        return [
          {
            topic: 'basicmessages',
            payload: { connection_id: change.connectionId, message_id: change.messageId, content: change.content, state: 'received', sent_time: change.sentTime },
          },
        ]
      case 'ping':
        // `received` (with whether we answered) and `response_received`.
        return [
          {
            topic: 'ping',
            payload: {
              comment: change.comment ?? null,
              connection_id: change.connectionId,
              ...(change.received ? { responded: change.responseRequested } : {}),
              state: change.received ? 'received' : 'response_received',
              thread_id: change.threadId,
            },
          },
        ]
      case 'credential-exchange': {
        const { view } = change
        const events: WireEvent[] = [{ topic: 'issue_credential_v2_0', payload: toCredExWebhook(view, await deps.debugWebhooks(walletId)) }]
        // ACA-Py saves its per-format detail record when the request is made, the credential issued
        // and stored, and says so on the format's own topic.
        if (!view.deleted && DETAIL_STATES[view.record.role]?.has(view.record.state)) {
          const detail = toCredExDetail(view)
          // An ACA-Py holder on an AnonCreds wallet keeps an `indy`-format exchange in its anoncreds
          // detail record, and says so on that topic (its controllers wait for it there).
          const indyAsAnonCreds = detail.indy && view.record.role === 'holder' && ANONCREDS_WALLETS.has((await deps.walletType(walletId)) ?? '')
          const { cred_ex_indy_id, ...indyDetail } = detail.indy ?? { cred_ex_indy_id: '' }
          for (const [topic, payload] of [
            ['issue_credential_v2_0_anoncreds', indyAsAnonCreds ? { cred_ex_anoncreds_id: cred_ex_indy_id, ...indyDetail } : detail.anoncreds],
            ['issue_credential_v2_0_indy', indyAsAnonCreds ? null : detail.indy],
            ['issue_credential_v2_0_ld_proof', detail.ld_proof],
          ] as const) {
            if (payload) events.push({ topic, payload })
          }
        }
        return events
      }
      case 'proof-exchange':
        return [{ topic: 'present_proof_v2_0', payload: toPresExWebhook(change.view, await deps.debugWebhooks(walletId)) }]
      case 'discovery':
        return [{ topic: 'discover_feature_v2_0', payload: toDiscoveryRecord(change.record) }]
      case 'issued-credential-revocation':
        return [{ topic: 'issuer_cred_rev', payload: toIssuerCredRevRecord(change.record) }]
      case 'revocation-registry':
        // ACA-Py's IssuerRevRegRecord webhook, with its legacy record's states.
        return [{ topic: 'revocation_registry', payload: toIssuerRevRegRecord(change.registry, 'legacy') }]
      case 'revocation-notification': {
        // ACA-Py's holder topics (it emits them with --monitor-revocation-notification).
        const { notification } = change
        return notification.version === 'v1_0'
          ? [{ topic: 'revocation-notification', payload: { thread_id: notification.threadId, comment: notification.comment ?? null } }]
          : [
              {
                topic: 'revocation-notification-v2',
                payload: { revocation_format: notification.revocationFormat, credential_id: notification.credentialId, comment: notification.comment ?? null },
              },
            ]
      }
      case 'holder-credential-deleted':
        return [{ topic: change.format === 'w3c' ? 'w3c_credential' : 'credential', payload: { id: change.credentialId, state: 'deleted' } }]
      default:
        // The controller face's own records (request records) are not ACA-Py's.
        return []
    }
  }
}
