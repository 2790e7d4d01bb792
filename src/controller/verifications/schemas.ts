// Proven face, verification request bodies (seed 003 "Verifications - Create Verification Request
// (AnonCred)"). `schemas` comes in the seed's two forms, normalised here to one map of attribute
// name → restrictions:
//   {schema_id, schema_attributes: ["Username"]}         each attribute restricted to that schema
//   {schema_attributes: {domain: {restrictions: [{…}]}}} the restrictions given; an empty list, an
//                                                        empty object or none at all: no restriction
// Credence adds `predicates: [{name, p_type, p_value}]` to an entry (AnonCreds predicates, proved
// without revealing the value, restricted like the entry's attributes); with predicates an entry
// may reveal no attribute at all.
import { invalid } from '../../errors'
import type { SchemaAttributes, SchemaPredicate } from '../../services/controllerRequests'

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
