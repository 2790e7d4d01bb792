// Which version of a cheqd resource was in force at a time.
//
// A revocation status list on cheqd is a DID-linked resource with one version per publication, and
// a holder or verifier asks for the one in force at a time (`resourceVersionTime`). Credo 0.5's
// resolver took the version created *closest* to that time, before or after it: a proof for a
// moment just before a revocation was built on the list published after it, and failed, and a
// verifier could read a list newer than the one the proof was made with.
//
// The version in force is the last one created at or before the time, as later Credo releases pick
// it; creation times are compared to the second, since the time asked for is in whole seconds and
// a list's timestamp is its creation time floored to the second.
import { credoCheqdResourceVersions } from '../credoInternals'
import type { CredoPatch } from './patch'

export const cheqdResourceVersionTime: CredoPatch = {
  name: 'cheqdResourceVersionTime',
  targets: { package: '@credo-ts/cheqd', version: '0.5.13' },
  why: 'a cheqd status list asked for at a time was the version closest to it, possibly one published after it',
  upstream: 'fixed in later Credo releases (the latest version created at or before the time); not in 0.5.x',
  members: () => [{ owner: 'didCheqdUtil', object: credoCheqdResourceVersions, member: 'getClosestResourceVersion' }],
}

let installed = false

export function readCheqdResourcesAsOfTheirTime(): void {
  if (installed) return
  installed = true
  credoCheqdResourceVersions.getClosestResourceVersion = <T extends { created?: Date }>(resources: T[], date: Date): T | undefined => {
    let inForce: T | undefined
    let inForceAt = Number.NEGATIVE_INFINITY
    for (const resource of resources) {
      if (!resource.created) throw new Error("Missing required property 'created' on resource")
      const createdAt = Math.floor(resource.created.getTime() / 1000) * 1000
      if (createdAt <= date.getTime() && createdAt >= inForceAt) {
        inForce = resource
        inForceAt = createdAt
      }
    }
    return inForce
  }
}
