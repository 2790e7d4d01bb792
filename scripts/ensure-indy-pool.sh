#!/usr/bin/env bash
# Installs, caches, starts and stops a real 4-node Indy pool (indy-node 1.13.2 / indy-plenum
# 1.13.1: RBFT consensus, BLS state proofs) on loopback, for the ledger tests. A test-bed
# component like ensure-postgres.sh: tests start it when they need it; never part of `npm start`.
#
#   ensure-indy-pool.sh [start] [--reset]   install if needed, write the genesis if absent, start
#                                           the nodes unless running, wait until the pool answers
#                                           a read (GET_NYM of the trustee DID, with consensus).
#                                           The LAST stdout line is the absolute path of the pool
#                                           genesis file. --reset: stop, drop ledgers, keys and
#                                           genesis, start a fresh pool.
#   ensure-indy-pool.sh stop                stop the nodes by PID (TERM, then KILL after 20 s)
#   ensure-indy-pool.sh status              say whether the pool runs (exit 0 running, 3 not)
#   ensure-indy-pool.sh genesis-path        print the genesis path (exit 1 if not written yet)
#   ensure-indy-pool.sh selftest            write a NYM signed by the trustee and read it back
# All progress goes to stderr. Everything it installs stays in the cache dir (nothing under /etc
# or /var), except the Debian packages below.
#
# Everything comes from the package registries (PyPI, crates.io, Debian), with these workarounds
# (scripts/indy-pool/ holds our own code for them):
#   - indy-node 1.13 targets Python 3.8: a pyenv 3.8 interpreter builds the venv. pyzmq 22.3.0 is
#     added by hand (plenum does not declare it); the other dependencies are pinned below.
#   - python-rocksdb does not build: it is left out (plenum/node installed with --no-deps), a
#     stand-in `rocksdb` module satisfies plenum's import, and the node config selects LevelDB for
#     every store. patch-venv.py makes a few more small edits to the installed plenum: config dir
#     from an environment variable instead of /etc/indy, configurable first port for the genesis
#     generator, py-leveldb's bytearray results turned into bytes (else a node restarted on
#     existing data dies with a TypeError).
#   - python-ursa 0.1.1 loads libursa.so (ursa_bls_* C functions), which no crates.io release
#     ships: ursa-shim/ is a small Rust cdylib forwarding those names to the crates.io crate
#     indy-crypto 0.5.1; it is built with cargo once and cached (nodes run with it on
#     LD_LIBRARY_PATH).
#   - Debian packages libsodium-dev libssl-dev pkg-config build-essential are installed when
#     missing (apt-get; needs root or sudo), said before it is done.
# Cold install about 70 s on 2 cores (pip and cargo run side by side); then `start` takes seconds (pool ready 5-20 s after the
# nodes start), and a second `start` while running only checks a read.
#
# Ports: node N listens on BASE+2(N-1) (node stack) and BASE+2(N-1)+1 (client stack), all on
# 127.0.0.1; BASE defaults to 9701, so 9701..9708. Seeds are von-network's: trustee
# 000000000000000000000000Trustee1 (DID V4SGRU86Z58d6TV7PBUe6f), stewards ...Steward1..4.
# Config: Max3PCBatchWait 0.5 s (upstream 3 s) so back-to-back test writes do not wait long.
#
# Environment:
#   CREDENCE_INDY_POOL_DIR        cache: venv, built libursa.so, marker
#                                 (default: $HOME/.cache/credence/indy-pool)
#   CREDENCE_INDY_POOL_DATA_DIR   pool data: config, genesis, keys, ledgers, logs, pid file
#                                 (default: $CREDENCE_INDY_POOL_DIR/pool)
#   CREDENCE_INDY_POOL_BASE_PORT  first of the 8 loopback ports (default: 9701)
#   CREDENCE_INDY_POOL_TIMEOUT    seconds to wait for the pool to answer a read (default: 90)
#   CREDENCE_INDY_POOL_PYTHON     Python 3.8 interpreter for the venv (default: searched in pyenv)
set -euo pipefail

