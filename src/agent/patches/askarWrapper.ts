// Three mends to Askar's Node wrapper (aries-askar-nodejs 0.2 with aries-askar-shared), found with
// the bench (`npm run bench`, README "Benchmarks"), installed once before Askar is used.
//
// 1. Callbacks. The wrapper makes a new native callback — a libffi closure plus its call
// interface, in memory V8 does not see — for every asynchronous Askar call, and only garbage
// collection frees it. A basic message makes dozens of such calls; the bench's message run grew
// the server's RSS by about 200 KB per message while the JS heap stayed flat, because nothing told
// V8 to collect. It also built an error object after every successful call (then dropped it), 2%
// of the JSON-LD bench's CPU. Askar hands each call's id back to its callback, so one native
// callback per answer type can serve every call by looking the call up by id: the wrapper's two
// "promisify" helpers, through which every asynchronous call goes, are replaced by ones that
// work that way; the wrapper's calls themselves are kept.
//
// 2. Scanned entries. A scan (every Credo query) fetches its rows in native entry lists that the
// shared package reads and then never frees. Together with 3 (below), this is why the message
// run grew 60-70 KB per message even with full GC forced every few seconds (about 18 KB,
// levelling off, once both were mended). The lists of a scan are freed when the scan is freed,
// which the package does as soon as it has copied every row out (`Scan.fetchAll`, the only way
// Credo reads a scan). A caller that kept `Entry` objects from `Scan.forEach` past the end of
// the scan would read freed memory; nothing in this process does.
//
// 3. Entry fields. Askar hands each entry's category, name and tags out as C strings it allocated,
// and its value as a buffer it allocated; the wrapper copies them into JS and never frees them,
// so every record Credo reads left its whole content behind in native memory. The four readers
// are replaced by ones that copy and then free (askar_string_free, askar_buffer_free).
//
// 4. Key outputs. The key operations that answer bytes (AEAD and crypto-box encryption and
// decryption, signatures, nonces, public and secret bytes, key wrapping) hand out a buffer Askar
// allocated, which the wrapper copies into a new Uint8Array and never frees: packing and
// unpacking a DIDComm message left its ciphertext and plaintext behind (the 30-minute soak grew
// about 11 KB per message). They are replaced by ones that make the same native call, copy the
// same way, and then free Askar's buffer. The copy is taken before the free (an earlier mend that
// freed a buffer still in use broke DID exchange).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ariesAskar, AriesAskarError } from '@hyperledger/aries-askar-nodejs'

import type { CredoPatch } from './patch'

const load = createRequire(__filename)
const { Callback, Library } = load('@2060.io/ffi-napi') as {
  Callback: (ret: unknown, args: unknown[], fn: (...args: unknown[]) => void) => unknown
  Library: (file: string, functions: Record<string, unknown[]>) => Record<string, (...args: unknown[]) => unknown>
}
const ref = load('@2060.io/ref-napi') as { alloc(type: unknown): NativeBuffer; readCString(buffer: Buffer, offset: number): string }
const ffiHelpers = load('@hyperledger/aries-askar-nodejs/build/ffi') as {
  serializeArguments(options: Record<string, unknown>): Record<string, unknown>
  allocateSecretBuffer(): NativeBuffer
  allocateEncryptedBuffer(): NativeBuffer
  secretBufferToBuffer(secret: unknown): Buffer
  encryptedBufferStructToClass(encrypted: unknown): unknown
}
const { FFI_VOID, FFI_CALLBACK_ID, FFI_ERROR_CODE, FFI_STRING, FFI_POINTER } = load('@hyperledger/aries-askar-nodejs/build/ffi/primitives') as Record<string, unknown>

/** A ref-napi buffer: memory that holds a typed value, possibly a pointer. */
type NativeBuffer = Buffer & { deref(): NativeBuffer & Record<string, unknown>; address(): number; isNull(): boolean }

/** A native Askar function that takes a callback and its id, and returns an error code. */
type NativeCall = (callback: unknown, id: number) => number

