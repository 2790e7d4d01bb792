//! libursa.so for python-ursa 0.1.1 (the BLS binding indy-plenum 1.13 uses).
//!
//! python-ursa loads `libursa.so` with ctypes and calls `ursa_bls_*` C functions (plus
//! `ursa_set_logger`). No `ursa` release on crates.io ships that C interface any more, but the
//! crates.io crate `indy-crypto` 0.5.1 has the same BLS C interface under `indy_crypto_bls_*`
//! names (same argument lists, same error codes). This cdylib forwards each `ursa_*` name to it.
//! Built and cached by scripts/ensure-indy-pool.sh.
#![allow(clippy::missing_safety_doc)]

use indy_crypto::ffi::bls as b;
use indy_crypto::ffi::ErrorCode;
use std::os::raw::c_void;

/// Declares `ursa_<name>(args) -> ErrorCode` calling `indy_crypto::ffi::bls::<target>(args)`.
macro_rules! forward {
    ($($name:ident => $target:ident ( $($arg:ident : $ty:ty),* );)*) => {$(
        #[no_mangle]
        pub extern "C" fn $name($($arg: $ty),*) -> ErrorCode {
            b::$target($($arg),*)
        }
    )*};
}

type P = *const c_void;
type Out = *mut *const c_void;
type Bytes = *const u8;
type BytesOut = *mut *const u8;
type LenOut = *mut usize;

forward! {
    ursa_bls_generator_new => indy_crypto_bls_generator_new(p: Out);
    ursa_bls_generator_from_bytes => indy_crypto_bls_generator_from_bytes(bytes: Bytes, len: usize, p: Out);
    ursa_bls_generator_as_bytes => indy_crypto_bls_generator_as_bytes(gen: P, bytes: BytesOut, len: LenOut);
    ursa_bls_generator_free => indy_crypto_bls_generator_free(gen: P);

    ursa_bls_sign_key_new => indy_crypto_bls_sign_key_new(seed: Bytes, seed_len: usize, p: Out);
    ursa_bls_sign_key_from_bytes => indy_crypto_bls_sign_key_from_bytes(bytes: Bytes, len: usize, p: Out);
    ursa_bls_sign_key_as_bytes => indy_crypto_bls_sign_key_as_bytes(key: P, bytes: BytesOut, len: LenOut);
    ursa_bls_sign_key_free => indy_crypto_bls_sign_key_free(key: P);

    ursa_bls_ver_key_new => indy_crypto_bls_ver_key_new(gen: P, sign_key: P, p: Out);
    ursa_bls_ver_key_from_bytes => indy_crypto_bls_ver_key_from_bytes(bytes: Bytes, len: usize, p: Out);
    ursa_bls_ver_key_as_bytes => indy_crypto_bls_ver_key_as_bytes(key: P, bytes: BytesOut, len: LenOut);
    ursa_bls_ver_key_free => indy_crypto_bls_ver_key_free(key: P);

    ursa_bls_pop_new => indy_crypto_bls_pop_new(ver_key: P, sign_key: P, p: Out);
    ursa_bls_pop_from_bytes => indy_crypto_bls_pop_from_bytes(bytes: Bytes, len: usize, p: Out);
    ursa_bls_pop_as_bytes => indy_crypto_bls_pop_as_bytes(pop: P, bytes: BytesOut, len: LenOut);
    ursa_bls_pop_free => indy_crypto_bls_pop_free(pop: P);

    ursa_bls_signature_from_bytes => indy_crypto_bls_signature_from_bytes(bytes: Bytes, len: usize, p: Out);
    ursa_bls_signature_as_bytes => indy_crypto_bls_signature_as_bytes(sig: P, bytes: BytesOut, len: LenOut);
    ursa_bls_signature_free => indy_crypto_bls_signature_free(sig: P);

    ursa_bls_multi_signature_new => indy_crypto_bls_multi_signature_new(sigs: *const P, sigs_len: usize, p: Out);
    ursa_bls_multi_signature_from_bytes => indy_crypto_bls_multi_signature_from_bytes(bytes: Bytes, len: usize, p: Out);
    ursa_bls_multi_signature_as_bytes => indy_crypto_bls_multi_signature_as_bytes(sig: P, bytes: BytesOut, len: LenOut);
    ursa_bls_multi_signature_free => indy_crypto_bls_multi_signature_free(sig: P);

    ursa_bls_sign => indy_crypto_bls_sign(msg: Bytes, msg_len: usize, sign_key: P, p: Out);
    // indy-crypto spells these two `bsl`.
    ursa_bls_verify => indy_crypto_bsl_verify(sig: P, msg: Bytes, msg_len: usize, ver_key: P, gen: P, valid: *mut bool);
    ursa_bls_verify_multi_sig => indy_crypto_bls_verify_multi_sig(sig: P, msg: Bytes, msg_len: usize, ver_keys: *const P, ver_keys_len: usize, gen: P, valid: *mut bool);
    ursa_bls_verify_pop => indy_crypto_bsl_verify_pop(pop: P, ver_key: P, gen: P, valid: *mut bool);
}

/// python-ursa registers a Python logging callback once per process. The native side's log
/// output is not needed here, so this accepts the callback and keeps it unused.
#[no_mangle]
pub extern "C" fn ursa_set_logger(
    _context: P,
    _enabled: Option<extern "C" fn()>,
    _log: Option<extern "C" fn()>,
    _flush: Option<extern "C" fn()>,
) -> ErrorCode {
    ErrorCode::Success
}
