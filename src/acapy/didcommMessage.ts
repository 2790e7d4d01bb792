// ACA-Py face: the shape of a DIDComm message an exchange record carries (V20CredOffer, V20PresRequest
// and the like): its type, id, formats and the attachments they name. Decorators (`~thread`,
// `~service`, …) ride along, so the object stays open.
import { z } from 'zod'

/** ACA-Py's V20CredFormat / V20PresFormat: which attachment holds which format. */
const attachmentFormat = z.object({ attach_id: z.string(), format: z.string() })

/** ACA-Py's AttachDecorator; `data` holds `base64`, `json`, `links` or a `jws`. */
const attachment = z
  .object({ '@id': z.string().optional(), 'mime-type': z.string().optional(), data: z.record(z.string(), z.unknown()) })
  .passthrough()

/** A message whose attachments are under `attachKey` (`offers~attach`, `presentations~attach`, …). */
export const didcommMessage = <K extends string, E extends z.ZodRawShape = {}>(attachKey: K, extra?: E) =>
  z
    .object({
      '@type': z.string(),
      '@id': z.string(),
      comment: z.string().nullable().optional(),
      formats: z.array(attachmentFormat),
      ...(extra ?? ({} as E)),
      ...({ [attachKey]: z.array(attachment) } as Record<K, z.ZodArray<typeof attachment>>),
    })
    .passthrough()
