// Small pure pieces: webhook target strings, delivery signatures, where a did:web document is
// fetched from (https, except loopback hosts when allowed), and did:web AnonCreds ids.
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'

import { splitResourceId } from '../src/agent/hostedAnonCredsRegistry'
import { didWebDocumentUrl } from '../src/agent/webDidResolver'
import { parseWebhookTarget, signDelivery, signingSecret, whyNotWebhookTarget } from '../src/webhooks/targets'

describe('webhook targets', () => {
  it('reads the ACA-Py #key suffix and the envelope option', () => {
    expect(parseWebhookTarget('https://ctl.example/hooks')).toEqual({ url: 'https://ctl.example/hooks', format: 'acapy' })
    expect(parseWebhookTarget('https://ctl.example/hooks#s3cret')).toEqual({ url: 'https://ctl.example/hooks', apiKey: 's3cret', format: 'acapy' })
    expect(parseWebhookTarget('https://ctl.example/e#format=envelope')).toEqual({ url: 'https://ctl.example/e', format: 'envelope' })
    expect(parseWebhookTarget('https://ctl.example/e#format=envelope&api_key=k')).toEqual({ url: 'https://ctl.example/e', apiKey: 'k', format: 'envelope' })
  })

  it('refuses what cannot be a target', () => {
    expect(whyNotWebhookTarget('https://ctl.example/hooks#key')).toBeUndefined()
    expect(whyNotWebhookTarget('not a url')).toMatch(/not a URL/)
    expect(whyNotWebhookTarget('ftp://ctl.example/hooks')).toMatch(/http/)
    expect(whyNotWebhookTarget('https://ctl.example/e#format=xml')).toMatch(/acapy or envelope/)
  })

  it('signs timestamp and body with a secret per wallet and target', () => {
    const a = signingSecret('server-secret', 'wallet', 'wallet-a', 'https://ctl.example/hooks')
    expect(signingSecret('server-secret', 'wallet', 'wallet-b', 'https://ctl.example/hooks')).not.toBe(a)
    expect(signingSecret('server-secret', 'base', 'wallet-a', 'https://ctl.example/hooks')).toBe(signingSecret('server-secret', 'base', 'wallet-b', 'https://ctl.example/hooks'))
    const expected = createHmac('sha256', a).update('1700000000.{"x":1}').digest('hex')
    expect(signDelivery(a, '1700000000', '{"x":1}')).toBe(`sha256=${expected}`)
  })
})

describe('did:web document location', () => {
  it('maps paths and ports, and uses http only for loopback hosts when allowed', () => {
    expect(didWebDocumentUrl('did:web:example.org', true).href).toBe('https://example.org/.well-known/did.json')
    expect(didWebDocumentUrl('did:web:example.org%3A8443:wallets:abc', false).href).toBe('https://example.org:8443/wallets/abc/did.json')
    expect(didWebDocumentUrl('did:web:127.0.0.1%3A8020:wallets:abc', false).protocol).toBe('https:')
    expect(didWebDocumentUrl('did:web:127.0.0.1%3A8020:wallets:abc', true).href).toBe('http://127.0.0.1:8020/wallets/abc/did.json')
    expect(didWebDocumentUrl('did:web:localhost', true).protocol).toBe('http:')
    expect(didWebDocumentUrl('did:web:example.org', true).protocol).toBe('https:')
    expect(() => didWebDocumentUrl('did:key:z6Mk', true)).toThrow()
  })

  it('lets nothing that decodes to a path, user info, query or fragment into the URL', () => {
    for (const did of ['did:web:evil.org%2F..%2Finternal', 'did:web:user%40internal.host', 'did:web:example.org%3Fx', 'did:web:example.org:a%2Fb', 'did:web:example.org:..']) {
      expect(() => didWebDocumentUrl(did, true), did).toThrow()
    }
  })
})

describe('did:web AnonCreds ids', () => {
  it('name a DID, a kind and a content hash, nothing else', () => {
    const did = 'did:web:example.org:wallets:abc'
    expect(splitResourceId(`${did}?service=anoncreds&relativeRef=/schema/4zBfVZFCnFjtr8hjD9X6bWmNbvcCQxT5zRtaL7YnGvJ1`)).toEqual({
      did,
      relativeRef: '/schema/4zBfVZFCnFjtr8hjD9X6bWmNbvcCQxT5zRtaL7YnGvJ1',
      kind: 'schema',
      resourceId: '4zBfVZFCnFjtr8hjD9X6bWmNbvcCQxT5zRtaL7YnGvJ1',
    })
    expect(splitResourceId(`${did}?service=anoncreds&relativeRef=/credDef/4zBfVZFCnFjtr8hjD9X6bWmNbvcCQxT5zRtaL7YnGvJ1`)?.kind).toBe('credDef')
    expect(splitResourceId(`${did}?service=anoncreds&relativeRef=@10.0.0.1/schema/4zBfVZFCnFjtr8hjD9X6bWmNbvcCQxT5zRtaL7YnGvJ1`)).toBeUndefined()
    expect(splitResourceId(`${did}?service=anoncreds&relativeRef=/schema/../../admin`)).toBeUndefined()
    expect(splitResourceId('did:indy:sovrin:WgWxqztrNooG92RXvxSTWv?service=anoncreds&relativeRef=/schema/4zBfVZFCnFjtr8hjD9X6bWmNbvcCQxT5zRtaL7YnGvJ1')).toBeUndefined()
  })
})
