// Small pieces every page uses: loading data, forms that show the API's errors next to the field
// it names, state badges, copy buttons, times.
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react'

import { ApiError } from './api'

/** Loads with `load` now and whenever `reload()` is called; keeps the last good data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<string>()
  const [version, setVersion] = useState(0)
  useEffect(() => {
    let current = true
    load().then(
      (value) => current && (setData(value), setError(undefined)),
      (failure: Error) => current && setError(failure.message),
    )
    return () => {
      current = false
    }
  }, [version, ...deps])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { data, error, reload }
}

/** A form's submit state: the API's error (and the field it named), and whether it is busy. */
export function useSubmit() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true)
    setError(undefined)
    try {
      return await action()
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, (failure as Error).message))
      return undefined
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, run, clear: () => setError(undefined) }
}

/** Whether the API's error is about `field` (or a part of it, such as `attributes.0.value`). */
export const isAbout = (error: ApiError | undefined, field: string) =>
  !!error?.field && (error.field === field || error.field.startsWith(`${field}.`) || error.field.startsWith(`body.${field}`))

interface FieldProps {
  label: string
  name: string
  error?: ApiError
  /** Further request fields this input answers for. */
  alsoFor?: string[]
  hint?: ReactNode
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode
}

/** A labelled input whose API error, when the API names its field, shows right under it. */
export function Field({ label, name, error, alsoFor = [], hint, children }: FieldProps) {
  // Unique per input: two forms on a page may ask for the same field (create and edit).
  const id = `field-${useId().replace(/:/g, '')}`
  const mine = [name, ...alsoFor].some((field) => isAbout(error, field))
  return (
    <label htmlFor={id}>
      {label}
      {children({ id, ...(mine ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {}) })}
      {mine ? (
        <small id={`${id}-error`} className="field-error" role="alert" data-error-for={name}>
          {error!.message}
        </small>
      ) : hint ? (
        <small>{hint}</small>
      ) : null}
    </label>
  )
}

/** The form's error when no field of the form claims it. */
export function FormError({ error, fields }: { error?: ApiError; fields: string[] }) {
  if (!error || fields.some((field) => isAbout(error, field))) return null
  return (
    <p className="form-error" role="alert">
      {error.message}
    </p>
  )
}

export function LoadError({ error }: { error?: string }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null
}

const GOOD = new Set(['active', 'completed', 'accepted', 'done', 'credential_acked', 'verified', 'delivered', 'sent', 'received', 'Verified', 'Issued'])
const BAD = new Set(['error', 'abandoned', 'failed', 'deleted', 'inactive', 'revoked', 'Not Verified', 'declined'])

export function StateBadge({ state, testId }: { state: string | null | undefined; testId?: string }) {
  const word = state ?? 'none'
  const tone = GOOD.has(word) ? 'good' : BAD.has(word) ? 'bad' : 'wait'
  return (
    <span className={`badge badge-${tone}`} data-testid={testId} role="status">
      {word.replace(/_/g, ' ')}
    </span>
  )
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      className="secondary outline small"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true)
            setTimeout(() => setCopied(false), 1500)
          },
          () => undefined,
        )
      }
    >
      {copied ? 'Copied' : label}
    </button>
  )
}

/** A read-only value to copy (a link, a key shown once), selected whole when focused. */
export function CopyField({ label, value, testId }: { label: ReactNode; value: string; testId: string }) {
  return (
    <label>
      {label}
      <div className="copy-row">
        <input readOnly value={value} data-testid={testId} onFocus={(e) => e.target.select()} />
        <CopyButton text={value} />
      </div>
    </label>
  )
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—')

/** Reads `?name=` from the hash route (`#/credentials?contact=…`). */
export function hashParam(name: string): string | undefined {
  const query = window.location.hash.split('?')[1]
  return query ? (new URLSearchParams(query).get(name) ?? undefined) : undefined
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>
}

/** A list as a table that scrolls sideways on small screens, or a line saying it is empty. */
export function Table({
  testId,
  headers,
  rows,
  empty,
  children,
}: {
  testId: string
  headers: string[]
  rows: unknown[]
  empty: ReactNode
  children: ReactNode
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>
  return (
    <div className="overflow-auto">
      <table className="striped" data-testid={testId}>
        <thead>
          <tr>
            {headers.map((header, index) => (
              <th key={index}>{header}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