INDY_NODE_VERSION="1.13.2"
INDY_PLENUM_VERSION="1.13.1"
# The dependencies of indy-plenum/indy-node 1.13 minus python-rocksdb, pinned to versions that
# install on Python 3.8; plus pyzmq (undeclared by plenum) and indy-vdr (the readiness check).
PIP_DEPS=(
  base58==2.1.1 distro==1.7.0 importlib-metadata==3.10.1 ioflo==2.0.3 jsonpickle==4.1.4
  leveldb==0.201 libnacl==1.6.1 msgpack-python==0.5.6 orderedset==2.0.3 packaging
  portalocker==2.7.0 prompt-toolkit==3.0.52 psutil==7.2.2 Pympler==0.8 python-dateutil==3.0.0
  python-ursa==0.1.1 rlp==0.6.0 semver==2.13.0 sha3==0.2.1 six sortedcontainers==1.5.7
  timeout-decorator==0.5.0 ujson==1.33 pyzmq==22.3.0 indy-vdr==0.4.1
)
DEBIAN_PACKAGES=(libsodium-dev libssl-dev pkg-config build-essential)
NODES=4
TRUSTEE_DID="V4SGRU86Z58d6TV7PBUe6f"
NETWORK=sandbox

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="$HERE/indy-pool"
CACHE="${CREDENCE_INDY_POOL_DIR:-${HOME:-/root}/.cache/credence/indy-pool}"
DATA="${CREDENCE_INDY_POOL_DATA_DIR:-$CACHE/pool}"
BASE_PORT="${CREDENCE_INDY_POOL_BASE_PORT:-9701}"
TIMEOUT="${CREDENCE_INDY_POOL_TIMEOUT:-90}"
VENV="$CACHE/venv"
LIBDIR="$CACHE/lib"
MARKER="$CACHE/.credence-indy-pool-version"
PIDFILE="$DATA/nodes.pid"
GENESIS="$DATA/genesis/$NETWORK/pool_transactions_genesis"

log() { echo "[ensure-indy-pool] $*" >&2; }
die() { echo "[ensure-indy-pool] ERROR: $*" >&2; exit 1; }

case "$BASE_PORT" in ''|*[!0-9]*) die "CREDENCE_INDY_POOL_BASE_PORT=$BASE_PORT is not a port number";; esac
[ "$BASE_PORT" -ge 1024 ] && [ "$BASE_PORT" -le 65527 ] || die "CREDENCE_INDY_POOL_BASE_PORT=$BASE_PORT: need 1024..65527 (8 ports from it)"
case "$TIMEOUT" in ''|*[!0-9]*) die "CREDENCE_INDY_POOL_TIMEOUT=$TIMEOUT is not a number of seconds";; esac

CMD=start
RESET=0
for arg in "$@"; do
  case "$arg" in
    start|stop|status|genesis-path|selftest) CMD="$arg" ;;
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument '$arg' (use start [--reset] | stop | status | genesis-path | selftest)" ;;
  esac
done

# The marker names what a complete install holds: versions plus a digest of our own workaround
# code, so an edit to the patches or the shim reinstalls.
recipe_digest() {
  cat "$TOOLS/patch-venv.py" "$TOOLS/ursa-shim/Cargo.toml" "$TOOLS/ursa-shim/Cargo.lock" \
    "$TOOLS/ursa-shim/src/lib.rs" | sha256sum | cut -c1-16
}
WANT_MARKER="indy-node==$INDY_NODE_VERSION indy-plenum==$INDY_PLENUM_VERSION ${PIP_DEPS[*]} recipe=$(recipe_digest)"

