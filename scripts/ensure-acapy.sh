#!/usr/bin/env bash
# Makes sure a pinned ACA-Py (PyPI `acapy-agent`, with its client `acapy-controller`) is installed in a cached virtualenv, for the
# interop tests. Idempotent: when the venv already holds the pinned version it only checks that
# `aca-py --version` answers (about 2 s). All progress goes to stderr; the LAST stdout line is the
# absolute path of the `aca-py` executable. Exits non-zero with a message when it cannot install.
#
# Version choice: acapy-agent 1.7.0 is the newest release. Since 1.5.0 acapy-agent requires
# Python >= 3.13 (1.0.0–1.4.0 require >= 3.12; nothing on `acapy-agent` supports 3.11, and the old
# `aries-cloudagent` name stops at 0.12.8). Debian bookworm has no python3.12/3.13, but this
# machine image ships pyenv with CPython 3.13.0, so we use that (or CREDENCE_ACAPY_PYTHON).
# aries-askar, indy-vdr, anoncreds and indy-credx are plain dependencies of acapy-agent 1.x (the
# old `[askar]` extra is gone), so `--wallet-type askar` works without extras.
#
# Environment:
#   CREDENCE_ACAPY_VENV    venv location (default: $HOME/.cache/credence/acapy-venv)
#   CREDENCE_ACAPY_PYTHON  Python >= 3.13 interpreter to build the venv with (default: searched)
set -euo pipefail

ACAPY_PACKAGE="acapy-agent"
ACAPY_VERSION="1.7.0"
# The client library ACA-Py's own scenario scripts drive agents with; the suite drives Credence
# with it too (test/acapy-controller/flows.py), from the same venv.
CONTROLLER_PACKAGE="acapy-controller==0.3.0"
MIN_PY_MAJOR=3
MIN_PY_MINOR=13

VENV="${CREDENCE_ACAPY_VENV:-${HOME:-/root}/.cache/credence/acapy-venv}"
MARKER="$VENV/.credence-acapy-version"
WANT_MARKER="$ACAPY_PACKAGE==$ACAPY_VERSION $CONTROLLER_PACKAGE"

log() { echo "[ensure-acapy] $*" >&2; }
die() { echo "[ensure-acapy] ERROR: $*" >&2; exit 1; }

# Prints the executable if the venv is complete and answers with the pinned version.
venv_ok() {
  [ -f "$MARKER" ] || return 1
  [ "$(head -n 1 "$MARKER")" = "$WANT_MARKER" ] || return 1
  local exe
  for exe in "$VENV/bin/aca-py" "$VENV/bin/acapy"; do
    if [ -x "$exe" ]; then
      local out
      out=$("$exe" --version 2>/dev/null | tail -n 1) || return 1
      [ "$out" = "$ACAPY_VERSION" ] || return 1
      echo "$exe"
      return 0
    fi
  done
  return 1
}

# Fast path, without the lock.
if exe=$(venv_ok); then
  echo "$exe"
  exit 0
fi

mkdir -p "$(dirname "$VENV")"
# Serialise concurrent callers (e.g. several test files) so only one builds the venv.
exec 9>"$VENV.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 1200 9 || die "timed out waiting for the lock $VENV.lock"
fi
if exe=$(venv_ok); then
  echo "$exe"
  exit 0
fi

python_ok() {
  "$1" -c "import sys, venv, ensurepip; sys.exit(0 if sys.version_info[:2] >= ($MIN_PY_MAJOR, $MIN_PY_MINOR) else 1)" >/dev/null 2>&1
}

find_python() {
  local candidates=()
  local pyenv_root="${PYENV_ROOT:-}"
  if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then pyenv_root=$(pyenv root 2>/dev/null || true); fi
  [ -n "$pyenv_root" ] || pyenv_root="${HOME:-/root}/.pyenv"
  local p
  # Newest first; pyenv's shims fail for versions not selected globally, so use real paths.
  for p in $(ls -d "$pyenv_root"/versions/3.* 2>/dev/null | sort -V -r); do
    candidates+=("$p/bin/python3")
  done
  for p in python3.14 python3.13 python3; do
    for q in /usr/local/bin/$p /usr/bin/$p; do candidates+=("$q"); done
    if command -v "$p" >/dev/null 2>&1; then candidates+=("$(command -v "$p")"); fi
  done
  for p in "${candidates[@]}"; do
    if [ -x "$p" ] && python_ok "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

if [ -n "${CREDENCE_ACAPY_PYTHON:-}" ]; then
  python_ok "$CREDENCE_ACAPY_PYTHON" || die "CREDENCE_ACAPY_PYTHON=$CREDENCE_ACAPY_PYTHON is not a \
Python >= $MIN_PY_MAJOR.$MIN_PY_MINOR with venv/ensurepip (needed by $WANT_MARKER)"
  PYTHON="$CREDENCE_ACAPY_PYTHON"
else
  PYTHON=$(find_python) || die "no Python >= $MIN_PY_MAJOR.$MIN_PY_MINOR found (needed by $WANT_MARKER; \
looked in pyenv versions, /usr/local/bin, /usr/bin and PATH). Install one or set CREDENCE_ACAPY_PYTHON."
fi
log "installing $WANT_MARKER into $VENV with $PYTHON ($("$PYTHON" --version 2>&1))"

start=$(date +%s)
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV" >&2 || die "could not create the virtualenv $VENV"
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$ACAPY_PACKAGE==$ACAPY_VERSION" "$CONTROLLER_PACKAGE" >&2; then
  rm -rf "$VENV"
  die "pip could not install $WANT_MARKER (see pip's output above)"
fi
printf '%s\n%s\n' "$WANT_MARKER" "$("$PYTHON" --version 2>&1)" > "$MARKER"

if ! exe=$(venv_ok); then
  "$VENV/bin/aca-py" --version >&2 || true
  rm -rf "$VENV"
  die "$WANT_MARKER installed but \`aca-py --version\` did not answer $ACAPY_VERSION"
fi
log "installed $WANT_MARKER in $(( $(date +%s) - start )) s"
echo "$exe"
