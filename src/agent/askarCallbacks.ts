// Askar's Node wrapper (aries-askar-nodejs 0.2) makes a new native callback — a libffi closure
// plus its call interface, in memory V8 does not see — for every asynchronous Askar call, and
// only garbage collection frees it. A basic message makes dozens of such calls; the bench's
// message run grew the server's RSS by about 200 KB per message while the JS heap stayed flat,
// because nothing told V8 to collect. Askar already hands each call's id back to its callback, so
// one long-lived native callback per callback signature can serve every call: it looks the call
// up by id. This module swaps the wrapper's callback factory for that, before Askar is used.
import { createRequire } from 'node:module'

const load = createRequire(__filename)
// The wrapper's own modules (not copies): its calls read these exports at call time.
const askarFfi = {
  callback: load('@hyperledger/aries-askar-nodejs/build/ffi/callback') as Record<string, unknown>,
  alloc: load('@hyperledger/aries-askar-nodejs/build/ffi/alloc') as Record<string, unknown>,
  primitives: load('@hyperledger/aries-askar-nodejs/build/ffi/primitives') as Record<string, unknown>,
}
const { Callback } = load('@2060.io/ffi-napi') as { Callback: (ret: unknown, args: unknown[], fn: (...args: unknown[]) => void) => unknown }

type CallbackFn = (id: number, ...rest: unknown[]) => void

/** Calls waiting for Askar, by the id Askar echoes back. */
const pending = new Map<number, CallbackFn>()
let lastId = 0
// A call in flight must keep the process alive, as the wrapper's per-call timer did: Askar's
// answer arrives through a handle libffi leaves unreferenced.
const keepAlive = setInterval(() => {}, 2 ** 30).unref()

/** One native callback per argument list, kept for the life of the process. */
const nativeCallbacks = new Map<unknown, unknown>()
function nativeCallbackFor(responseType?: unknown): unknown {
  const key = responseType ?? 'none'
  let native = nativeCallbacks.get(key)
  if (!native) {
    const { FFI_VOID, FFI_CALLBACK_ID, FFI_ERROR_CODE } = askarFfi.primitives
    const args = responseType === undefined ? [FFI_CALLBACK_ID, FFI_ERROR_CODE] : [FFI_CALLBACK_ID, FFI_ERROR_CODE, responseType]
    // The wrapper's callback releases its id first thing (below), so it is not deleted here.
    native = Callback(FFI_VOID, args, (id: unknown, ...rest: unknown[]) => pending.get(Number(id))?.(Number(id), ...rest))
    nativeCallbacks.set(key, native)
  }
  return native
}

// Negative ids: the wrapper's own ids (kept for its logger callback) are Node timer ids, which
// are positive, so the two never meet.
function register(cb: CallbackFn, responseType?: unknown) {
  lastId = lastId <= -Number.MAX_SAFE_INTEGER ? -1 : lastId - 1
  pending.set(lastId, cb)
  if (pending.size === 1) keepAlive.ref()
  return { nativeCallback: nativeCallbackFor(responseType), id: lastId }
}

let installed = false

/** Makes Askar's asynchronous calls share long-lived native callbacks. Idempotent. */
export function shareAskarCallbacks(): void {
  if (installed) return
  installed = true
  askarFfi.callback.toNativeCallback = (cb: CallbackFn) => register(cb)
  askarFfi.callback.toNativeCallbackWithResponse = (cb: CallbackFn, responseType: unknown = askarFfi.primitives.FFI_STRING) => register(cb, responseType)
  // The wrapper releases an id when its callback runs, or when the call failed before starting.
  const release = askarFfi.alloc.deallocateCallbackBuffer as (id: number) => void
  askarFfi.alloc.deallocateCallbackBuffer = (id: number) => {
    if (Number(id) >= 0) return release(id)
    if (pending.delete(Number(id)) && pending.size === 0) keepAlive.unref()
  }
}
