/**
 * Runs calls on the same key one after another, in the order asked: two registrations of the same
 * object cannot both pass the "already exists" check, two updates of one revocation status list
 * cannot both start from the same list. One process; see README for scale-out.
 */
export function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>()
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    tails.set(key, tail)
    try {
      return await run
    } finally {
      if (tails.get(key) === tail) tails.delete(key)
    }
  }
}

