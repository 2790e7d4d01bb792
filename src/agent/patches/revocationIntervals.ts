// Non-revocation intervals whose `from` differs from `to`.
//
// RFC 0441 recommends `from` = `to`, and Credo 0.5.19 refuses any other interval outright: the
// holder could neither list credentials for such a request nor prove it. ACA-Py's verifiers send
// them (its own scenario scripts ask for `{from: t - 1, to: t}`), and ACA-Py's holder proves at
// `to`, which lies in the interval. Credo's proof code already fetches the status list at `to`;
// only the refusal goes, and an interval without `to` is still refused, as before.
import { CredoError } from '@credo-ts/core'

import { credoRevocationInterval } from '../credoInternals'
import type { CredoPatch } from './patch'

export const revocationIntervals: CredoPatch = {
  name: 'revocationIntervals',
  targets: { package: '@credo-ts/anoncreds', version: '0.5.19' },
  why: 'a proof request whose non_revoked interval has from ≠ to (as ACA-Py verifiers send) could not be answered',
  upstream: 'none known; RFC 0441 calls from = to a best practice, not a rule',
  members: () => [{ owner: 'utils/revocationInterval', object: credoRevocationInterval, member: 'assertBestPracticeRevocationInterval' }],
}

let installed = false

export function proveAnyIntervalAtItsEnd(): void {
  if (installed) return
  installed = true
  credoRevocationInterval.assertBestPracticeRevocationInterval = (interval) => {
    if (!interval.to) throw new CredoError("Presentation requests proof of non-revocation with no 'to' value specified")
    if (interval.from !== undefined && interval.from > interval.to) {
      throw new CredoError(`Presentation requests proof of non-revocation with an interval from '${interval.from}' after its end '${interval.to}'`)
    }
  }
}