install_ok() {
  [ -f "$MARKER" ] && [ "$(head -n 1 "$MARKER")" = "$WANT_MARKER" ] &&
    [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/start_indy_node" ] && [ -f "$LIBDIR/libursa.so" ]
}

node_env() {
  env CREDENCE_INDY_CONFIG_DIR="$DATA/etc" LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

ensure_debian_packages() {
  local missing=() p
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "the Debian packages ${missing[*]} are missing and there \
is no apt-get here: install the equivalents of ${missing[*]} (libsodium, OpenSSL headers, pkg-config, \
a C compiler) by hand, then run this again."
  if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
    die "the Debian packages ${missing[*]} are missing and installing them needs root or passwordless \
sudo: run \`sudo apt-get install -y ${missing[*]}\` once, then run this again."
  fi
  log "installing Debian packages ${missing[*]} (apt-get, as root)"
  as_root apt-get update -qq >&2 || die "apt-get update failed, so ${missing[*]} cannot be installed \
(see apt's output above); install them by hand, then run this again."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 ||
    die "apt-get could not install ${missing[*]} (see apt's output above); the pool's Python \
packages need them to build and run. Install them by hand, then run this again."
}

find_python38() {
  if [ -n "${CREDENCE_INDY_POOL_PYTHON:-}" ]; then
    "$CREDENCE_INDY_POOL_PYTHON" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 8))' 2>/dev/null || return 1
    echo "$CREDENCE_INDY_POOL_PYTHON"; return 0
  fi
  local pyenv_root="${PYENV_ROOT:-}" p
  if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then pyenv_root=$(pyenv root 2>/dev/null || true); fi
  [ -n "$pyenv_root" ] || pyenv_root="${HOME:-/root}/.pyenv"
  # Real paths, newest 3.8 first (pyenv's shims fail for versions not selected globally).
  for p in $(ls -d "$pyenv_root"/versions/3.8.* 2>/dev/null | sort -V -r) /usr/local/bin/python3.8 /usr/bin/python3.8; do
    [ -d "$p" ] && p="$p/bin/python3"
    if [ -x "$p" ] && "$p" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 8))' 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  return 1
}

install_pool_software() {
  ensure_debian_packages
  local python
  if [ -n "${CREDENCE_INDY_POOL_PYTHON:-}" ]; then
    python=$(find_python38) || die "CREDENCE_INDY_POOL_PYTHON=$CREDENCE_INDY_POOL_PYTHON is not a \
Python 3.8 with the venv module (indy-node $INDY_NODE_VERSION needs 3.8): point it at one, or unset it \
to search pyenv's versions, /usr/local/bin and /usr/bin."
  else
    python=$(find_python38) || die "no Python 3.8 found (indy-node $INDY_NODE_VERSION needs 3.8; looked \
in pyenv's versions, /usr/local/bin and /usr/bin). Install one (e.g. \`pyenv install 3.8\`) or point \
CREDENCE_INDY_POOL_PYTHON at it, then run this again."
  fi
  command -v cargo >/dev/null 2>&1 || die "cargo is not on PATH: the BLS library libursa.so that \
indy-plenum loads is built from scripts/indy-pool/ursa-shim with cargo (crates.io indy-crypto 0.5.1). \
Install a Rust toolchain, then run this again."
  log "installing indy-node $INDY_NODE_VERSION / indy-plenum $INDY_PLENUM_VERSION into $CACHE with $python ($("$python" --version 2>&1)) and building libursa.so; takes about 70 s"
  local start; start=$(date +%s)
  rm -rf "$VENV" "$LIBDIR" "$MARKER"
  mkdir -p "$CACHE" "$LIBDIR"

  # The Rust build and the pip install (which compiles a few sdists) overlap.
  local cargo_log="$CACHE/ursa-shim-build.log" cargo_pid
  ( CARGO_TARGET_DIR="$CACHE/ursa-shim-target" cargo build --release --locked \
      --manifest-path "$TOOLS/ursa-shim/Cargo.toml" ) >"$cargo_log" 2>&1 &
  cargo_pid=$!

  local pip_log="$CACHE/pip-install.log" ok=1
  {
    "$python" -m venv "$VENV" &&
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-deps \
      "indy-node==$INDY_NODE_VERSION" "indy-plenum==$INDY_PLENUM_VERSION" &&
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q "${PIP_DEPS[@]}"
  } >"$pip_log" 2>&1 || ok=0
  if ! wait "$cargo_pid"; then
    tail -n 30 "$cargo_log" >&2
    die "cargo could not build libursa.so from scripts/indy-pool/ursa-shim (crates.io indy-crypto \
0.5.1; it needs libssl-dev and pkg-config); cargo's output is above and in $cargo_log. Without it \
indy-plenum cannot load its BLS library, so the pool cannot run."
  fi
  if [ "$ok" = 0 ]; then
    tail -n 30 "$pip_log" >&2
    rm -rf "$VENV"
    die "pip could not install indy-node $INDY_NODE_VERSION / indy-plenum $INDY_PLENUM_VERSION and \
their pinned dependencies into a Python 3.8 venv (pip's output is above and in $pip_log). Check that \
PyPI is reachable and that libssl-dev, libsodium-dev and build-essential are installed (some \
dependencies compile from source), then run this again."
  fi
  cp "$CACHE/ursa-shim-target/release/libursa.so" "$LIBDIR/libursa.so"
  rm -rf "$CACHE/ursa-shim-target"   # 240 MB of build products; the .so is all we need

  "$VENV/bin/python" "$TOOLS/patch-venv.py" ||
    die "patching the installed indy-plenum/indy-node failed (see above): the installed files no \
longer match what scripts/indy-pool/patch-venv.py expects."
  # Smoke test: plenum and indy-node import, and BLS works through the shim.
  if ! node_env "$VENV/bin/python" -c '
import indy_node.server.node, plenum.server.node
from ursa.bls import Bls, Generator, SignKey, VerKey
g = Generator.new(); sk = SignKey.new(None); vk = VerKey.new(g, sk)
assert Bls.verify(Bls.sign(b"m", sk), b"m", vk, g)
' >&2; then
    die "the installed pool does not import or its BLS library does not work (see the Python error \
above); delete $CACHE and run this again, or report it."
  fi
  printf '%s\n%s\n' "$WANT_MARKER" "$("$python" --version 2>&1)" > "$MARKER"
  log "installed in $(( $(date +%s) - start )) s"
}

