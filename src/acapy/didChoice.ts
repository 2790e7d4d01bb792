// ACA-Py's rule for the options that pick our DID (create-invitation, create-request,
// accept-invitation): at most one of use_did, use_did_method and use_public_did; a breach is a 400.
import { badRequest } from '../errors'

export function assertOneDidChoice(choice: { use_did?: string; use_did_method?: unknown; use_public_did?: boolean }): void {
  const given = [choice.use_did, choice.use_did_method, choice.use_public_did || undefined].filter((value) => value !== undefined)
  if (given.length > 1) throw badRequest('use_did', 'use_did, use_did_method and use_public_did are mutually exclusive')
}
