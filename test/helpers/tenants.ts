// Tenants on a running Credence process, driven through the ACA-Py admin API as a controller would.
import { adminKeyOf } from './backends'
import { call, type JsonResponse } from './http'
import type { ServerProcess } from './serverProcess'
import { waitFor } from './waitFor'

export interface TestTenant {
  walletId: string
  token: string
  api<T = any>(method: string, path: string, options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<JsonResponse<T>>
  /** Polls GET /connections/{id} until its rfc23_state is `state`. */
  connectionReaches(connectionId: string, state: string): Promise<any>
}

export async function createTenant(
  server: ServerProcess,
  name: string,
  options: { webhookUrls?: string[]; dispatchType?: 'default' | 'base' | 'both' } = {},
): Promise<TestTenant> {
  const created = await call(server.adminUrl, 'POST', '/multitenancy/wallet', {
    headers: { 'x-api-key': adminKeyOf(server.env as Record<string, string>) },
    body: {
      wallet_name: `${name}-${Math.random().toString(36).slice(2, 8)}`,
      label: name,
      ...(options.webhookUrls ? { wallet_webhook_urls: options.webhookUrls } : {}),
      ...(options.dispatchType ? { wallet_dispatch_type: options.dispatchType } : {}),
    },
  })
  if (created.status !== 200) throw new Error(`creating tenant ${name}: ${created.status} ${JSON.stringify(created.body)}`)
  const token = created.body.token as string
  const tenant: TestTenant = {
    walletId: created.body.wallet_id,
    token,
    api: (method, path, callOptions = {}) =>
      call(server.adminUrl, method, path, { ...callOptions, headers: { authorization: `Bearer ${tenant.token}`, ...callOptions.headers } }),
    connectionReaches: (connectionId, state) =>
      waitFor(`connection ${connectionId} of ${name} to reach ${state}`, async () => {
        const { status, body } = await tenant.api('GET', `/connections/${connectionId}`)
        if (status === 200 && body.rfc23_state === 'abandoned' && state !== 'abandoned') {
          throw new Error(`connection ${connectionId} was abandoned: ${body.error_msg}`)
        }
        return status === 200 && body.rfc23_state === state ? body : undefined
      }, 30_000),
  }
  return tenant
}

/**
 * Connects two tenants as a controller would: `inviter` makes an out-of-band invitation (DID
 * exchange 1.1, auto-accepted), `invitee` receives it; both connection ids once completed.
 */
export async function connectTenants(inviter: TestTenant, invitee: TestTenant): Promise<{ inviterConnection: string; inviteeConnection: string }> {
  const invitation = await inviter.api('POST', '/out-of-band/create-invitation?auto_accept=true', {
    body: { handshake_protocols: ['https://didcomm.org/didexchange/1.1'] },
  })
  const received = await invitee.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: invitation.body.invitation })
  const inviteeConnection = received.body.connection_id as string
  await invitee.connectionReaches(inviteeConnection, 'completed')
  const inviterConnection = await waitFor("the inviter's connection", async () => {
    const { body } = await inviter.api('GET', `/connections?invitation_msg_id=${invitation.body.invi_msg_id}&state=completed`)
    return body.results?.[0]?.connection_id as string | undefined
  })
  return { inviterConnection, inviteeConnection }
}
