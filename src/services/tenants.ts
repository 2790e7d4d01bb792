// Tenants: each is a Credo tenant whose wallet is an Askar profile in the base store. Every
// tenant-scoped operation goes through withTenant, which always ends the session it opened;
// a leaked session would slowly starve the global session limit.
import { MessageSendingError, RecordNotFoundError, type TenantRecord } from '../agent/credo'

import type { CredenceAgent } from '../agent/createAgent'
import { forgetTenantContext } from '../agent/patches/warmTenantContexts'
import { DomainError, peerUnavailable } from '../errors'

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
    /** Changes the tenant record; its warm context, made from the old one, is closed. */
    async update(tenant: TenantRecord): Promise<void> {
      await tenants.updateTenant(tenant)
      await forgetTenantContext(agent.context, tenant.id)
    },
    async delete(tenantId: string): Promise<void> {
      try {
        await tenants.deleteTenantById(tenantId)
      } finally {
        await forgetTenantContext(agent.context, tenantId)
      }
    },
    /** Deletes the tenant; one that is already gone counts as deleted. */
    async deleteIfPresent(tenantId: string): Promise<void> {
      try {
        await this.delete(tenantId)
      } catch (error) {
        if (!(error instanceof RecordNotFoundError)) throw error
      }
    },
    async withTenant<T>(tenantId: string, fn: (tenantAgent: TenantAgent) => Promise<T>): Promise<T> {
      // Credo logs every error thrown inside a tenant callback at error level; a refusal we
      // meant (unknown id, bad state) or an unreachable peer is carried out of the callback
      // instead and thrown here.
      let refusal: DomainError | undefined
      const result = await tenants.withTenantAgent({ tenantId }, async (tenantAgent) => {
        try {
          return await fn(tenantAgent)
        } catch (error) {
          if (error instanceof MessageSendingError) {
            refusal = peerUnavailable(`The other agent could not be reached: ${error.message}`)
            return undefined
          }
          if (!(error instanceof DomainError)) throw error
          refusal = error
          return undefined
        }
      })
      if (refusal) throw refusal
      return result as T
    },
  }
}

export type TenantService = ReturnType<typeof tenantService>