# --- pool data -------------------------------------------------------------------------------

write_node_config() {
  local d
  for d in etc ledger keys genesis "log/$NETWORK" "info/$NETWORK" backup plugins; do mkdir -p "$DATA/$d"; done
  cat > "$DATA/etc/indy_config.py" <<EOF
# Written by scripts/ensure-indy-pool.sh: a loopback test pool; every path under $DATA.
from plenum.common.constants import KeyValueStorageType, HS_LEVELDB

NETWORK_NAME = '$NETWORK'
LEDGER_DIR = '$DATA/ledger'
LOG_DIR = '$DATA/log'
KEYS_DIR = '$DATA/keys'
GENESIS_DIR = '$DATA/genesis'
BACKUP_DIR = '$DATA/backup'
PLUGINS_DIR = '$DATA/plugins'
NODE_INFO_DIR = '$DATA/info'

# python-rocksdb is not installed: LevelDB for every store.
hashStore = {'type': HS_LEVELDB}
stateTsStorage = KeyValueStorageType.Leveldb
domainStateStorage = KeyValueStorageType.Leveldb
poolStateStorage = KeyValueStorageType.Leveldb
configStateStorage = KeyValueStorageType.Leveldb
reqIdToTxnStorage = KeyValueStorageType.Leveldb
nodeStatusStorage = KeyValueStorageType.Leveldb
stateSignatureStorage = KeyValueStorageType.Leveldb
transactionLogDefaultStorage = KeyValueStorageType.Leveldb
METRICS_KV_STORAGE = KeyValueStorageType.Leveldb
idrCacheStorage = KeyValueStorageType.Leveldb
attrStorage = KeyValueStorageType.Leveldb

# Tests send writes back to back: order a batch after 0.5 s, not 3 s.
Max3PCBatchWait = 0.5
EOF
}

generate_genesis() {
  log "writing a fresh pool ($NODES nodes, 127.0.0.1 ports $BASE_PORT..$((BASE_PORT + 2 * NODES - 1))) in $DATA"
  rm -rf "$DATA/ledger" "$DATA/keys" "$DATA/genesis" "$DATA/log" "$DATA/info" "$DATA/backup" \
    "$DATA/logs" "$DATA/ports"
  write_node_config
  local nums=() ips=() i
  for i in $(seq 1 "$NODES"); do nums+=("$i"); ips+=(127.0.0.1); done
  if ! (cd "$DATA" && node_env CREDENCE_INDY_POOL_PORTS_START=$((BASE_PORT - 1)) \
      "$VENV/bin/python" "$VENV/bin/generate_indy_pool_transactions" --nodes "$NODES" --clients 0 \
      --nodeNum "${nums[@]}" --ips "$(IFS=,; echo "${ips[*]}")" --network "$NETWORK") \
      >"$DATA/generate.log" 2>&1; then
    cat "$DATA/generate.log" >&2
    die "generate_indy_pool_transactions failed (output above), so the pool has no genesis."
  fi
  [ -s "$GENESIS" ] || die "generate_indy_pool_transactions ran but $GENESIS was not written (see $DATA/generate.log)"
  echo "$BASE_PORT" > "$DATA/ports"
}