/** The wrapper's internals this module reads or replaces. */
interface AskarWrapper {
  readonly nativeAriesAskar: Record<string, (...args: unknown[]) => number>
  handleError(errorCode: number): void
  entryListGetCategory(options: EntryField): string
  entryListGetName(options: EntryField): string
  entryListGetTags(options: EntryField): string | null
  entryListGetValue(options: EntryField): Uint8Array
  promisify(method: NativeCall): Promise<void>
  promisifyWithResponse(method: NativeCall, responseType?: unknown): Promise<unknown>
  getAriesAskarError(errorCode: number): AriesAskarError
  scanNext(options: { scanHandle: object }): Promise<{ free(): void } | null>
  scanFree(options: { scanHandle: object }): void
}

type EntryField = { entryListHandle: unknown; index: number }

type Answer = (errorCode: number, response?: unknown) => void

/** Calls waiting for Askar, by the id Askar echoes back. */
const pending = new Map<number, Answer>()
let lastId = 0
// A call in flight must keep the process alive, as the wrapper's per-call timer did: Askar's
// answer arrives through a handle libffi leaves unreferenced.
const keepAlive = setInterval(() => {}, 2 ** 30).unref()

/** One native callback per answer type (none, string, a handle, …), kept for the life of the process. */
const nativeCallbacks = new Map<unknown, unknown>()
function nativeCallbackFor(responseType: unknown): unknown {
  let native = nativeCallbacks.get(responseType)
  if (!native) {
    const args = responseType === undefined ? [FFI_CALLBACK_ID, FFI_ERROR_CODE] : [FFI_CALLBACK_ID, FFI_ERROR_CODE, responseType]
    native = Callback(FFI_VOID, args, (id: unknown, errorCode: unknown, response?: unknown) => {
      const answer = pending.get(Number(id))
      settle(Number(id))
      answer?.(Number(errorCode), response)
    })
    nativeCallbacks.set(responseType, native)
  }
  return native
}

function settle(id: number) {
  if (pending.delete(id) && pending.size === 0) keepAlive.unref()
}

/** Starts `method` with the shared callback for `responseType`; `answer` hears Askar's reply. */
function call(askar: AskarWrapper, method: NativeCall, responseType: unknown, answer: Answer, fail: (error: unknown) => void) {
  lastId = lastId >= Number.MAX_SAFE_INTEGER ? 1 : lastId + 1
  const id = lastId
  pending.set(id, answer)
  if (pending.size === 1) keepAlive.ref()
  let errorCode: number
  try {
    errorCode = method(nativeCallbackFor(responseType), id)
  } catch (error) {
    settle(id)
    return fail(error)
  }
  // Refused before it started: Askar will not call back.
  if (errorCode !== 0) {
    settle(id)
    fail(askar.getAriesAskarError(errorCode))
  }
}

/** What an answer of `responseType` means, as the wrapper reads it. */
function decode(responseType: unknown, response: unknown): unknown {
  if (typeof response === 'string') return responseType === FFI_STRING ? response : JSON.parse(response)
  if (typeof response === 'number') return response
  if (Buffer.isBuffer(response)) return (response as Buffer & { address(): number }).address() === 0 ? null : response
  throw AriesAskarError.customError({ message: `could not parse return type properly (type: ${typeof response})` })
}

/**
 * The key operations that answer an Askar-allocated buffer: the wrapper's method, the native
 * function and its arguments in order (the wrapper's own), and whether the buffer is a plain
 * secret buffer or the first field of an encrypted buffer.
 */
