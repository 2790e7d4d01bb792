// Real DIDComm through the inbound endpoint: two tenants of one server connect with an
// out-of-band invitation, every message going out over HTTP to the server's own inbound port and
// being routed to the right tenant by recipient key. The Proven connection list then shows each
// side's row. (The admin routes for this flow arrive with the connections issue; here the
// protocol steps are driven through Credo's tenant API, never stubbed.)
import { DidExchangeState } from '@credo-ts/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { loadConfig } from '../../src/config'
import { createLogger } from '../../src/logger'
import { resolveBootSecrets } from '../../src/secrets'
import { startServer, type RunningServer } from '../../src/server'
import { tenantService } from '../../src/services/tenants'
import { BACKENDS, tempDataDir } from '../helpers/backends'
import { call } from '../helpers/http'
import { freePort } from '../helpers/ports'
import { waitFor } from '../helpers/waitFor'

describe.each(BACKENDS)('DIDComm over the inbound endpoint on $name', (backend) => {
  let env: Record<string, string>
  let server: RunningServer
  let baseUrl: string
  let baseKey: Record<string, string>

  async function walletWithKey(name: string) {
    const created = await call(baseUrl, 'POST', '/api/subwallet/create', { headers: baseKey, body: { wallet_name: name, label: name } })
    const key = await call(baseUrl, 'POST', '/api/apikey/create', {
      headers: baseKey,
      body: { wallet_id: created.body.wallet_id, name: 'k', roles: ['viewer'] },
    })
    return { walletId: created.body.wallet_id as string, apiKey: key.body.api_key as string }
  }

  beforeAll(async () => {
    env = backend.env(tempDataDir())
    const inboundPort = await freePort()
    const config = loadConfig({
      ...env,
      CREDENCE_ADMIN_PORT: '0',
      CREDENCE_INBOUND_HOST: '127.0.0.1',
      CREDENCE_INBOUND_PORT: String(inboundPort),
      CREDENCE_ENDPOINT: `http://127.0.0.1:${inboundPort}`,
    })
    const secrets = resolveBootSecrets(config)
    server = await startServer(config, secrets, createLogger('error'))
    baseUrl = `http://127.0.0.1:${server.adminAddress.port}`
    baseKey = { 'x-api-key': secrets.baseApiKey }
  })

  afterAll(async () => {
    await server?.stop()
    await backend.cleanup(env)
  })

  it('connects two tenants and lists each side in its own wallet only', async () => {
    const inviter = await walletWithKey('inviter')
    const invitee = await walletWithKey('invitee')
    const tenants = tenantService(server.agent)

    const invitation = await tenants.withTenant(inviter.walletId, async (agent) => {
      const record = await agent.oob.createInvitation({ autoAcceptConnection: true })
      return record.outOfBandInvitation
    })
    await tenants.withTenant(invitee.walletId, (agent) =>
      agent.oob.receiveInvitation(invitation, { autoAcceptConnection: true, autoAcceptInvitation: true }),
    )

    for (const wallet of [inviter, invitee]) {
      await waitFor(`a completed connection in wallet ${wallet.walletId}`, async () => {
        const states = await tenants.withTenant(wallet.walletId, async (agent) => (await agent.connections.getAll()).map((c) => c.state))
        return states.length === 1 && states[0] === DidExchangeState.Completed ? true : undefined
      })
    }

    const inviterRows = await call(baseUrl, 'GET', '/api/v1/connections', { headers: { 'x-api-key': inviter.apiKey } })
    expect(inviterRows.status).toBe(200)
    expect(inviterRows.body.count).toBe(1)
    expect(inviterRows.body.rows[0]).toMatchObject({
      state: 'active',
      their_label: 'invitee',
      their_role: 'invitee',
      wallet_id: inviter.walletId,
      their_did: expect.stringMatching(/^did:peer:/),
      my_did: expect.stringMatching(/^did:peer:/),
    })

    const inviteeRows = await call(baseUrl, 'GET', '/api/v1/connections', { headers: { 'x-api-key': invitee.apiKey } })
    expect(inviteeRows.body.count).toBe(1)
    expect(inviteeRows.body.rows[0]).toMatchObject({ state: 'active', their_label: 'inviter', their_role: 'inviter', wallet_id: invitee.walletId })
    expect(inviteeRows.body.rows[0].connection_id).not.toBe(inviterRows.body.rows[0].connection_id)
  })
})
