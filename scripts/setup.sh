#!/usr/bin/env bash
# Installs what the kiosk and its tests need on a fresh Debian machine with Node 20:
# system packages (only the missing ones, only as root: g++/make/python3, postgresql,
# chromium), then the npm dependencies from
# the lockfile. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v g++ >/dev/null 2>&1 || need_apt+=(g++ make python3)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# CJK fonts, or the Chinese screens render as empty boxes.
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need_apt+=(fonts-noto-cjk)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need_apt[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages first: ${need_apt[*]}" >&2
    exit 1
  fi
fi

# npm ci when node_modules is missing or older than the lockfile. Electron's binary is
# never downloaded here (no network beyond the registries); the kiosk runs in browser mode.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
