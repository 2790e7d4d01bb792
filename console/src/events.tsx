// One live event stream per signed-in wallet, shared by every page: a page subscribes to the
// topics it shows and reloads or updates when one arrives (no manual refresh anywhere).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'

import { followEvents, type Session, type WalletEvent } from './api'

type Listener = (event: WalletEvent) => void

interface Events {
  live: boolean
  subscribe(listener: Listener): () => void
}

const EventsContext = createContext<Events>({ live: false, subscribe: () => () => undefined })

export function EventsProvider({ session, children }: { session: Session; children: ReactNode }) {
  const listeners = useRef(new Set<Listener>())
  const [live, setLive] = useState(false)
  useEffect(() => {
    const aborter = new AbortController()
    void followEvents(session, (event) => listeners.current.forEach((listener) => listener(event)), setLive, aborter.signal)
    return () => aborter.abort()
  }, [session.apiKey, session.walletId])
  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener)
    return () => void listeners.current.delete(listener)
  }, [])
  const value = useMemo<Events>(() => ({ live, subscribe }), [live, subscribe])
  return <EventsContext.Provider value={value}>{children}</EventsContext.Provider>
}

export const useLive = () => useContext(EventsContext).live

/** Calls `handler` for every event of `topics` (the handler may change between renders). */
export function useWalletEvents(topics: string[], handler: (event: WalletEvent) => void) {
  const { subscribe } = useContext(EventsContext)
  const latest = useRef(handler)
  latest.current = handler
  const key = topics.join(',')
  useEffect(() => subscribe((event) => (topics.includes(event.topic) ? latest.current(event) : undefined)), [subscribe, key])
}
