#!/usr/bin/env bash
# Makes sure a Chromium is there for the console's browser tests (test/e2e/console.e2e.test.ts):
# Debian's `chromium` package, installed when /usr/bin/chromium is missing. Test tools' own browser
# downloads (npx playwright install) need hosts this project does not rely on; Debian's package
# comes from the same mirror as everything else apt installs. Idempotent; needs root or sudo only
# for the install. CREDENCE_CHROMIUM names another binary and skips all this.
set -euo pipefail

if [ -n "${CREDENCE_CHROMIUM:-}" ]; then
  [ -x "$CREDENCE_CHROMIUM" ] || { echo "[ensure-chromium] CREDENCE_CHROMIUM=$CREDENCE_CHROMIUM is not an executable" >&2; exit 1; }
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ]; then
  echo "[ensure-chromium] installing Debian's chromium"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# The Debian wrapper prints its version; a broken install fails here rather than in the tests.
/usr/bin/chromium --version
