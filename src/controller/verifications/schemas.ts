// Proven face, verifications (seed 003 "Verifications"): request bodies and the request records
// they answer. An AnonCreds request's `schemas` comes in the seed's two forms, normalised here to one map of attribute
// name → restrictions:
//   {schema_id, schema_attributes: ["Username"]}         each attribute restricted to that schema
//   {schema_attributes: {domain: {restrictions: [{…}]}}} the restrictions given; an empty list, an
//                                                        empty object or none at all: no restriction
// Credence adds `predicates: [{name, p_type, p_value}]` to an entry (AnonCreds predicates, proved
// without revealing the value, restricted like the entry's attributes); with predicates an entry
// may reveal no attribute at all.
import { z } from 'zod'

import { invalid } from '../../errors'
import type { SchemaAttributes, SchemaPredicate } from '../../services/controllerRequests'
import { recordAddress, recordOutcome, recordTimes, requestFields } from '../requestBasics'

/** `schemas` is checked by normaliseSchemas below, which names the field at fault in the seed's two forms. */
export const anonCredsVerificationBody = z.object({ ...requestFields, schemas: z.array(z.unknown()) }).strict()

export const jsonLdVerificationBody = z
  .object({
    ...requestFields,
    definitions: z
      .array(
        z
          .object({
            context: z.array(z.string().url('must be a URI').max(2000)).min(1, 'at least one context or type URI is required').max(20),
            attributes: z.array(z.string().min(1).max(200).regex(/^[A-Za-z_][\w-]*$/, 'must be a credentialSubject property name')).min(1, 'at least one attribute is required').max(100),
            label: z.string().max(500).optional(),
          })
          .strict(),
      )
      .min(1, 'at least one definition is required')
      .max(20),
  })
  .strict()

export const verificationIdParams = z.object({ verification_id: z.coerce.number({ message: 'must be an integer verification id' }).int().positive() })

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function restrictionsAt(value: unknown, field: string): Array<Record<string, string>> {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw invalid(field, `${field}: must be a list of restrictions`)
  return value.flatMap((restriction, index) => {
    if (!isObject(restriction) || Object.values(restriction).some((v) => typeof v !== 'string' || v.length > 1000)) {
      throw invalid(`${field}.${index}`, `${field}.${index}: a restriction is an object of strings (schema_id, cred_def_id, issuer_did, …)`)
    }
    // `{}` restricts nothing.
    return Object.keys(restriction).length > 0 ? [restriction as Record<string, string>] : []
  })
}

const PREDICATE_TYPES = ['>=', '>', '<=', '<'] as const

function predicatesAt(value: unknown, field: string, restrictions: Array<Record<string, string>>): SchemaPredicate[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw invalid(field, `${field}: must be a list of {name, p_type, p_value}`)
  return value.map((item, index) => {
    const at = `${field}.${index}`
    if (!isObject(item)) throw invalid(at, `${at}: must be an object {name, p_type, p_value}`)
    const { name, p_type: pType, p_value: pValue } = item
    if (typeof name !== 'string' || !name || name.length > 200) throw invalid(`${at}.name`, `${at}.name: attribute names are 1 to 200 characters`)
    if (!PREDICATE_TYPES.includes(pType as never)) throw invalid(`${at}.p_type`, `${at}.p_type: must be one of ${PREDICATE_TYPES.join(' ')}`)
    if (typeof pValue !== 'number' || !Number.isSafeInteger(pValue)) throw invalid(`${at}.p_value`, `${at}.p_value: must be an integer`)
    return { name, pType: pType as SchemaPredicate['pType'], pValue, restrictions }
  })
}

