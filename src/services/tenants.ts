// Tenants: each is a Credo tenant whose wallet is an Askar profile in the base store. Every
// tenant-scoped operation goes through withTenant, which always ends the session it opened;
// a leaked session would slowly starve the global session limit.
import { RecordNotFoundError } from '@credo-ts/core'
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
    delete(tenantId: string): Promise<void> {
      return tenants.deleteTenantById(tenantId)
    },
    /** Deletes the tenant; one that is already gone counts as deleted. */
    async deleteIfPresent(tenantId: string): Promise<void> {
      try {
        await tenants.deleteTenantById(tenantId)
      } catch (error) {
        if (!(error instanceof RecordNotFoundError)) throw error
      }
    },
    withTenant<T>(tenantId: string, fn: (tenantAgent: TenantAgent) => Promise<T>): Promise<T> {
      return tenants.withTenantAgent({ tenantId }, fn)
    },
  }
}

export type TenantService = ReturnType<typeof tenantService>
