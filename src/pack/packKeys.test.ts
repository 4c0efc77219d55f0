// @vitest-environment node
import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isSegletError } from '../errors'
import { validateOptions } from '../options/validateOptions'
import { importPackKeys, packKeyId, parsePackKeys } from './packKeys'
import { splitSigned } from './verifySignature'

const newKey = () => 'ed25519-' + Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('base64')
const a = newKey()
const b = newKey()

const codeOf = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return isSegletError(error) ? error.code : 'not a SegletError'
  }
  return 'accepted'
}

describe('pack keys', () => {
  it.each([
    ['one key', a, 'accepted'],
    ['two keys (rotation), extra spaces', ` ${a}   ${b} `, 'accepted'],
    ['empty', '', 'pack_key_invalid'],
    ['not a string', 42, 'pack_key_invalid'],
    ['no prefix', a.slice('ed25519-'.length), 'pack_key_invalid'],
    ['another algorithm', a.replace('ed25519-', 'p256-'), 'pack_key_invalid'],
    ['one character short', a.slice(0, -2) + '=', 'pack_key_invalid'],
    ['base64url alphabet', a.replace(/[+/]/g, '_').replace(/^ed25519-[^_]*$/, 'ed25519-_' + a.slice(9)), 'pack_key_invalid'],
    ['five keys', [a, b, a, b, a].join(' '), 'pack_key_invalid'],
  ])('%s → %s', (_, text, code) => {
    expect(codeOf(() => parsePackKeys(text))).toBe(code)
  })

  it('imports keys for Web Crypto with their ids; the option table refuses a malformed key at once', async () => {
    const keys = await importPackKeys(`${a} ${b}`)
    expect(keys.map((k) => k.text)).toEqual([a, b])
    expect(keys[0].id).toMatch(/^[0-9a-f]{16}$/)
    expect(keys[0].id).toBe(await packKeyId(parsePackKeys(a)[0]))
    expect(keys[0].id).not.toBe(keys[1].id)
    expect(codeOf(() => validateOptions({ model: { packKey: a } }))).toBe('accepted')
    expect(codeOf(() => validateOptions({ model: { packKey: 'ed25519-abc' } }))).toBe('invalid_option')
    expect(codeOf(() => validateOptions({ model: { packManifestUrl: '/seglet/packs.manifest' } }))).toBe('accepted')
  })
})

describe('splitSigned', () => {
  const bytes = (text: string) => new TextEncoder().encode(text)
  it.each([
    ['no signature line', '{"format":"seglet-pack-manifest"}', 'pack_signature_missing'],
    ['a byte-order mark first', '\ufeffseglet-signature ed25519 0011223344556677 ' + 'A'.repeat(86) + '==\n{}', 'pack_signature_missing'],
    ['short signature', 'seglet-signature ed25519 0011223344556677 AAAA\n{}', 'pack_signature_invalid'],
    ['no line break', 'seglet-signature ed25519 0011223344556677 ' + 'A'.repeat(86) + '==', 'pack_signature_invalid'],
    ['upper-case key id', 'seglet-signature ed25519 00112233445566AA ' + 'A'.repeat(86) + '==\n{}', 'pack_signature_invalid'],
    ['well formed', 'seglet-signature ed25519 0011223344556677 ' + 'A'.repeat(86) + '==\r\n{}', 'accepted'],
  ])('%s → %s', (_, text, code) => {
    expect(codeOf(() => splitSigned(bytes(text), 'pack manifest'))).toBe(code)
  })

  it('the payload is the exact bytes after the line', () => {
    const { keyId, payload } = splitSigned(bytes('seglet-signature ed25519 0011223344556677 ' + 'A'.repeat(86) + '==\n{"a": 1}\n'), 'pack manifest')
    expect(keyId).toBe('0011223344556677')
    expect(new TextDecoder().decode(payload)).toBe('{"a": 1}\n')
  })
})