const KEY_OUTPUTS: ReadonlyArray<readonly [method: string, native: string, args: readonly string[], kind: 'secret' | 'encrypted']> = [
  ['keyAeadDecrypt', 'askar_key_aead_decrypt', ['localKeyHandle', 'ciphertext', 'nonce', 'tag', 'aad'], 'secret'],
  ['keyAeadEncrypt', 'askar_key_aead_encrypt', ['localKeyHandle', 'message', 'nonce', 'aad'], 'encrypted'],
  ['keyAeadRandomNonce', 'askar_key_aead_random_nonce', ['localKeyHandle'], 'secret'],
  ['keyCryptoBox', 'askar_key_crypto_box', ['recipientKey', 'senderKey', 'message', 'nonce'], 'secret'],
  ['keyCryptoBoxOpen', 'askar_key_crypto_box_open', ['recipientKey', 'senderKey', 'message', 'nonce'], 'secret'],
  ['keyCryptoBoxRandomNonce', 'askar_key_crypto_box_random_nonce', [], 'secret'],
  ['keyCryptoBoxSeal', 'askar_key_crypto_box_seal', ['localKeyHandle', 'message'], 'secret'],
  ['keyCryptoBoxSealOpen', 'askar_key_crypto_box_seal_open', ['localKeyHandle', 'ciphertext'], 'secret'],
  ['keyGetJwkSecret', 'askar_key_get_jwk_secret', ['localKeyHandle'], 'secret'],
  ['keyGetPublicBytes', 'askar_key_get_public_bytes', ['localKeyHandle'], 'secret'],
  ['keyGetSecretBytes', 'askar_key_get_secret_bytes', ['localKeyHandle'], 'secret'],
  ['keySignMessage', 'askar_key_sign_message', ['localKeyHandle', 'message', 'sigType'], 'secret'],
  ['keyWrapKey', 'askar_key_wrap_key', ['localKeyHandle', 'other', 'nonce'], 'encrypted'],
]

const ASKAR_MEMBERS = [
  'nativeAriesAskar',
  'handleError',
  'getAriesAskarError',
  'promisify',
  'promisifyWithResponse',
  'scanNext',
  'scanFree',
  'entryListGetCategory',
  'entryListGetName',
  'entryListGetTags',
  'entryListGetValue',
  ...KEY_OUTPUTS.map(([method]) => method),
]

export const askarWrapper: CredoPatch = {
  name: 'askarWrapper',
  targets: { package: '@hyperledger/aries-askar-nodejs', version: '0.2.3' },
  why: 'a native callback per Askar call, and unfreed entry lists, entry fields and key outputs, grew native memory with every message',
  upstream: 'callbacks: askar-wrapper-javascript#91 (koffi, frees each callback; askar-nodejs 0.6.0, Credo 0.7); entry fields: askar-wrapper-javascript#55 (value buffer only; 0.4.2, Credo 0.6), reported in credo-ts#2383; scanned entry lists: none found, still unfreed upstream',
  members: () => ASKAR_MEMBERS.map((member) => ({ owner: 'ariesAskar', object: ariesAskar, member })),
}

let installed = false

/** Installs the four mends. Idempotent. */
export function mendAskarWrapper(): void {
  if (installed) return
  installed = true
  const askar = ariesAskar as unknown as AskarWrapper
  shareCallbacks(askar)
  freeScannedEntryLists(askar)
  freeEntryFields(askar)
  freeKeyOutputs(askar)
}

function shareCallbacks(askar: AskarWrapper) {
  askar.promisify = (method) =>
    new Promise((resolve, reject) =>
      call(askar, method, undefined, (errorCode) => (errorCode === 0 ? resolve() : reject(askar.getAriesAskarError(errorCode))), reject),
    )
  askar.promisifyWithResponse = (method, responseType = FFI_STRING) =>
    new Promise((resolve, reject) =>
      call(
        askar,
        method,
        responseType,
        (errorCode, response) => {
          if (errorCode !== 0) return reject(askar.getAriesAskarError(errorCode))
          try {
            resolve(decode(responseType, response))
          } catch (error) {
            reject(error)
          }
        },
        reject,
      ),
    )
}

function freeScannedEntryLists(askar: AskarWrapper) {
  const listsOfScan = new Map<object, { free(): void }[]>()
  const scanNext = askar.scanNext.bind(askar)
  const scanFree = askar.scanFree.bind(askar)
  askar.scanNext = async (options) => {
    const list = await scanNext(options)
    if (list) {
      const lists = listsOfScan.get(options.scanHandle) ?? []
      lists.push(list)
      listsOfScan.set(options.scanHandle, lists)
    }
    return list
  }
  askar.scanFree = (options) => {
    for (const list of listsOfScan.get(options.scanHandle) ?? []) list.free()
    listsOfScan.delete(options.scanHandle)
    scanFree(options)
  }
}

