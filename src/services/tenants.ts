// Tenants: each is a Credo tenant whose wallet is an Askar profile in the base store. Every
// tenant-scoped operation goes through withTenant, which always ends the session it opened;
// a leaked session would slowly starve the global session limit.
import type { TenantRecord } from '@credo-ts/tenants'

import type { CredenceAgent } from '../agent/createAgent'

export type TenantAgent = Parameters<Parameters<CredenceAgent['modules']['tenants']['withTenantAgent']>[1]>[0]

export function tenantService(agent: CredenceAgent) {
  const tenants = agent.modules.tenants
  return {
    create(label: string): Promise<TenantRecord> {
      return tenants.createTenant({ config: { label } })
    },
    get(tenantId: string): Promise<TenantRecord> {
      return tenants.getTenantById(tenantId)
    },
    update(tenant: TenantRecord): Promise<void> {
      return tenants.updateTenant(tenant)
    },
    list(): Promise<TenantRecord[]> {
      return tenants.getAllTenants()
    },
    delete(tenantId: string): Promise<void> {
      return tenants.deleteTenantById(tenantId)
    },
    withTenant<T>(tenantId: string, fn: (tenantAgent: TenantAgent) => Promise<T>): Promise<T> {
      return tenants.withTenantAgent({ tenantId }, fn)
    },
  }
}

export type TenantService = ReturnType<typeof tenantService>
