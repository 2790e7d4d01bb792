// ACA-Py face, DID exchange: query-string parameters (reference §5).
import { z } from 'zod'

import { queryBool } from '../queryParams'

const didMethod = z.enum(['did:peer:2', 'did:peer:4']).transform((method) => (method === 'did:peer:2' ? 2 : 4) as 2 | 4)

export const createRequestQuery = z
  .object({
    their_public_did: z.string().regex(/^did:[a-z0-9]+:.+$/, 'must be a qualified DID (did:method:id)').max(2000),
    alias: z.string().max(200).optional(),
    auto_accept: queryBool.optional(),
    my_endpoint: z.string().url().optional(),
    my_label: z.string().max(200).optional(),
    mediation_id: z.string().optional(),
    use_public_did: queryBool.optional(),
    use_did: z.string().max(2000).optional(),
    use_did_method: didMethod.optional(),
    goal_code: z.string().max(500).optional(),
    goal: z.string().max(500).optional(),
    protocol: z.enum(['didexchange/1.0', 'didexchange/1.1']).optional(),
  })

export const acceptInvitationQuery = z.object({
  my_endpoint: z.string().url().optional(),
  my_label: z.string().max(200).optional(),
  use_did: z.string().max(2000).optional(),
  use_did_method: didMethod.optional(),
})

export const acceptRequestQuery = z.object({
  my_endpoint: z.string().url().optional(),
  mediation_id: z.string().optional(),
  use_public_did: queryBool.optional(),
})

export const rejectBody = z.object({ reason: z.string().max(1000).optional() }).strict()
