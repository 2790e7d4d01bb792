// ACA-Py face, status room: the probes' and the status routes' answers (ACA-Py's AdminStatus*).
import { z } from 'zod'

export const liveness = z.object({ alive: z.boolean() })
export const readiness = z.object({ ready: z.boolean() })
export const adminStatus = z.object({ version: z.string(), label: z.string().optional() })
/** ACA-Py's keys under `config`; Credence's own settings, by environment variable, under `credence`. */
export const adminConfig = z.object({ config: z.record(z.string(), z.unknown()), credence: z.record(z.string(), z.unknown()) })
