#!/usr/bin/env bash
# Installs what certkeeper needs on a fresh Debian 12 machine with Node.js and npm (Debian's Node 20 will do):
# Node.js 24 (from the npm registry, when the machine's Node is older), Pebble 2.10 (test CA, from Debian forky,
# unpacked beside the system), BIND 9 (authoritative DNS for tests), PowerDNS with its SQLite backend (PowerDNS
# plugin tests), tmux (terminal tests), Chromium (the status page's browser tests), pnpm at the version
# package.json names, and the workspace dependencies. Safe to run again: it only installs what is missing. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-from-npm.sh
source scripts/lib/pebble-from-debian.sh

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Node.js 24 LTS into /usr/local/lib/certkeeper-node/v<version>, linked as /usr/local/bin/node (before /usr/bin in
# Debian's PATH). The distribution's own Node stays where it is.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 24 ]; then
  node_dir="/usr/local/lib/certkeeper-node/v${NODE_DEV_VERSION}"
  node_from_npm "$NODE_DEV_VERSION" "$node_dir"
  $SUDO ln -sfn "$node_dir/bin/node" /usr/local/bin/node
  hash -r
  if [ "$(node --version)" != "v${NODE_DEV_VERSION}" ]; then
    echo "Node.js ${NODE_DEV_VERSION} is in /usr/local/bin/node, but \`node\` runs $(command -v node) ($(node --version)):" >&2
    echo "put /usr/local/bin before $(dirname "$(command -v node)") in PATH and run this script again." >&2
    exit 1
  fi
  echo "Node.js $(node --version) at /usr/local/bin/node"
fi

need_apt=()
command -v named >/dev/null 2>&1 || need_apt+=(bind9)
command -v nsupdate >/dev/null 2>&1 || need_apt+=(bind9-utils)
command -v dig >/dev/null 2>&1 || need_apt+=(bind9-dnsutils)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
# systemd-analyze checks the shipped unit files (packages/cli/systemd).
command -v systemd-analyze >/dev/null 2>&1 || need_apt+=(systemd)
command -v pdns_server >/dev/null 2>&1 || need_apt+=(pdns-server)
[ -f /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql ] || need_apt+=(pdns-backend-sqlite3)
command -v sqlite3 >/dev/null 2>&1 || need_apt+=(sqlite3)
# The status page's browser tests drive Debian's Chromium with playwright-core (which cannot download browsers).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# Pebble 2.10 for the tests, without touching the machine's package sources (see scripts/lib/pebble-from-debian.sh).
pebble_from_debian

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$pnpm_version" ]; then
  # npm's and pnpm's launchers start with `#!/usr/bin/env node`, so both run under the Node.js chosen above.
  echo "installing pnpm ${pnpm_version}"
  npm_sudo=""
  [ -w "$(npm prefix -g)/lib" ] || npm_sudo=$SUDO
  $npm_sudo npm install -g "pnpm@${pnpm_version}" --no-fund --no-audit
  hash -r
  # Under the Node.js installed above, npm's global prefix is that Node's own directory, which is not in PATH:
  # link the launcher beside the node binary, in /usr/local/bin.
  if [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
    $SUDO ln -sfn "$(npm prefix -g)/bin/pnpm" /usr/local/bin/pnpm
    hash -r
  fi
fi

pnpm install --frozen-lockfile
