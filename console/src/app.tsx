// The console's frame: sign-in, the navigation, and the hash routes (#/connections, …). The key
// is kept in sessionStorage only, so it is gone with the tab.
import { useEffect, useState } from 'react'

import type { Session } from './api'
import { EventsProvider, useLive } from './events'
import { Admin } from './pages/Admin'
import { ConnectionDetail } from './pages/ConnectionDetail'
import { Connections } from './pages/Connections'
import { Credentials } from './pages/Credentials'
import { Invitations } from './pages/Invitations'
import { Schemas } from './pages/Schemas'
import { SignIn } from './pages/SignIn'
import { Verifications } from './pages/Verifications'

const STORAGE_KEY = 'credence-console-session'

function savedSession(): Session | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') ?? undefined
  } catch {
    return undefined
  }
}

function useHashRoute(): string {
  const [hash, setHash] = useState(window.location.hash)
  useEffect(() => {
    const changed = () => setHash(window.location.hash)
    window.addEventListener('hashchange', changed)
    return () => window.removeEventListener('hashchange', changed)
  }, [])
  return hash.replace(/^#/, '').split('?')[0] || '/connections'
}

const WALLET_PAGES = [
  ['/connections', 'Connections'],
  ['/invitations', 'Invitations'],
  ['/credentials', 'Credentials'],
  ['/verifications', 'Verifications'],
  ['/schemas', 'Schemas'],
] as const

export const canManageKeys = (session: Session) => session.admin || session.roles.some((role) => role === 'admin' || role === 'super-admin')

export function App() {
  const [session, setSession] = useState<Session | undefined>(savedSession)
  const route = useHashRoute()
  const update = (next: Session | undefined) => {
    if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next))
    else sessionStorage.removeItem(STORAGE_KEY)
    setSession(next)
  }
  if (!session) return <SignIn onSignedIn={update} />
  const page = session.walletId ? <WalletPage route={route} session={session} onSession={update} /> : <Admin session={session} onSession={update} />
  return (
    <>
      <header className="container-fluid topbar">
        <nav aria-label="Main">
          <ul>
            <li>
              <strong>Credence</strong>
            </li>
            {session.walletId && (
              <li className="wallet-name" data-testid="wallet-name">
                {session.walletLabel ?? session.walletId}
              </li>
            )}
          </ul>
          <ul className="nav-links">
            {session.walletId &&
              WALLET_PAGES.map(([path, label]) => (
                <li key={path}>
                  <a href={`#${path}`} aria-current={route.startsWith(path) ? 'page' : undefined}>
                    {label}
                  </a>
                </li>
              ))}
            {canManageKeys(session) && (
              <li>
                <a href="#/admin" aria-current={route === '/admin' || !session.walletId ? 'page' : undefined}>
                  Admin
                </a>
              </li>
            )}
            <li>
              <button type="button" className="secondary outline small" onClick={() => update(undefined)}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main className="container">{session.walletId ? <EventsProvider session={session}>{page}</EventsProvider> : page}</main>
    </>
  )
}

function WalletPage({ route, session, onSession }: { route: string; session: Session; onSession: (s: Session | undefined) => void }) {
  const live = useLive()
  const connection = route.match(/^\/connections\/(.+)$/)
  let page
  if (connection) page = <ConnectionDetail session={session} connectionId={decodeURIComponent(connection[1])} />
  else if (route === '/invitations') page = <Invitations session={session} />
  else if (route === '/credentials') page = <Credentials session={session} />
  else if (route === '/verifications') page = <Verifications session={session} />
  else if (route === '/schemas') page = <Schemas session={session} />
  else if (route === '/admin' && canManageKeys(session)) page = <Admin session={session} onSession={onSession} />
  else page = <Connections session={session} />
  return (
    <>
      <p className="live" data-testid="live">
        <span className={live ? 'dot dot-live' : 'dot'} aria-hidden="true" /> {live ? 'Live' : 'Connecting…'}
      </p>
      {page}
    </>
  )
}
