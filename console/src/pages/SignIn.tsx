// Sign-in with a wallet API key (the Proven face) or the admin key (then pick a wallet in Admin).
import { useState } from 'react'

import { api, ApiError, type Session } from '../api'
import { Field, FormError, useSubmit } from '../ui'

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('')
  const { busy, error, run } = useSubmit()

  async function signIn(): Promise<Session> {
    const apiKey = key.trim()
    if (!apiKey) throw new ApiError(400, 'Enter an API key', 'api_key')
    // One question answers both kinds of key: a wallet key names its wallet, the admin key none.
    const asWallet: Session = { apiKey, admin: false, roles: [] }
    let me
    try {
      me = await api(asWallet).GET('/api/v1/session')
    } catch (refusal) {
      const reason = refusal instanceof ApiError ? refusal.message : 'refused'
      throw new ApiError(401, `This key is neither a wallet API key nor the admin key (${reason})`, 'api_key')
    }
    if (me.credential === 'admin-key') return { apiKey, admin: true, roles: ['super-admin'] }
    return { ...asWallet, walletId: me.wallet_id ?? undefined, walletLabel: me.label ?? me.wallet_name ?? undefined, roles: me.roles }
  }

  return (
    <main className="container signin">
      <article>
        <header>
          <h1>Credence console</h1>
          <p>Sign in with a wallet API key, or with the admin key to manage wallets.</p>
        </header>
        <form
          noValidate
          onSubmit={async (event) => {
            event.preventDefault()
            const session = await run(signIn)
            if (session) onSignedIn(session)
          }}
        >
          <Field label="API key" name="api_key" error={error}>
            {(props) => <input {...props} type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />}
          </Field>
          <FormError error={error} fields={['api_key']} />
          <button type="submit" aria-busy={busy} disabled={busy}>
            Sign in
          </button>
        </form>
      </article>
    </main>
  )
}
