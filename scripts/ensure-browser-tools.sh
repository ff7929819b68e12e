#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (never a browser download) and
# axe-core from npm. Idempotent; quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installerar Chromium från Debian / installing Debian's Chromium…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "VARNING: /usr/bin/chromium saknas; webbläsartesterna hoppas över. Installera paketet 'chromium'." >&2
    echo "WARNING: /usr/bin/chromium missing; browser tests will be skipped. Install Debian's 'chromium'." >&2
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    npm ci --silent --no-audit --no-fund
  else
    echo "VARNING: npm saknas; axe-core kan inte installeras. / WARNING: npm missing." >&2
  fi
fi
