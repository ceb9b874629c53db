#!/usr/bin/env bash
# Installs what certkeeper needs on a fresh Debian 12 machine with Node.js 20.19+: Pebble (test CA), BIND 9
# (authoritative DNS for tests), PowerDNS with its SQLite backend (PowerDNS plugin tests), tmux (terminal tests),
# Chromium (the status page's browser tests),
# pnpm at the version package.json names, and the workspace dependencies. Safe to run again: it only installs
# what is missing. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pebble >/dev/null 2>&1 || need_apt+=(pebble)
command -v named >/dev/null 2>&1 || need_apt+=(bind9)
command -v nsupdate >/dev/null 2>&1 || need_apt+=(bind9-utils)
command -v dig >/dev/null 2>&1 || need_apt+=(bind9-dnsutils)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
command -v pdns_server >/dev/null 2>&1 || need_apt+=(pdns-server)
[ -f /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql ] || need_apt+=(pdns-backend-sqlite3)
command -v sqlite3 >/dev/null 2>&1 || need_apt+=(sqlite3)
# The status page's browser tests drive Debian's Chromium with playwright-core (which cannot download browsers).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$pnpm_version" ]; then
  echo "installing pnpm ${pnpm_version}"
  npm install -g "pnpm@${pnpm_version}" --no-fund --no-audit
fi

pnpm install --frozen-lockfile
