// Interop with a real ACA-Py (PyPI acapy-agent, installed by scripts/ensure-acapy.sh; the test
// fails when it cannot be installed). ACA-Py and a Credence tenant connect both ways over HTTP on
// loopback, with DID exchange 1.1 and 1.0, and exchange basic messages both ways; ACA-Py's request
// for an inactive controller invitation is refused with a problem report it understands. ACA-Py's
// own ConnRecord is also the yardstick for the shape of ours.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ACAPY_DEFAULT_EXTRA_ARGS, startAcaPy, type AcaPy } from '../helpers/acapy'
import { sqlite, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { startWebhookSink, type WebhookSink } from '../helpers/webhookSink'

describe('interop with a real ACA-Py', () => {
  let acapy: AcaPy
  let server: ServerProcess
  let tenant: TestTenant
  let sink: WebhookSink

  beforeAll(async () => {
    sink = await startWebhookSink()
    ;[acapy, server] = await Promise.all([
      startAcaPy({ label: 'ACA-Py', extraArgs: [...ACAPY_DEFAULT_EXTRA_ARGS, '--webhook-url', `${sink.url}/acapy`] }),
      startServerProcess(sqlite.env(tempDataDir())),
    ])
    tenant = await createTenant(server, 'Credence tenant', { webhookUrls: [`${sink.url}/credence`] })
  })

  afterAll(async () => {
    await Promise.all([acapy?.stop(), server?.stop()])
    await sink?.stop()
  })

  const acapyConnectionReaches = (connectionId: string, state: string) =>
    waitFor(`ACA-Py connection ${connectionId} to reach ${state}`, async () => {
      const { body } = await acapy.admin('GET', `/connections/${connectionId}`)
      return body?.rfc23_state === state ? body : undefined
    })

  const acapyConnectionFor = (invitationMsgId: string) =>
    waitFor(`ACA-Py connection for invitation ${invitationMsgId}`, async () => {
      const { body } = await acapy.admin('GET', `/connections?invitation_msg_id=${invitationMsgId}`)
      return body?.results?.[0]
    })

  for (const version of ['1.1', '1.0']) {
    it(`ACA-Py invites, Credence accepts (didexchange/${version})`, async () => {
      const invited = await acapy.admin('POST', '/out-of-band/create-invitation', {
        handshake_protocols: [`https://didcomm.org/didexchange/${version}`],
        ...(version === '1.0' ? { use_did_method: 'did:peer:2' } : {}),
      })
      expect(invited.status).toBe(200)
      const received = await tenant.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: invited.body.invitation })
      expect(received.status).toBe(200)
      const ours = await tenant.connectionReaches(received.body.connection_id, 'completed')
      const theirs = await acapyConnectionFor(invited.body.invi_msg_id)
      await acapyConnectionReaches(theirs.connection_id, 'completed')
      expect(ours).toMatchObject({ their_role: 'inviter', their_label: 'ACA-Py', connection_protocol: `didexchange/${version}` })
    })

    it(`Credence invites, ACA-Py accepts (didexchange/${version})`, async () => {
      const invited = await tenant.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
        body: { handshake_protocols: [`https://didcomm.org/didexchange/${version}`] },
      })
      expect(invited.status).toBe(200)
      expect(invited.body.invitation.handshake_protocols).toEqual([`https://didcomm.org/didexchange/${version}`])
      // With 1.0, ACA-Py requests with an unqualified DID and a legacy signed DID doc
      // (agent/patches/legacyDidExchange.ts makes Credo take it).
      const received = await acapy.admin('POST', '/out-of-band/receive-invitation', invited.body.invitation)
      expect(received.status).toBe(200)
      const theirs = await acapyConnectionReaches(received.body.connection_id, 'completed')
      const ours = await waitFor('the Credence connection to complete', async () => {
        const { body } = await tenant.api('GET', `/connections?invitation_msg_id=${invited.body.invi_msg_id}&state=completed`)
        return body.results?.[0]
      })
      expect(theirs).toMatchObject({ their_role: 'inviter', their_label: 'Credence tenant', connection_protocol: `didexchange/${version}` })
      expect(ours).toMatchObject({ their_role: 'invitee', their_label: 'ACA-Py', connection_protocol: `didexchange/${version}` })
      if (version === '1.0') expect(ours.their_did).toBe(`did:sov:${theirs.my_did}`)
      // Both directions carry messages on the new connection.
      await tenant.api('POST', `/connections/${ours.connection_id}/send-message`, { body: { content: `over ${version}` } })
      await acapy.admin('POST', `/connections/${theirs.connection_id}/send-message`, { content: `back over ${version}` })
      await sink.waitFor(`messages both ways over didexchange/${version}`, (all) =>
        all.some((d) => d.path === '/acapy/topic/basicmessages/' && d.body.content === `over ${version}`) &&
        all.some((d) => d.path === '/credence/topic/basicmessages/' && d.body.content === `back over ${version}`),
      )
      // Same keys as ACA-Py's own record of the same relationship, seen from the other side.
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).filter((key) => key !== 'inbound_connection_id').sort())
    })
  }

  for (const version of ['1.1', '1.0']) {
    it(`refuses ACA-Py's request for an inactive controller invitation with a problem report (didexchange/${version})`, async () => {
      const base = { 'x-api-key': fs.readFileSync(path.join(server.env.CREDENCE_DATA_DIR!, 'secrets', 'base-api-key'), 'utf8').trim() }
      const key = await call(server.adminUrl, 'POST', '/api/apikey/create', { headers: base, body: { wallet_id: tenant.walletId, name: `gate-${version}`, roles: ['admin'] } })
      const asKey = { 'x-api-key': key.body.api_key }
      const created = await call(server.adminUrl, 'POST', '/api/v1/invitations', {
        headers: asKey,
        body: { handshake_protocol: `https://didcomm.org/didexchange/${version}`, invitation_status: 'inactive' },
      })
      expect(created.status).toBe(200)
      const row = await call(server.adminUrl, 'GET', `/api/v1/invitations/${created.body.invitation_id}`, { headers: asKey })
      // ACA-Py's 1.0 request names an unqualified DID with its document attached; 1.1's a did:peer.
      const received = await acapy.admin('POST', '/out-of-band/receive-invitation', row.body.invitation)
      expect(received.status).toBe(200)
      const refused = await acapyConnectionReaches(received.body.connection_id, 'abandoned')
      expect(refused.error_msg).toContain(`Invitation ${created.body.invitation_id} is inactive`)
      expect((await call(server.adminUrl, 'GET', `/api/v1/invitations/${created.body.invitation_id}`, { headers: asKey })).body.uses_total).toBe(0)
    })
  }

  it('exchanges basic messages both ways', async () => {
    const invited = await tenant.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
      body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
    })
    const received = await acapy.admin('POST', '/out-of-band/receive-invitation', invited.body.invitation)
    await acapyConnectionReaches(received.body.connection_id, 'completed')
    const ours = await waitFor('the Credence connection to complete', async () => {
      const { body } = await tenant.api('GET', `/connections?invitation_msg_id=${invited.body.invi_msg_id}&state=completed`)
      return body.results?.[0]
    })

    const sent = await tenant.api('POST', `/connections/${ours.connection_id}/send-message`, { body: { content: 'hello from Credence' } })
    expect(sent.status).toBe(200)
    const answered = await acapy.admin('POST', `/connections/${received.body.connection_id}/send-message`, { content: 'hello from ACA-Py' })
    expect(answered.status).toBe(200)
    await sink.waitFor('both basic messages', (all) =>
      all.some((d) => d.path === '/acapy/topic/basicmessages/' && d.body.content === 'hello from Credence' && d.body.connection_id === received.body.connection_id) &&
      all.some((d) => d.path === '/credence/topic/basicmessages/' && d.body.content === 'hello from ACA-Py' && d.body.connection_id === ours.connection_id),
    )
    const fromAcapy = sink.deliveries.find((d) => d.path === '/acapy/topic/basicmessages/')!
    const fromCredence = sink.deliveries.find((d) => d.path === '/credence/topic/basicmessages/' && d.body.content === 'hello from ACA-Py')!
    // Our basicmessages webhook carries the same keys as ACA-Py's.
    expect(Object.keys(fromCredence.body).sort()).toEqual(Object.keys(fromAcapy.body).filter((k) => k !== 'locale').sort())

    const pinged = await tenant.api('POST', `/connections/${ours.connection_id}/send-ping`, { body: {} })
    expect(pinged.status).toBe(200)
    await sink.waitFor('the ping response', (all) =>
      all.some((d) => d.path === '/credence/topic/ping/' && d.body.state === 'response_received' && d.body.thread_id === pinged.body.thread_id),
    )
  })
})
