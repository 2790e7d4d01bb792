// Connections of one wallet, read from its Credo tenant. The DIDComm flows that create them
// arrive with the connections issue; listing works on whatever the tenant holds.
import type { ConnectionRecord } from '@credo-ts/core'

import type { TenantService } from './tenants'

export function connectionService(tenants: TenantService) {
  return {
    list(walletId: string): Promise<ConnectionRecord[]> {
      return tenants.withTenant(walletId, (tenantAgent) => tenantAgent.connections.getAll())
    },
  }
}

export type ConnectionService = ReturnType<typeof connectionService>
