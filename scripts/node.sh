#!/bin/sh
# Prints the absolute path of the Node that builds and runs Hearth.
#
#   HEARTH_NODE set            → that binary (it must be Node 22.12+ or 24);
#   `node` on PATH is 22.12+   → the machine's own Node;
#   otherwise                  → a pinned Node 24 LTS fetched from the npm registry (the official
#                                builds are published there as node-<platform>-<arch>), checked
#                                against the integrity pinned below, unpacked into .cache/node/.
#
# `scripts/node.sh --fetch` always prints the pinned Node 24 (fetching it if needed), whatever the
# machine has. Messages go to stderr; stdout carries only the path. POSIX sh: it runs before any
# Node that Hearth can use is known.
set -eu

PINNED=24.21.0
MIN_MAJOR=22
MIN_MINOR=12

here=$(cd "$(dirname "$0")/.." && pwd)
cache="${HEARTH_NODE_CACHE:-$here/.cache/node}"

say() { printf '%s\n' "node: $*" >&2; }
die() { printf '%s\n' "node: $*" >&2; exit 1; }

# Is $1 a Node we can use? (22.12+ within 22, or any 23+)
usable() {
  v=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  major=${v%%.*}
  rest=${v#*.}
  minor=${rest%%.*}
  [ "$major" -gt "$MIN_MAJOR" ] && return 0
  [ "$major" -eq "$MIN_MAJOR" ] && [ "$minor" -ge "$MIN_MINOR" ] && return 0
  return 1
}

platform() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) die "no pinned Node for $os; install Node 24 LTS (https://nodejs.org) and run make again" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no pinned Node for $os-$arch; install Node 24 LTS (https://nodejs.org) and run make again" ;;
  esac
  echo "$os-$arch"
}

# The npm registry's node-<platform> packages, with the integrity npm publishes for each tarball.
# darwin-arm64 is not published for Node 24 at all; darwin-x64 stops at 24.18.1.
pinned_for() {
  case "$1" in
    linux-x64) echo "24.21.0 sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==" ;;
    linux-arm64) echo "24.21.0 sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==" ;;
    darwin-x64) echo "24.18.1 sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==" ;;
    *) echo "" ;;
  esac
}

# Any Node can hash a file; the machine's old one is enough for that.
sha512_of() {
  node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

fetch() {
  plat=$(platform)
  pin=$(pinned_for "$plat")
  [ -n "$pin" ] || die "the npm registry has no Node 24 build for $plat; install Node 24 LTS (https://nodejs.org, or 'brew install node@24') and run make again"
  version=${pin%% *}
  integrity=${pin#* }
  dir="$cache/node-v$version-$plat"
  if [ -x "$dir/bin/node" ]; then
    echo "$dir/bin/node"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "npm is needed to fetch Node $version (node-$plat from the npm registry); install Node 24 LTS instead"
  command -v node >/dev/null 2>&1 || die "a node binary is needed to check the download; install Node 24 LTS instead"
  say "this machine's Node is older than $MIN_MAJOR.$MIN_MINOR; fetching Node $version (node-$plat, ~52 MB) from the npm registry into $cache"
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-$plat@$version" >/dev/null) || die "npm pack node-$plat@$version failed (is the npm registry reachable?)"
  tarball=$(ls "$tmp"/node-"$plat"-*.tgz 2>/dev/null | head -n 1)
  [ -n "$tarball" ] || die "npm pack gave no tarball for node-$plat@$version"
  actual=$(sha512_of "$tarball")
  [ "$actual" = "$integrity" ] || die "node-$plat@$version failed its integrity check (expected $integrity, got $actual); nothing was installed"
  mkdir "$tmp/unpacked"
  tar -xzf "$tarball" -C "$tmp/unpacked"
  [ -x "$tmp/unpacked/package/bin/node" ] || die "node-$plat@$version has no bin/node"
  "$tmp/unpacked/package/bin/node" -e '' || die "the fetched Node does not run on this machine"
  rm -rf "$dir"
  mv "$tmp/unpacked/package" "$dir"
  say "Node $version is in $dir"
  echo "$dir/bin/node"
}

if [ "${1:-}" = "--fetch" ]; then
  fetch
  exit 0
fi

if [ -n "${HEARTH_NODE:-}" ]; then
  usable "$HEARTH_NODE" || die "HEARTH_NODE=$HEARTH_NODE is not Node $MIN_MAJOR.$MIN_MINOR+ (Hearth supports Node 22.12+ and 24)"
  command -v "$HEARTH_NODE"
  exit 0
fi

if own=$(command -v node 2>/dev/null) && usable "$own"; then
  echo "$own"
  exit 0
fi

fetch
