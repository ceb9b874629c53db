# shellcheck shell=bash
# Pebble 2.10 (the ACME test CA, with pebble-challtestsrv) from Debian's forky suite, for the tests. Debian 12 ships
# Pebble 2.4, which speaks neither ARI, profiles nor dns-account-01; forky's binary is static enough to run on
# Debian 12 (it needs libc6 >= 2.34). Sourced by scripts/setup.sh.
#
# The machine's package sources are not touched: apt runs with a private state (its own sources list naming
# forky only, its own lists and cache, in a temporary directory), checks forky's InRelease against Debian's
# archive keyring and the .deb against the signed Packages index, and only downloads. The .deb is also checked
# against the SHA-256 pinned here, then unpacked with dpkg-deb -x — never installed — into
# /usr/local/lib/certkeeper-pebble/<version>, with /usr/local/lib/certkeeper-pebble/current pointing at it. An
# installed Debian pebble 2.4 stays where it is, unused: the harness runs $CERTKEEPER_PEBBLE_DIR (default
# /usr/local/lib/certkeeper-pebble/current/usr/bin).
#
# To move to a newer Debian revision: `apt-cache show pebble` with the private state below gives Version and
# SHA256; change both pins together, after the whole suite passed on it.

PEBBLE_DEBIAN_VERSION=2.10.0+ds1-2
PEBBLE_DEB_SHA256=b9a3a3920143f1a6fc568dfa88247be22cafa96c845fe62938c08982a15df315
PEBBLE_ROOT=/usr/local/lib/certkeeper-pebble

# pebble_from_debian: make $PEBBLE_ROOT/current/usr/bin hold Pebble $PEBBLE_DEBIAN_VERSION. Does nothing when it is
# already there. Runs its writes through $SUDO when set.
pebble_from_debian() {
  local dest="$PEBBLE_ROOT/$PEBBLE_DEBIAN_VERSION"
  if [ ! -x "$dest/usr/bin/pebble" ] || [ ! -x "$dest/usr/bin/pebble-challtestsrv" ]; then
    local work
    work=$(mktemp -d)
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/download"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian forky main" \
      >"$work/sources.list"
    # apt fetches as its unprivileged _apt user where it exists: let it write where it fetches to.
    chmod 0755 "$work"
    if id _apt >/dev/null 2>&1; then
      ${SUDO:-} chown -R _apt "$work/lists/partial" "$work/cache/archives/partial" "$work/download"
    fi
    local apt_private=(
      -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
      -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null -o Dir::State::status=/dev/null
    )
    echo "fetching pebble $PEBBLE_DEBIAN_VERSION from Debian forky (private apt state in $work)"
    if ! ${SUDO:-} apt-get "${apt_private[@]}" -qq update; then
      ${SUDO:-} rm -rf "$work"
      echo "pebble_from_debian: apt-get update of Debian forky failed (is deb.debian.org reachable?)" >&2
      return 1
    fi
    if ! (cd "$work/download" && ${SUDO:-} apt-get "${apt_private[@]}" -qq download "pebble=$PEBBLE_DEBIAN_VERSION"); then
      local offered
      offered=$(apt-cache "${apt_private[@]}" show pebble 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' ')
      ${SUDO:-} rm -rf "$work"
      echo "pebble_from_debian: Debian forky has no pebble $PEBBLE_DEBIAN_VERSION (it offers: ${offered:-nothing})." >&2
      echo "Update PEBBLE_DEBIAN_VERSION and PEBBLE_DEB_SHA256 in scripts/lib/pebble-from-debian.sh." >&2
      return 1
    fi
    local deb="$work/download/pebble_${PEBBLE_DEBIAN_VERSION}_amd64.deb" actual
    actual=$(sha256sum "$deb" | cut -d' ' -f1)
    if [ "$actual" != "$PEBBLE_DEB_SHA256" ]; then
      ${SUDO:-} rm -rf "$work"
      echo "pebble_from_debian: $(basename "$deb") has SHA-256 $actual, expected $PEBBLE_DEB_SHA256: refusing it" >&2
      return 1
    fi
    local staging="$dest.partial.$$"
    ${SUDO:-} mkdir -p "$PEBBLE_ROOT"
    ${SUDO:-} rm -rf "$staging"
    ${SUDO:-} dpkg-deb -x "$deb" "$staging"
    ${SUDO:-} rm -rf "$work"
    if [ ! -x "$staging/usr/bin/pebble" ] || [ ! -x "$staging/usr/bin/pebble-challtestsrv" ]; then
      ${SUDO:-} rm -rf "$staging"
      echo "pebble_from_debian: the package holds no usr/bin/pebble and usr/bin/pebble-challtestsrv" >&2
      return 1
    fi
    ${SUDO:-} rm -rf "$dest"
    ${SUDO:-} mv "$staging" "$dest"
  fi
  if [ "$(readlink "$PEBBLE_ROOT/current" 2>/dev/null)" != "$PEBBLE_DEBIAN_VERSION" ]; then
    ${SUDO:-} ln -sfn "$PEBBLE_DEBIAN_VERSION" "$PEBBLE_ROOT/current"
  fi
  echo "Pebble $PEBBLE_DEBIAN_VERSION in $PEBBLE_ROOT/current/usr/bin"
}