export function normaliseSchemas(schemas: unknown): { schemaAttributes: SchemaAttributes; schemaIds: string[]; predicates: SchemaPredicate[] } {
  if (!Array.isArray(schemas) || schemas.length === 0) throw invalid('schemas', 'schemas: at least one entry is required')
  const schemaAttributes: SchemaAttributes = {}
  const schemaIds: string[] = []
  const predicates: SchemaPredicate[] = []
  const add = (name: string, restrictions: Array<Record<string, string>>, field: string) => {
    if (!name || name.length > 200) throw invalid(field, `${field}: attribute names are 1 to 200 characters`)
    if (schemaAttributes[name]) throw invalid(field, `${field}: attribute ${name} is asked for twice`)
    schemaAttributes[name] = { restrictions }
  }
  schemas.forEach((entry, index) => {
    const field = `schemas.${index}`
    if (!isObject(entry)) throw invalid(field, `${field}: must be an object with schema_attributes`)
    const extra = Object.keys(entry).filter((key) => key !== 'schema_id' && key !== 'schema_attributes' && key !== 'predicates')
    if (extra.length > 0) throw invalid(`${field}.${extra[0]}`, `${field}: unknown field ${extra[0]}`)
    const schemaId = entry.schema_id
    if (schemaId !== undefined && (typeof schemaId !== 'string' || !schemaId)) throw invalid(`${field}.schema_id`, `${field}.schema_id: must be a schema id`)
    const attributes = entry.schema_attributes
    const entryPredicates = predicatesAt(entry.predicates, `${field}.predicates`, typeof schemaId === 'string' ? [{ schema_id: schemaId }] : [])
    predicates.push(...entryPredicates)
    if (entryPredicates.length > 0 && (attributes === undefined || (Array.isArray(attributes) && attributes.length === 0))) {
      if (typeof schemaId === 'string') schemaIds.push(schemaId)
    } else if (Array.isArray(attributes)) {
      if (!schemaId) throw invalid(`${field}.schema_id`, `${field}.schema_id: a list of schema_attributes needs the schema it comes from`)
      if (attributes.length === 0) throw invalid(`${field}.schema_attributes`, `${field}.schema_attributes: at least one attribute is required`)
      schemaIds.push(schemaId)
      attributes.forEach((name, at) => add(typeof name === 'string' ? name : '', [{ schema_id: schemaId }], `${field}.schema_attributes.${at}`))
    } else if (isObject(attributes) && Object.keys(attributes).length > 0) {
      for (const [name, item] of Object.entries(attributes)) {
        if (!isObject(item)) throw invalid(`${field}.schema_attributes.${name}`, `${field}.schema_attributes.${name}: must be an object ({restrictions?})`)
        const given = restrictionsAt(item.restrictions, `${field}.schema_attributes.${name}.restrictions`)
        add(name, given.length === 0 && schemaId ? [{ schema_id: schemaId }] : given, `${field}.schema_attributes.${name}`)
      }
      if (schemaId) schemaIds.push(schemaId)
    } else {
      throw invalid(`${field}.schema_attributes`, `${field}.schema_attributes: a list of attribute names or a map of attribute → {restrictions}`)
    }
  })
  return { schemaAttributes, schemaIds: [...new Set(schemaIds)], predicates }
}

// Responses.

/** A revealed attribute of a verified presentation; a JSON-LD value may be an object or a list. */
const revealed = <V extends z.ZodTypeAny>(value: V) => z.array(z.object({ name: z.string(), value }))

/** The AnonCreds verification request record of seed 003 ("Verifications"). */
export const anonCredsVerificationRecord = z.object({
  verification_id: z.number().int(),
  ...recordAddress,
  schema_id: z.null(),
  /** Attribute name → the restrictions a credential must meet (any of them). */
  schema_attributes: z.record(z.string(), z.object({ restrictions: z.array(z.record(z.string(), z.string())) })),
  /** Credence's addition, present when the request had predicates: AnonCreds' requested_predicates. */
  predicates: z.record(z.string(), z.unknown()).optional(),
  ...recordOutcome,
  /** The revealed values once verified, else empty. */
  result_data: revealed(z.string()),
  /** Every exchange the record started, oldest first. */
  presentation_exchange_id: z.array(z.string()),
  error: z.string(),
  ...recordTimes,
})
export const anonCredsVerificationRecords = z.array(anonCredsVerificationRecord)

const { wallet_id, ...outcomeAfterWallet } = recordOutcome

/** The JSON-LD verification request record of seed 003 ("Verifications - Create Verification Request (JSON-LD)"). */
export const jsonLdVerificationRecord = z.object({
  verification_id: z.number().int(),
  ...recordAddress,
  context: z.array(z.string()),
  attributes: z.array(z.string()),
  wallet_id,
  label: z.string().nullable(),
  ...outcomeAfterWallet,
  /** The asked-for attributes once verified, else null. */
  result_data: revealed(z.unknown()).nullable(),
  presentation_exchange_id: z.array(z.string()),
  error: z.string(),
  ...recordTimes,
})
export const jsonLdVerificationRecords = z.array(jsonLdVerificationRecord)
