// Serialization rules every ACA-Py record follows (reference §1.3).

/** ACA-Py prints microseconds: 2025-01-16T07:57:18.451554Z. */
export function acapyTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}

/** Top-level keys whose value is null or undefined are left out. */
/** `T` with the keys that may be null or undefined made optional and non-null; the others kept. */
export type WithoutNullish<T> = { [K in keyof T as null extends T[K] ? never : undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as null extends T[K] ? K : undefined extends T[K] ? K : never]?: NonNullable<T[K]>
}

export function dropNullish<const T extends Record<string, unknown>>(record: T): WithoutNullish<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined)) as WithoutNullish<T>
}

/** Only the listed keys that the record has (ACA-Py's trimmed webhook payloads). */
export function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]]))
}
