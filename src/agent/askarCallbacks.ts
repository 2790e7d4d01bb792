// Askar's asynchronous calls, answered through long-lived native callbacks.
//
// Askar's Node wrapper (aries-askar-nodejs 0.2) makes a new native callback — a libffi closure
// plus its call interface, in memory V8 does not see — for every asynchronous Askar call, and
// only garbage collection frees it. A basic message makes dozens of such calls; the bench's
// message run grew the server's RSS by about 200 KB per message while the JS heap stayed flat,
// because nothing told V8 to collect. It also built an error object after every successful call
// (then dropped it), 2% of the JSON-LD bench's CPU. Askar hands each call's id back to its
// callback, so one native callback per answer type can serve every call by looking the call up by
// id. This module replaces the wrapper's two "promisify" helpers, through which every
// asynchronous call goes, with ones that work that way; the wrapper's calls themselves are kept.
import { createRequire } from 'node:module'
import { ariesAskar, AriesAskarError } from '@hyperledger/aries-askar-nodejs'

const load = createRequire(__filename)
const { Callback } = load('@2060.io/ffi-napi') as { Callback: (ret: unknown, args: unknown[], fn: (...args: unknown[]) => void) => unknown }
const { FFI_VOID, FFI_CALLBACK_ID, FFI_ERROR_CODE, FFI_STRING } = load('@hyperledger/aries-askar-nodejs/build/ffi/primitives') as Record<string, unknown>

/** A native Askar function that takes a callback and its id, and returns an error code. */
type NativeCall = (callback: unknown, id: number) => number

/** The wrapper's internals this module reads or replaces. */
interface AskarWrapper {
  promisify(method: NativeCall): Promise<void>
  promisifyWithResponse(method: NativeCall, responseType?: unknown): Promise<unknown>
  getAriesAskarError(errorCode: number): AriesAskarError
}

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

let installed = false

/** Makes Askar's asynchronous calls share long-lived native callbacks. Idempotent. */
export function shareAskarCallbacks(): void {
  if (installed) return
  installed = true
  const askar = ariesAskar as unknown as AskarWrapper
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
