// The one config schema: defaults, validation naming the variable, production secrets, and the
// README's configuration table listing exactly the settings the schema declares.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { ConfigError, SETTINGS, loadConfig, publicConfig } from '../src/config'
import { runServerProcessToExit } from './helpers/serverProcess'

describe('configuration', () => {
  it('has ACA-Py-like defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      inboundPort: 8020,
      adminPort: 8021,
      adminHost: '127.0.0.1',
      endpoint: 'http://localhost:8020',
      dataDir: './data',
      label: 'Credence',
      logLevel: 'info',
      processMessagesConcurrently: true,
    })
    expect(loadConfig({ CREDENCE_INBOUND_PORT: '9000' }).endpoint).toBe('http://localhost:9000')
  })

  it('names every invalid variable', () => {
    const attempt = () =>
      loadConfig({ CREDENCE_ADMIN_PORT: 'eighty', CREDENCE_LOG_LEVEL: 'loud', CREDENCE_DATABASE_URL: 'mysql://x@y/z' })
    expect(attempt).toThrow(ConfigError)
    try {
      attempt()
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n')
      expect(problems).toContain('CREDENCE_ADMIN_PORT')
      expect(problems).toContain('CREDENCE_LOG_LEVEL')
      expect(problems).toContain('CREDENCE_DATABASE_URL: must be a postgres:// URL')
    }
  })

  it('requires the secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CREDENCE_ADMIN_API_KEY is required/)
    expect(() => loadConfig({ NODE_ENV: 'production', CREDENCE_ADMIN_API_KEY: 'a'.repeat(32) })).toThrow(
      /CREDENCE_WALLET_KEY is required/,
    )
    expect(() => loadConfig({ NODE_ENV: 'production', CREDENCE_ADMIN_API_KEY: 'a'.repeat(32) })).toThrow(
      /CREDENCE_JWT_SECRET is required/,
    )
    // ACA-Py's insecure mode is for development and scenario scripts only.
    expect(() => loadConfig({ NODE_ENV: 'production', CREDENCE_ADMIN_INSECURE_MODE: 'true' })).toThrow(
      /CREDENCE_ADMIN_INSECURE_MODE must not be set when NODE_ENV=production/,
    )
    expect(loadConfig({ CREDENCE_ADMIN_INSECURE_MODE: 'true' }).adminInsecureMode).toBe(true)
  })

  it("reports ACA-Py's wallet type as configured, askar-anoncreds unless told", async () => {
    const { toAcaPyConfig } = await import('../src/acapy/status/mappers')
    expect(toAcaPyConfig(loadConfig({}))['wallet.type']).toBe('askar-anoncreds')
    expect(toAcaPyConfig(loadConfig({ CREDENCE_ACAPY_WALLET_TYPE: 'askar' }))['wallet.type']).toBe('askar')
    expect(() => loadConfig({ CREDENCE_ACAPY_WALLET_TYPE: 'indy' })).toThrow(/CREDENCE_ACAPY_WALLET_TYPE/)
    // The write ledger's genesis URL, when it came from one (ACA-Py's scripts derive von-network's /register from it).
    expect(toAcaPyConfig(loadConfig({}), { genesisUrl: 'http://von.example/genesis' })['ledger.genesis_url']).toBe('http://von.example/genesis')
    expect(toAcaPyConfig(loadConfig({}), {})).not.toHaveProperty('ledger.genesis_url')
  })

  it('never shows secrets in the public view', () => {
    const config = loadConfig({
      CREDENCE_ADMIN_API_KEY: 'admin-secret-value-1234',
      CREDENCE_WALLET_KEY: 'wallet-secret-value',
      CREDENCE_DATABASE_URL: 'postgres://user:hunter22@db:5432/credence',
    })
    const shown = JSON.stringify(publicConfig(config))
    expect(shown).not.toContain('admin-secret-value-1234')
    expect(shown).not.toContain('wallet-secret-value')
    expect(shown).not.toContain('hunter22')
  })

  it('shows base webhook targets with their keys hidden and their format kept', () => {
    const config = loadConfig({ CREDENCE_WEBHOOK_URL: 'http://a.example/hook#key-one,http://b.example/e#format=envelope&api_key=key-two' })
    expect(publicConfig(config).CREDENCE_WEBHOOK_URL).toEqual(['http://a.example/hook#***', 'http://b.example/e#format=envelope&api_key=***'])
  })

  it('takes trusted proxies as addresses, ranges and names, and refuses anything else', () => {
    expect(loadConfig({ CREDENCE_TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1'])
    expect(loadConfig({}).trustProxy).toBeUndefined()
    for (const bad of ['true', '2', '10.0.0.0/33', 'proxy.example']) {
      expect(() => loadConfig({ CREDENCE_TRUST_PROXY: bad }), bad).toThrow(/CREDENCE_TRUST_PROXY/)
    }
    expect(loadConfig({}).authFailuresPerMinute).toBe(30)
    expect(loadConfig({}).tenantTokenTtl).toBe(0)
  })

  it('a production boot without secrets exits with an error naming the variable', async () => {
    const { code, output } = await runServerProcessToExit({ NODE_ENV: 'production', CREDENCE_DATA_DIR: '/nonexistent' })
    expect(code).toBe(2)
    expect(output).toContain('CREDENCE_ADMIN_API_KEY is required when NODE_ENV=production')
  })

  it('the README configuration table lists exactly the declared settings', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Configuration'))
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1])
    expect(documented.sort()).toEqual(Object.values(SETTINGS).map((s) => s.env).sort())
  })
})