/** The Askar library file the wrapper loads (its own lookup order), for the one function it does not bind. */
function askarLibraryFile(): string {
  const name = process.platform === 'win32' ? 'aries_askar.dll' : `libaries_askar${process.platform === 'darwin' ? '.dylib' : '.so'}`
  const folders = [
    ...(process.env.LIB_ARIES_ASKAR_PATH ? [process.env.LIB_ARIES_ASKAR_PATH] : []),
    path.join(path.dirname(load.resolve('@hyperledger/aries-askar-nodejs/package.json')), 'native'),
    '/usr/lib/',
    '/usr/local/lib/',
  ]
  const file = folders.map((folder) => path.join(folder, name)).find((candidate) => fs.existsSync(candidate))
  if (!file) throw new Error(`Askar library ${name} not found in ${folders.join(', ')}`)
  return file
}

function freeEntryFields(askar: AskarWrapper) {
  const { askar_string_free: freeString } = Library(askarLibraryFile(), { askar_string_free: [FFI_VOID, [FFI_POINTER]] })
  const native = () => askar.nativeAriesAskar

  /** Runs a reader that writes a C string pointer; copies the string out and frees Askar's copy. */
  const readString = (reader: string, { entryListHandle, index }: EntryField): string | null => {
    const args = ffiHelpers.serializeArguments({ entryListHandle, index })
    const out = ref.alloc(FFI_POINTER)
    askar.handleError(native()[reader](args.entryListHandle, args.index, out))
    const pointer = out.deref()
    if (pointer.isNull()) return null
    try {
      return ref.readCString(pointer, 0)
    } finally {
      freeString(pointer)
    }
  }
  const required = (reader: string, options: EntryField): string => {
    const value = readString(reader, options)
    if (value === null) throw AriesAskarError.customError({ message: 'Unexpected null pointer' })
    return value
  }

  askar.entryListGetCategory = (options) => required('askar_entry_list_get_category', options)
  askar.entryListGetName = (options) => required('askar_entry_list_get_name', options)
  askar.entryListGetTags = (options) => readString('askar_entry_list_get_tags', options)
  askar.entryListGetValue = ({ entryListHandle, index }) => {
    const args = ffiHelpers.serializeArguments({ entryListHandle, index })
    const out = ffiHelpers.allocateSecretBuffer()
    askar.handleError(native().askar_entry_list_get_value(args.entryListHandle, args.index, out))
    const secret = out.deref()
    try {
      return new Uint8Array(ffiHelpers.secretBufferToBuffer(secret))
    } finally {
      native().askar_buffer_free(secret)
    }
  }
}

function freeKeyOutputs(askar: AskarWrapper) {
  const wrapper = askar as unknown as Record<string, (options?: Record<string, unknown>) => unknown>
  for (const [method, nativeName, argNames, kind] of KEY_OUTPUTS) {
    wrapper[method] = (options = {}) => {
      const args = ffiHelpers.serializeArguments(options)
      const out = kind === 'secret' ? ffiHelpers.allocateSecretBuffer() : ffiHelpers.allocateEncryptedBuffer()
      askar.handleError(askar.nativeAriesAskar[nativeName](...argNames.map((name) => args[name]), out))
      if (out.address() === 0) throw AriesAskarError.customError({ message: 'Unexpected null pointer' })
      const answer = out.deref()
      const secret = kind === 'secret' ? answer : (answer.secretBuffer as NativeBuffer)
      try {
        // Copies, as the wrapper does (a new Uint8Array; the encrypted buffer's Uint8Array.from).
        return kind === 'secret' ? new Uint8Array(ffiHelpers.secretBufferToBuffer(secret)) : ffiHelpers.encryptedBufferStructToClass(answer)
      } finally {
        askar.nativeAriesAskar.askar_buffer_free(secret)
      }
    }
  }
}