# --- processes -------------------------------------------------------------------------------

# PIDs from the pid file that are still our node processes.
live_pids() {
  [ -f "$PIDFILE" ] || return 0
  local pid name
  while read -r pid name; do
    [ -n "$pid" ] || continue
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "start_indy_node $name "; then
      echo "$pid"
    fi
  done < "$PIDFILE"
}

running() { [ "$(live_pids | wc -l)" -eq "$NODES" ]; }

stop_nodes() {
  local pids; pids=$(live_pids)
  if [ -n "$pids" ]; then
    log "stopping the pool (PIDs $(echo $pids))"
    kill $pids 2>/dev/null || true
    local i
    for i in $(seq 1 40); do
      [ -n "$(live_pids)" ] || break
      sleep 0.5
    done
    pids=$(live_pids)
    if [ -n "$pids" ]; then
      log "nodes still alive after 20 s, killing them (PIDs $(echo $pids))"
      kill -9 $pids 2>/dev/null || true
      sleep 0.5
    fi
  fi
  rm -f "$PIDFILE"
}

port_in_use() {
  "$VENV/bin/python" - "$1" <<'EOF'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
}

start_nodes() {
  local i port busy=()
  for port in $(seq "$BASE_PORT" $((BASE_PORT + 2 * NODES - 1))); do
    if port_in_use "$port"; then busy+=("$port"); fi
  done
  [ ${#busy[@]} -eq 0 ] || die "the pool's ports ${busy[*]} on 127.0.0.1 are already in use by \
another process (another pool with a different data dir?). Stop it, or choose other ports with \
CREDENCE_INDY_POOL_BASE_PORT (then run with --reset, since the genesis names the ports)."
  mkdir -p "$DATA/logs"
  : > "$PIDFILE.tmp"
  for i in $(seq 1 "$NODES"); do
    port=$((BASE_PORT + 2 * (i - 1)))
    # setsid: the nodes outlive the caller's process group (Ctrl-C of a test run); stopped by PID.
    # The nodes must not inherit the lock descriptors (8, 9), else they hold the locks for life.
    (exec 8>&- 9>&-; cd "$DATA" && export CREDENCE_INDY_CONFIG_DIR="$DATA/etc" \
      LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" &&
      exec setsid "$VENV/bin/python" "$VENV/bin/start_indy_node" "Node$i" \
      127.0.0.1 "$port" 127.0.0.1 $((port + 1)) </dev/null >>"$DATA/logs/Node$i.log" 2>&1) &
    echo "$! Node$i" >> "$PIDFILE.tmp"
  done
  mv "$PIDFILE.tmp" "$PIDFILE"
}

logs_tail() {
  local i
  for i in $(seq 1 "$NODES"); do
    echo "----- Node$i: $DATA/logs/Node$i.log (last lines) -----" >&2
    tail -n 15 "$DATA/logs/Node$i.log" >&2 2>/dev/null || true
  done
}

wait_ready() {
  local t0; t0=$(date +%s)
  # CREDENCE_INDY_POOL_PIDS: the check gives up at once when a node process has exited.
  if ! node_env CREDENCE_INDY_POOL_PIDS="$(echo $(live_pids))" \
      "$VENV/bin/python" "$TOOLS/pool-check.py" read "$GENESIS" "$1"; then
    logs_tail
    return 1
  fi
  log "the pool answers reads ($(( $(date +%s) - t0 )) s)"
}

# Every node listening on both its ports, within $1 seconds. Reads are answered by any one node, so
# a pool whose other nodes hung while starting (seen once on a restart over an existing ledger: two
# nodes stuck recovering their trees, never listening) passes wait_ready and times every write out.
all_nodes_listen() {
  local deadline=$(( $(date +%s) + $1 )) port quiet
  while :; do
    quiet=()
    for port in $(seq "$BASE_PORT" $((BASE_PORT + 2 * NODES - 1))); do
      port_in_use "$port" || quiet+=("$port")
    done
    [ ${#quiet[@]} -eq 0 ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "ports ${quiet[*]} are not listening: some nodes did not finish starting"
      return 1
    fi
    sleep 1
  done
}

# --- commands --------------------------------------------------------------------------------

case "$CMD" in
  genesis-path)
    [ -s "$GENESIS" ] || die "no genesis yet at $GENESIS: run \`$0 start\` first"
    echo "$GENESIS"; exit 0 ;;
  status)
    if running; then
      log "running: PIDs $(echo $(live_pids)), ports $(cat "$DATA/ports" 2>/dev/null || echo "$BASE_PORT")..; genesis $GENESIS"
      exit 0
    fi
    n=$(live_pids | wc -l)
    if [ "$n" -gt 0 ]; then log "partly running: $n of $NODES nodes alive"; else log "not running"; fi
    exit 3 ;;
esac

mkdir -p "$CACHE" "$DATA"
# Serialise concurrent callers on this pool (several test files may start it at once).
exec 9>"$DATA/.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 600 9 || die "timed out waiting for the lock $DATA/.lock"
fi

case "$CMD" in
  stop)
    stop_nodes
    log "stopped"
    exit 0 ;;
  selftest)
    running || die "the pool is not running: run \`$0 start\` first"
    node_env "$VENV/bin/python" "$TOOLS/pool-check.py" write "$GENESIS" || die "the write check failed (see above)"
    echo "$GENESIS"; exit 0 ;;
