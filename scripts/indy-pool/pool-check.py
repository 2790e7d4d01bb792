"""Readiness and write checks for the loopback Indy pool of scripts/ensure-indy-pool.sh.

Runs in the pool's own Python 3.8 venv, which also holds the indy-vdr 0.4.1 wheel:

  pool-check.py read GENESIS [TIMEOUT_S]   wait until the pool answers a GET_NYM of the trustee
                                           DID (indy-vdr accepts a reply only with a state proof
                                           or f+1 matching replies, i.e. with consensus); gives
                                           up early when a PID in CREDENCE_INDY_POOL_PIDS exits
  pool-check.py write GENESIS              write a fresh NYM signed by the trustee, read it back

Exit 0 on success; otherwise the last error goes to stderr and the exit code is 1.
"""
import asyncio
import json
import os
import sys
import time

import base58
import libnacl
from indy_vdr import ledger, open_pool, set_config

TRUSTEE_SEED = b"000000000000000000000000Trustee1"
TRUSTEE_DID = "V4SGRU86Z58d6TV7PBUe6f"


def did_and_keys(seed: bytes):
    verkey, sigkey = libnacl.crypto_sign_seed_keypair(seed)
    return base58.b58encode(verkey[:16]).decode(), base58.b58encode(verkey).decode(), sigkey


async def get_nym(pool, did):
    reply = await pool.submit_request(ledger.build_get_nym_request(None, did))
    data = reply.get("data")
    return json.loads(data) if isinstance(data, str) else data


async def wait_read(genesis: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no attempt"
    pids = [int(p) for p in os.environ.get("CREDENCE_INDY_POOL_PIDS", "").split()]
    while True:
        for pid in pids:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                raise RuntimeError(f"node process {pid} has exited (last: {last})") from None
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError(f"the pool did not answer a GET_NYM of {TRUSTEE_DID} within {timeout:.0f} s (last: {last})")
        try:
            async def attempt():
                pool = await open_pool(transactions_path=genesis)
                try:
                    return await get_nym(pool, TRUSTEE_DID)
                finally:
                    pool.close()
            data = await asyncio.wait_for(attempt(), timeout=min(left, 20))
            if data and data.get("dest") == TRUSTEE_DID:
                return
            last = f"GET_NYM answered without the trustee: {data!r}"
        except Exception as err:  # noqa: BLE001 - any failure means "not ready yet"
            last = f"{type(err).__name__}: {err}"
        await asyncio.sleep(1)


async def write_and_read(genesis: str) -> None:
    trustee_did, _, trustee_sk = did_and_keys(TRUSTEE_SEED)
    assert trustee_did == TRUSTEE_DID, trustee_did
    new_did, new_verkey, _ = did_and_keys(os.urandom(32))
    pool = await open_pool(transactions_path=genesis)
    try:
        started = time.monotonic()
        req = ledger.build_nym_request(trustee_did, new_did, new_verkey, None, None)
        req.set_signature(libnacl.crypto_sign_detached(req.signature_input, trustee_sk))
        reply = await pool.submit_request(req)
        seq_no = reply.get("txnMetadata", {}).get("seqNo")
        wrote = time.monotonic() - started
        # A read right after a write may reach a node that has not applied the batch yet.
        for _ in range(50):
            data = await get_nym(pool, new_did)
            if data and data.get("verkey") == new_verkey:
                break
            await asyncio.sleep(0.2)
        else:
            raise RuntimeError(f"NYM {new_did} (seqNo {seq_no}) was written but did not read back")
        print(f"wrote NYM {new_did} (seqNo {seq_no}) in {wrote * 1000:.0f} ms and read it back "
              f"in {(time.monotonic() - started) * 1000:.0f} ms", file=sys.stderr)
    finally:
        pool.close()


def main(argv) -> int:
    if len(argv) < 3 or argv[1] not in ("read", "write"):
        print(__doc__, file=sys.stderr)
        return 2
    set_config({"ack_timeout": 5, "reply_timeout": 10})
    try:
        if argv[1] == "read":
            asyncio.run(wait_read(argv[2], float(argv[3]) if len(argv) > 3 else 90))
        else:
            asyncio.run(write_and_read(argv[2]))
    except Exception as err:  # noqa: BLE001
        print(f"pool-check {argv[1]}: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
