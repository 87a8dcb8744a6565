#!/usr/bin/env bash
# Usage: bash scripts/in-trixie.sh CMD [ARGS...]   (from anywhere inside the repository)
#
# Runs CMD inside the Debian 13 ("trixie") root that scripts/install-test-deps.sh builds at
#   ${WEBSHOCKET_TRIXIE_DIR:-/opt/webshocket-trixie}
# with its Node 24 (/opt/node24/bin) first on PATH, then the package's and the workspace root's
# node_modules/.bin. The repository is bind-mounted at the same absolute
# path inside (pnpm's node_modules symlinks and .bin shims hold absolute paths), and CMD runs in the same
# working directory. Also mounted: /proc, /dev, /dev/pts and /tmp (all bind mounts of the host's).
# The environment passes in unchanged (CI, WEBSHOCKET_*, ...), except PATH, which gets Node 24 in front
# and the usual system directories behind. Prints one line naming the root and Node, then runs CMD; the
# exit status is CMD's. Fails (exit 1) when the root is missing; it never skips.
#
# Mounts: by default everything is mounted in a private mount namespace of its own (unshare), so the
# mounts are invisible to the rest of the machine and vanish when CMD's last process exits — whatever
# way it ends (failure, Ctrl-C, SIGKILL), and concurrent runs cannot disturb one another. Where unshare
# is not allowed (or WEBSHOCKET_TRIXIE_UNSHARE=0) the mounts are made in the machine's namespace and
# an exit trap unmounts each (in reverse order, one layer each, so concurrent runs stack safely).
#
# Needs root for mount/chroot: a non-root user is re-run through sudo, and CMD then runs inside as that
# user again (chroot --userspec), so files it writes into the repository keep their owner.
# Run from inside the root already (nested), it just runs CMD.
set -euo pipefail

die() { echo "in-trixie: $*" >&2; exit 1; }

STAMP=.webshocket-trixie-ready
NODE_BIN_INSIDE=/opt/node24/bin
[ $# -ge 1 ] || die "usage: bash scripts/in-trixie.sh CMD [ARGS...]"

# Nested run: we are inside the root already.
if [ "${WEBSHOCKET_IN_TRIXIE:-}" = 1 ] && [ -f "/$STAMP" ]; then
  exec "$@"
fi

root=${WEBSHOCKET_TRIXIE_DIR:-/opt/webshocket-trixie}
root=${root%/}
[ -f "$root/$STAMP" ] || die "no finished Debian 13 root at $root (no $STAMP there); run: bash scripts/install-test-deps.sh (or set WEBSHOCKET_TRIXIE_DIR)"
[ -x "$root$NODE_BIN_INSIDE/node" ] || die "no Node 24 in the Debian 13 root ($root$NODE_BIN_INSIDE/node); run: bash scripts/install-test-deps.sh"
root=$(cd "$root" && pwd -P)

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cwd=$(pwd -P)
case "$cwd/" in
  "$repo/"*) ;;
  *) die "run it from inside the repository ($repo): the current directory $cwd does not exist inside the root" ;;
esac

# Root is needed for mount and chroot.
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "needs root (mount, chroot), and sudo is not installed"
  exec sudo --preserve-env env "PATH=$PATH" "WEBSHOCKET_TRIXIE_USER=$(id -u):$(id -g)" bash "${BASH_SOURCE[0]}" "$@"
fi

# A private mount namespace of our own (same process: unshare execs, it does not fork).
if [ "${_WEBSHOCKET_TRIXIE_NS:-}" != 1 ] && [ "${WEBSHOCKET_TRIXIE_UNSHARE:-1}" != 0 ]; then
  if unshare --mount --propagation private true 2>/dev/null; then
    _WEBSHOCKET_TRIXIE_NS=1 exec unshare --mount --propagation private bash "${BASH_SOURCE[0]}" "$@"
  fi
  echo "in-trixie: unshare --mount is not allowed here; mounting in the machine's namespace (unmounted on exit)" >&2
fi
in_namespace=${_WEBSHOCKET_TRIXIE_NS:-0}
unset _WEBSHOCKET_TRIXIE_NS

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || echo "in-trixie: could not unmount ${mounted[i]}" >&2
  done
  mounted=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# bind SRC: bind-mounts the host's SRC at the same path inside the root.
bind() {
  local dst="$root$1"
  if [ -d "$1" ]; then mkdir -p "$dst"; else [ -e "$dst" ] || : >"$dst"; fi
  mount --bind "$1" "$dst"
  mounted+=("$dst")
}
bind /proc
bind /dev
mountpoint -q /dev/pts && bind /dev/pts
bind /tmp
# A TMPDIR outside /tmp and the repository would not exist inside: mount it too.
if [ -n "${TMPDIR:-}" ] && [ -d "$TMPDIR" ]; then
  tmpdir=$(cd "$TMPDIR" && pwd -P)
  case "$tmpdir/" in /tmp/* | "$repo/"*) ;; *) bind "$tmpdir" ;; esac
fi
bind "$repo"

# Node 24 first, then the package's and the workspace's node_modules/.bin (as under `pnpm run`, so
# `bash scripts/in-trixie.sh vitest run` works from a plain shell too), then the caller's PATH.
bins=""
for d in "$cwd/node_modules/.bin" "$repo/node_modules/.bin"; do
  [ -d "$d" ] && case ":$bins:" in *":$d:"*) ;; *) bins="$bins:$d" ;; esac
done
export PATH="$NODE_BIN_INSIDE$bins:$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export WEBSHOCKET_IN_TRIXIE=1
userspec=()
if [ -n "${WEBSHOCKET_TRIXIE_USER:-}" ]; then
  userspec=(--userspec="$WEBSHOCKET_TRIXIE_USER")
fi
unset WEBSHOCKET_TRIXIE_USER

echo "in-trixie: Debian $(cat "$root/etc/debian_version") root $root, node $(chroot "$root" "$NODE_BIN_INSIDE/node" -v) ($NODE_BIN_INSIDE/node), in $cwd: $*"
run=(chroot "${userspec[@]}" "$root" /bin/sh -c 'cd "$1" && shift && exec "$@"' in-trixie "$cwd" "$@")
if [ "$in_namespace" = 1 ]; then
  # The mounts belong to this namespace alone and vanish with its last process: no cleanup needed, so
  # exec — CMD takes over this process and gets signals sent to it directly.
  trap - EXIT INT TERM HUP
  exec "${run[@]}"
fi
status=0
"${run[@]}" || status=$?
exit "$status"
