// The two shapes a webhook is posted in (reference §14):
//  - acapy: ACA-Py's own, `POST {url}/topic/{topic}/` with the bare record;
//  - envelope: acapy-cloud's `{wallet_id, topic, origin, payload}` posted to the URL as given, with
//    acapy-cloud's topic names and payload tweaks (connections carry the RFC 0023 state).
import type { WebhookTarget } from './targets'

const CLOUD_TOPICS: Record<string, string> = {
  connections: 'connections',
  issue_credential_v2_0: 'credentials',
  issue_credential_v2_0_indy: 'credentials_indy',
  issue_credential_v2_0_ld_proof: 'credentials_ld',
  present_proof_v2_0: 'proofs',
  out_of_band: 'oob',
  basicmessages: 'basic-messages',
  endorse_transaction: 'endorsements',
  revocation_registry: 'revocation',
  issuer_cred_rev: 'issuer_cred_rev',
  problem_report: 'problem_report',
  credential: 'deleted_credential',
}

/** did:peer:4 long form → short form, as acapy-cloud shows it. */
const shortPeer4 = (did: unknown) =>
  typeof did === 'string' && did.startsWith('did:peer:4') ? did.split(':').slice(0, 3).join(':') : did

function cloudPayload(topic: string, payload: Record<string, unknown>): Record<string, unknown> {
  if (topic !== 'connections') return payload
  return {
    ...payload,
    state: payload.rfc23_state ?? payload.state,
    my_did: shortPeer4(payload.my_did),
    their_did: shortPeer4(payload.their_did),
  }
}

export function formatDelivery(
  target: WebhookTarget,
  event: { walletId: string; topic: string; eventId: string; payload: Record<string, unknown> },
  origin: string,
): { url: string; body: string } {
  const { walletId, topic, eventId, payload } = event
  if (target.format === 'envelope') {
    // event_id is ours (acapy-cloud has none); the ACA-Py shape is the bare record, so there the
    // id travels only in the x-credence-event-id header.
    const body = { wallet_id: walletId, topic: CLOUD_TOPICS[topic] ?? topic, origin, event_id: eventId, payload: cloudPayload(topic, payload) }
    return { url: target.url, body: JSON.stringify(body) }
  }
  return { url: `${target.url.replace(/\/+$/, '')}/topic/${topic}/`, body: JSON.stringify(payload) }
}
