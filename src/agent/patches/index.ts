// The places where Credence changes Credo (or a library under it) at run time, one file each:
// members of library classes and objects replaced or wrapped, because the library's behaviour
// breaks an ACA-Py peer or controller, leaks, or cannot be configured per tenant. Extensions
// through public APIs (handlers, middleware, resolvers, modules, subclasses) live beside this
// folder in src/agent/, not here.
//
// Each patch names the package version it was written against and the members it relies on.
// `checkPatches()` runs before any is installed: a member an upgrade removed is a boot error
// naming the patch (a silent no-op would bring the old bug back), and a different version of a
// targeted package is a warning to re-read the patch.
import { createRequire } from 'node:module'

import { BootRefusal } from '../../errors'
import { anonCredsFormatLabels } from './anonCredsFormatLabels'
import { askarWrapper } from './askarWrapper'
import { cheqdRegistryNames } from './cheqdRegistryNames'
import { cheqdResourceVersionTime } from './cheqdResourceVersionTime'
import { connectionBirth } from './connectionBirth'
import { connectionReuse } from './connectionReuse'
import { didExchangeResponses } from './didExchangeResponses'
import { indyReadYourWrites } from './indyReadYourWrites'
import { indyTaaPerTenant } from './indyTaaPerTenant'
import { invalidPresentationsKept } from './invalidPresentationsKept'
import { legacyDidExchange } from './legacyDidExchange'
import { legacyIndyRevocation } from './legacyIndyRevocation'
import { legacyRevocationRegistryIds } from './legacyRevocationRegistryIds'
import { messageHandlers } from './messageHandlers'
import { mixedIndyIdentifiers } from './mixedIndyIdentifiers'
import { revocationIntervals } from './revocationIntervals'
import { warmTenantContexts } from './warmTenantContexts'
import type { CredoPatch } from './patch'

export type { CredoPatch } from './patch'

/** Every patch, in the order createAgent installs them. */
export const PATCHES: readonly CredoPatch[] = [
  askarWrapper,
  connectionBirth,
  messageHandlers,
  connectionReuse,
  didExchangeResponses,
  legacyDidExchange,
  indyTaaPerTenant,
  indyReadYourWrites,
  anonCredsFormatLabels,
  legacyRevocationRegistryIds,
  legacyIndyRevocation,
  invalidPresentationsKept,
  mixedIndyIdentifiers,
  revocationIntervals,
  cheqdRegistryNames,
  cheqdResourceVersionTime,
  warmTenantContexts,
]

export class PatchTargetMissing extends BootRefusal {}

const load = createRequire(__filename)
const installedVersion = (pkg: string): string | undefined => {
  try {
    return (load(`${pkg}/package.json`) as { version: string }).version
  } catch {
    return undefined
  }
}

/**
 * Throws PatchTargetMissing for the first patch whose members are gone; returns one warning per
 * patch whose package is installed at another version than the one it targets.
 */
export function checkPatches(patches: readonly CredoPatch[] = PATCHES): string[] {
  const warnings: string[] = []
  for (const patch of patches) {
    const installed = installedVersion(patch.targets.package)
    const versionNote = `written for ${patch.targets.package} ${patch.targets.version}, installed ${installed ?? 'none'}`
    for (const { owner, object, member } of patch.members()) {
      if (!(member in object)) {
        throw new PatchTargetMissing(
          `Credo patch ${patch.name} (src/agent/patches/${patch.name}.ts) needs ${owner}.${member}, which the installed package lacks (${versionNote}). Without it: ${patch.why}. Re-read the patch before upgrading.`,
        )
      }
    }
    if (installed !== patch.targets.version) warnings.push(`Credo patch ${patch.name}: ${versionNote}; re-read it (${patch.why})`)
  }
  return warnings
}
