// The web console in a real browser (Debian's Chromium through playwright-core) against two real
// Credence processes: seed 002's flow — a named connection shown as a QR code and links, accepted
// by a tenant of the second server, the card turning "accepted" without a reload — then a schema
// made on a hosted did:web, a credential issued from the form the schema generates, a JSON-LD
// credential from the form of its type, a proof with a predicate, a chat both ways, and the admin page (wallets, an API key shown once and revoked, a
// webhook delivery redelivered). Bad input is answered inline with the API's own words. Each main
// page is saved as a screenshot under test-artifacts/console/.
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { adminKeyOf, sqlite, tempDataDir } from '../helpers/backends'
import { clearScreenshots, launchBrowser, SCREENSHOT_DIR, screenshot } from '../helpers/browser'
import { call } from '../helpers/http'
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess'
import { createTenant, type TestTenant } from '../helpers/tenants'
import { waitFor } from '../helpers/waitFor'
import { startWebhookSink, type WebhookSink } from '../helpers/webhookSink'

const UI_TIMEOUT = 30_000

describe('web console', () => {
  let issuerServer: ServerProcess
  let holderServer: ServerProcess
  let browser: Browser
  let page: Page
  let sink: WebhookSink
  let issuer: { walletId: string; apiKey: string }
  let holder: TestTenant
  let holderKey: Record<string, string>
  let holderConnection: string
  const consoleErrors: string[] = []

  const baseKeyOf = (server: ServerProcess) => fs.readFileSync(path.join(server.env.CREDENCE_DATA_DIR!, 'secrets', 'base-api-key'), 'utf8').trim()

  /** A Proven-style wallet with an admin-role API key. */
  async function walletWithKey(server: ServerProcess, label: string) {
    const base = { 'x-api-key': baseKeyOf(server) }
    const created = await call(server.adminUrl, 'POST', '/api/subwallet/create', { headers: base, body: { wallet_name: `${label}-${Date.now()}`, label } })
    const minted = await call(server.adminUrl, 'POST', '/api/apikey/create', { headers: base, body: { wallet_id: created.body.wallet_id, name: 'ops', roles: ['admin'] } })
    return { walletId: created.body.wallet_id as string, token: created.body.token as string, apiKey: minted.body.api_key as string }
  }

  const waitText = (selector: string, wanted: string | RegExp) =>
    page.locator(selector).filter({ hasText: wanted }).first().waitFor({ timeout: UI_TIMEOUT })
  const go = async (hash: string) => {
    await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`)
    await page.locator('h1').first().waitFor()
  }

  /** Chooses the contact whose connection is named `name` (options read "Alice (1a2b3c4d)"). */
  async function chooseContact(form: ReturnType<Page['getByRole']>, name: string) {
    const select = form.getByTestId('contact-select')
    await select.locator('option', { hasText: name }).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT })
    await select.selectOption((await select.locator('option', { hasText: name }).first().getAttribute('value'))!)
  }

  async function signIn(key: string) {
    await page.goto(`${issuerServer.adminUrl}/console`)
    await page.getByLabel('API key').fill(key)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  beforeAll(async () => {
    clearScreenshots()
    sink = await startWebhookSink()
    issuerServer = await startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_LABEL: 'Issuer', CREDENCE_WEBHOOK_RETRY_MS: '100', CREDENCE_WEBHOOK_MAX_ATTEMPTS: '2' })
    // The holder resolves the issuer's did:web over plain HTTP on loopback.
    holderServer = await startServerProcess({ ...sqlite.env(tempDataDir()), CREDENCE_LABEL: 'Holder', CREDENCE_DID_WEB_ALLOW_HTTP: 'true' })
    issuer = await walletWithKey(issuerServer, 'Faber College')
    // The person's wallet app: a tenant of the second server, driven through the ACA-Py face, with
    // a key to read its received messages through the controller face.
    holder = await createTenant(holderServer, 'Alice')
    const minted = await call(holderServer.adminUrl, 'POST', '/api/apikey/create', {
      headers: { 'x-api-key': baseKeyOf(holderServer) },
      body: { wallet_id: holder.walletId, name: 'reader', roles: ['viewer'] },
    })
    holderKey = { 'x-api-key': minted.body.api_key }
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
  })

  // A failed step leaves a picture of what the page showed, next to the others.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return
    const name = `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`
    if (page) await screenshot(page, name).catch(() => undefined)
    fs.writeFileSync(path.join(SCREENSHOT_DIR, `${name}.log`), `--- issuer ---\n${issuerServer.output()}\n--- holder ---\n${holderServer.output()}`)
  })

  afterAll(async () => {
    await browser?.close()
    await Promise.all([issuerServer?.stop(), holderServer?.stop()])
    await sink?.stop()
  })

  it('is served by Credence with a strict content security policy, and refuses a wrong key inline', async () => {
    const response = await fetch(`${issuerServer.adminUrl}/console`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
    const html = await response.text()
    // Everything the page loads is Credence's own (no CDN at run time).
    expect(html).not.toMatch(/src="https?:/)
    expect((await fetch(`${issuerServer.adminUrl}/console/assets/nope.js`)).status).toBe(404)

    await signIn('not-a-key')
    await waitText('[role=alert]', 'neither a wallet API key nor the admin key')
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true')
    await screenshot(page, '01-sign-in-refused')
  })

  it('makes a named connection, shows it as a QR code and links, and turns the card accepted live', async () => {
    await signIn(issuer.apiKey)
    await waitText('[data-testid=wallet-name]', 'Faber College')
    await waitText('[data-testid=live]', 'Live')
    await page.evaluate('window.__sameDocument = true')

    await page.getByLabel('Name of the person or organisation').fill('Alice')
    await page.getByRole('button', { name: 'New connection' }).click()
    const card = page.locator('[data-testid=connection-card]')
    await card.waitFor({ timeout: UI_TIMEOUT })
    await waitText('[data-testid=connection-card-state]', 'waiting')
    const invitationUrl = await page.locator('[data-testid=invitation-url]').inputValue()
    const shortUrl = await page.locator('[data-testid=short-url]').inputValue()
    expect(invitationUrl).toMatch(/[?&]oob=/)
    expect(shortUrl).toMatch(new RegExp(`^${issuerServer.inboundUrl}/i/`))
    expect(await page.locator('[data-testid=deep-link]').getAttribute('href')).toMatch(/^didcomm:\/\/invite\?oob=/)
    // The QR code is a real image (the short link, drawn in the browser).
    const qrWidth = await page.locator('[data-testid=invitation-qr]').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)
    expect(qrWidth).toBeGreaterThan(100)
    await screenshot(page, '02-new-connection-waiting')

    // The person accepts in their wallet: a tenant of the second server follows the link.
    const received = await holder.api('POST', '/out-of-band/receive-invitation?auto_accept=true', { body: { invitation_url: invitationUrl } })
    expect(received.status, JSON.stringify(received.body)).toBe(200)
    holderConnection = received.body.connection_id

    await waitText('[data-testid=connection-card-state]', 'accepted')
    expect(await page.evaluate('window.__sameDocument')).toBe(true)
    await waitText('[data-testid=connections-table]', 'Alice')
    await waitText('[data-testid=connections-table] [role=status]', 'active')
    await screenshot(page, '03-connection-accepted')
  })

  it('answers bad invitation rules inline, and creates, edits and deactivates an invitation', async () => {
    await go('#/invitations')
    const form = page.getByRole('form', { name: 'New invitation' })
    await form.getByLabel('Name').fill('Open day')
    await form.getByLabel('Mode').selectOption('multi')
    await form.getByLabel('Uses allowed').fill('0')
    await form.getByRole('button', { name: 'Create invitation' }).click()
    await waitText('[data-error-for=uses_allowed]', 'uses_allowed: must be at least 1')
    await form.getByLabel('Uses allowed').fill('5')
    await form.getByRole('button', { name: 'Create invitation' }).click()
    const row = page.locator('[data-testid=invitations-table] tr', { hasText: 'Open day' })
    await row.waitFor({ timeout: UI_TIMEOUT })
    expect(await row.locator('[data-testid=uses]').textContent()).toBe('0 / 5')

    await row.getByRole('button', { name: 'Edit' }).click()
    const edit = page.locator('form[aria-label="Edit invitation Open day"]')
    await edit.getByLabel('Uses allowed').fill('3')
    await edit.getByLabel('Description').fill('Visitors on Saturday')
    await edit.getByRole('button', { name: 'Save' }).click()
    await waitText('[data-testid=invitations-table] tr', 'Visitors on Saturday')
    expect(await row.locator('[data-testid=uses]').textContent()).toBe('0 / 3')
    await row.getByRole('button', { name: 'Deactivate' }).click()
    await row.getByRole('button', { name: 'Activate', exact: true }).waitFor({ timeout: UI_TIMEOUT })
    expect(await row.locator('[role=status]').textContent()).toBe('inactive')
    await screenshot(page, '04-invitations')
  })

  it('creates a did:web, a schema and a credential definition, with bad input answered inline', async () => {
    await go('#/schemas')
    await page.getByRole('button', { name: 'Create a did:web hosted here and make it public' }).click()
    await waitText('[data-testid=public-did]', 'did:web:')
    const form = page.getByRole('form', { name: 'New schema' })
    await form.getByLabel('Name').fill('Membership')
    await form.getByLabel('Version').fill('one')
    await form.getByLabel('Attributes (comma separated)').fill('name, level')
    await form.getByRole('button', { name: 'Create schema' }).click()
    await waitText('[data-error-for=version]', 'version: must look like 1.0')
    await form.getByLabel('Version').fill('1.0')
    await form.getByRole('button', { name: 'Create schema' }).click()
    await waitText('[data-testid=schemas-list]', 'Membership 1.0')
    const definition = page.getByRole('form', { name: 'New credential definition' })
    await definition.getByLabel('Schema').selectOption({ label: 'Membership 1.0' })
    // Revocable: the connection page offers to revoke what it issues (below).
    await definition.getByRole('switch', { name: /Revocable/ }).check()
    await definition.getByRole('button', { name: 'Create credential definition' }).click()
    await waitText('[data-testid=definitions-list]', 'default')
    await screenshot(page, '05-schemas')
  })

  it('issues a credential from the form the schema generates, and the record completes', async () => {
    await go('#/credentials')
    const form = page.getByRole('form', { name: 'Issue an AnonCreds credential' })
    // No schema chosen: the API's refusal, under the schema field.
    await chooseContact(form, 'Alice')
    await form.getByRole('button', { name: 'Issue credential' }).click()
    await waitText('[data-error-for=schema_id]', 'schema_id')
    await form.getByTestId('schema-select').selectOption({ label: 'Membership 1.0' })
    await form.getByLabel('name', { exact: true }).fill('Alice')
    await form.getByLabel('level', { exact: true }).fill('3')
    await form.getByRole('button', { name: 'Issue credential' }).click()
    await waitText('[data-testid=issuance-records]', 'Membership')

    const offer = await waitFor('the offer at the holder', async () => (await holder.api('GET', '/issue-credential-2.0/records?state=offer-received')).body.results?.[0])
    const credExId = offer.cred_ex_record.cred_ex_id
    expect((await holder.api('POST', `/issue-credential-2.0/records/${credExId}/send-request`, { body: {} })).status).toBe(200)
    await waitFor('the credential at the holder', async () => (await holder.api('GET', `/issue-credential-2.0/records/${credExId}`)).body.cred_ex_record?.state === 'credential-received' || undefined)
    expect((await holder.api('POST', `/issue-credential-2.0/records/${credExId}/store`, { body: {} })).status).toBe(200)

    await waitText('[data-testid=issuance-records] [data-testid=record-result]', 'Issued')
    await screenshot(page, '06-credential-issued')
  })

  it('issues a JSON-LD credential from the form of its type, signed under a did:key made in the console', async () => {
    await go('#/schemas')
    await page.getByRole('button', { name: 'Create a did:key' }).click()
    await page.getByRole('button', { name: 'Create a did:key' }).waitFor({ state: 'detached', timeout: UI_TIMEOUT })
    await go('#/credentials')
    await page.getByRole('tab', { name: 'JSON-LD' }).click()
    const form = page.getByRole('form', { name: 'Issue a JSON-LD credential' })
    await chooseContact(form, 'Alice')
    await form.getByLabel('Credential type').selectOption('UniversityDegreeCredential')
    await form.getByLabel('Degree type').fill('BachelorDegree')
    await form.getByLabel('Degree name').fill('Bachelor of Science')
    await form.getByRole('button', { name: 'Issue JSON-LD credential' }).click()
    await waitText('[data-testid=issuance-records]', 'UniversityDegreeCredential')

    const offer = await waitFor('the JSON-LD offer at the holder', async () => (await holder.api('GET', '/issue-credential-2.0/records?state=offer-received')).body.results?.[0])
    const credExId = offer.cred_ex_record.cred_ex_id
    expect((await holder.api('POST', `/issue-credential-2.0/records/${credExId}/send-request`, { body: {} })).status).toBe(200)
    await waitFor('the JSON-LD credential at the holder', async () => (await holder.api('GET', `/issue-credential-2.0/records/${credExId}`)).body.cred_ex_record?.state === 'credential-received' || undefined)
    expect((await holder.api('POST', `/issue-credential-2.0/records/${credExId}/store`, { body: {} })).status).toBe(200)
    const row = page.locator('[data-testid=issuance-records] tr', { hasText: 'UniversityDegreeCredential' })
    await row.locator('[data-testid=record-result]', { hasText: 'Issued' }).waitFor({ timeout: UI_TIMEOUT })
    const held = (await holder.api('POST', '/credentials/w3c', { body: {} })).body.results
    expect(held.map((c: any) => c.cred_value.credentialSubject.degree?.name)).toContain('Bachelor of Science')
  })

  it('asks for a proof with a revealed attribute and a predicate, and shows the verified values', async () => {
    await go('#/verifications')
    const form = page.getByRole('form', { name: 'Request a proof' })
    await chooseContact(form, 'Alice')
    await form.getByTestId('proof-schema-select').selectOption({ label: 'Membership 1.0' })
    await form.getByRole('checkbox', { name: 'name' }).check()
    await form.getByRole('button', { name: 'Add a predicate' }).click()
    await form.getByLabel('Predicate attribute').selectOption('level')
    await form.getByLabel('Value').fill('2')
    await form.getByRole('button', { name: 'Request proof' }).click()
    await waitText('[data-testid=verification-records]', 'level >= 2')

    const asked = await waitFor('the proof request at the holder', async () => (await holder.api('GET', '/present-proof-2.0/records?state=request-received')).body.results?.[0])
    const candidates = (await holder.api('GET', `/present-proof-2.0/records/${asked.pres_ex_id}/credentials`)).body as any[]
    const request = asked.by_format.pres_request.anoncreds
    const credentialFor = (referent: string) => candidates.find((c) => c.presentation_referents.includes(referent)).cred_info.referent
    const presented = await holder.api('POST', `/present-proof-2.0/records/${asked.pres_ex_id}/send-presentation`, {
      body: {
        anoncreds: {
          requested_attributes: Object.fromEntries(Object.keys(request.requested_attributes).map((r) => [r, { cred_id: credentialFor(r), revealed: true }])),
          requested_predicates: Object.fromEntries(Object.keys(request.requested_predicates).map((r) => [r, { cred_id: credentialFor(r) }])),
          self_attested_attributes: {},
        },
      },
    })
    expect(presented.status, JSON.stringify(presented.body)).toBe(200)
    await waitText('[data-testid=verification-records] [data-testid=record-result]', 'Verified')
    await waitText('[data-testid=verification-records]', 'name: Alice')
    await screenshot(page, '07-proof-verified')
  })

  it('chats on the connection both ways, live', async () => {
    await go('#/connections')
    await page.locator('[data-testid=connections-table] a', { hasText: 'Alice' }).click()
    await waitText('[data-testid=connection-state]', 'active')
    const messageBox = page.getByRole('textbox', { name: 'Message' })
    await messageBox.fill('Welcome to Faber!')
    await page.getByRole('button', { name: 'Send' }).click()
    await waitText('[data-testid=chat] li.mine', 'Welcome to Faber!')
    const atHolder = await waitFor('the message at the holder', async () => {
      const messages = (await call(holderServer.adminUrl, 'GET', '/api/v1/messages', { headers: holderKey })).body as any[]
      return messages.find((message) => message.state === 'received' && message.message === 'Welcome to Faber!')
    })
    expect(atHolder.connection_id).toBe(holderConnection)
    expect((await holder.api('POST', `/connections/${holderConnection}/send-message`, { body: { content: 'Thanks, glad to be here' } })).status).toBe(200)
    await waitText('[data-testid=chat] li.theirs', 'Thanks, glad to be here')
    // The exchanges that ran on this connection are listed beside the chat.
    await waitText('[data-testid=exchanges]', 'Credential')
    await waitText('[data-testid=exchanges]', 'Proof asked')
    // The Membership credential is revocable: revoked from here, the holder is told.
    page.once('dialog', (dialog) => void dialog.accept())
    await page.locator('[data-testid=exchanges] li', { hasText: 'Membership' }).getByRole('button', { name: 'Revoke' }).click()
    await waitText('[data-testid=exchanges] li', 'revoked')
    const held = (await holder.api('GET', '/credentials')).body.results.find((c: any) => c.attrs.name === 'Alice')
    expect(held.rev_reg_id).toBeTruthy()
    await waitFor('the revocation at the holder', async () => (await holder.api('GET', `/credential/revoked/${held.referent}`)).body.revoked === true || undefined)

    // An empty message: the API's refusal under the field, and nothing sent.
    await messageBox.fill('')
    await page.getByRole('button', { name: 'Send' }).click()
    await waitText('[data-error-for=message]', 'message: may not be empty')
    await screenshot(page, '08-connection-chat')
  })

  it('lets the admin key pick a wallet, mint an API key shown once, revoke it, and redeliver a webhook', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    // Signing in asks who the key is once; for the admin key that is an answer, not a 4xx the
    // browser would log as a failed request.
    const refusals: string[] = []
    const noteRefusal = (response: { status(): number; url(): string }) => void (response.status() >= 400 && refusals.push(`${response.status()} ${response.url()}`))
    page.on('response', noteRefusal)
    await signIn(adminKeyOf(issuerServer.env as Record<string, string>))
    await waitText('[data-testid=wallets-table]', issuer.walletId)
    page.off('response', noteRefusal)
    expect(refusals).toEqual([])
    await page.locator('[data-testid=wallets-table] tr', { hasText: issuer.walletId }).getByRole('button', { name: 'Act in this wallet' }).click()
    await waitText('[data-testid=wallet-name]', 'Faber College')
    await go('#/admin')

    const keyForm = page.getByRole('form', { name: 'New API key' })
    await keyForm.getByLabel('Key name').fill('ops')
    await keyForm.getByRole('button', { name: 'Create API key' }).click()
    await waitText('[data-error-for=name]', 'already exists')
    await keyForm.getByLabel('Key name').fill('reporting')
    await keyForm.getByRole('checkbox', { name: 'technician' }).uncheck()
    await keyForm.getByRole('checkbox', { name: 'viewer' }).check()
    await keyForm.getByRole('button', { name: 'Create API key' }).click()
    const minted = await page.locator('[data-testid=new-api-key-value]').inputValue()
    expect(minted).toMatch(/^cred_/)
    // The key works (a viewer reads), and the list never shows it again.
    expect((await call(issuerServer.adminUrl, 'GET', '/api/v1/connections', { headers: { 'x-api-key': minted } })).status).toBe(200)
    await page.getByRole('button', { name: 'I have stored it' }).click()
    expect(await page.content()).not.toContain(minted)
    const keyRow = page.locator('[data-testid=api-keys-table] tr[data-key=reporting]')
    page.once('dialog', (dialog) => void dialog.accept())
    await keyRow.getByRole('button', { name: 'Revoke' }).click()
    await waitText('[data-testid=api-keys-table] tr[data-key=reporting]', 'revoked')
    expect((await call(issuerServer.adminUrl, 'GET', '/api/v1/connections', { headers: { 'x-api-key': minted } })).status).toBe(401)

    // A webhook target that refuses: the delivery fails, then is redelivered once it answers.
    sink.status = (p) => (p.includes('refusing') ? 500 : 200)
    await page.getByLabel(/webhook URLs/).fill(`${sink.url}/refusing`)
    await page.getByRole('button', { name: 'Save targets' }).click()
    await page.getByLabel(/webhook URLs/).waitFor()
    // Any event of the wallet will do: a message it receives.
    await holder.api('POST', `/connections/${holderConnection}/send-message`, { body: { content: 'an event for the issuer' } })
    await page.getByLabel('Show deliveries').selectOption('failed')
    const failed = page.locator('[data-testid=deliveries-table] tr', { hasText: 'basicmessages' }).first()
    await waitFor('a failed delivery in the log', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click()
      return (await failed.count()) > 0 || undefined
    })
    sink.status = () => 200
    await failed.getByRole('button', { name: 'Redeliver' }).click()
    await sink.waitFor('the redelivered webhook', (deliveries) => deliveries.some((d) => d.path.includes('refusing') && d.body?.content === 'an event for the issuer'))
    await page.getByLabel('Show deliveries').selectOption('delivered')
    await waitText('[data-testid=deliveries-table]', 'delivered')
    await screenshot(page, '09-admin')
  })

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await go('#/connections')
    await waitText('[data-testid=connections-table]', 'Alice')
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshot(page, '10-connections-phone')
    expect(consoleErrors).toEqual([])
  })

})
