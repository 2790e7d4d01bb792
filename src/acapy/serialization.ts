// Serialization rules every ACA-Py record follows (reference §1.3).

/** ACA-Py prints microseconds: 2025-01-16T07:57:18.451554Z. */
export function acapyTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}

/** Top-level keys whose value is null or undefined are left out. */
export function dropNullish<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined)) as Partial<T>
}

/** Only the listed keys that the record has (ACA-Py's trimmed webhook payloads). */
export function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]]))
}