esac

# start
if [ "$RESET" = 0 ] && running && install_ok; then
  # Already running (started by us or another caller): check it still answers, quickly.
  if wait_ready 20 && all_nodes_listen 5; then echo "$GENESIS"; exit 0; fi
  all_nodes_listen 0 || { log "restarting it"; RESET=1; }
  [ "$RESET" = 1 ] || die "the pool runs (PIDs $(echo $(live_pids))) but does not answer a read; node logs above. \
Try \`$0 start --reset\`."
fi

if ! install_ok; then
  stop_nodes
  exec 8>"$CACHE/.install.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 1200 8 || die "timed out waiting for the lock $CACHE/.install.lock"
  fi
  install_ok || install_pool_software
fi

[ -n "$(live_pids)" ] && stop_nodes   # a partly running pool, or --reset
if [ "$RESET" = 1 ] || [ ! -s "$GENESIS" ]; then
  generate_genesis
else
  have_port=$(cat "$DATA/ports" 2>/dev/null || echo "")
  [ "$have_port" = "$BASE_PORT" ] || die "the pool in $DATA was created for ports from \
${have_port:-?}, not $BASE_PORT (CREDENCE_INDY_POOL_BASE_PORT): its genesis names those ports. Use \
the old ports, another CREDENCE_INDY_POOL_DATA_DIR, or \`$0 start --reset\` for a fresh ledger."
  write_node_config   # paths and settings from this version of the script
fi

log "starting $NODES nodes on 127.0.0.1:$BASE_PORT..$((BASE_PORT + 2 * NODES - 1)) (logs in $DATA/logs)"
start_nodes
pool_failed() {
  stop_nodes
  die "the pool did not answer a read within $TIMEOUT s after its nodes started, a node exited, or not every node listened; the node logs' \
tails are above (whole logs in $DATA/logs and $DATA/log). The nodes were stopped. If a node died on \
its existing data, \`$0 start --reset\` starts a fresh ledger."
}
if ! wait_ready "$TIMEOUT"; then pool_failed; fi
if ! all_nodes_listen 60; then
  # A test pool: its ledger holds nothing a run needs again, so a fresh one is the cure.
  logs_tail
  log "starting over on a fresh ledger"
  stop_nodes
  generate_genesis
  start_nodes
  { wait_ready "$TIMEOUT" && all_nodes_listen 60; } || pool_failed
fi
log "ready: genesis $GENESIS"
echo "$GENESIS"
