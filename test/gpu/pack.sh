#!/usr/bin/env bash
# Builds the self-contained bundle that the GPU check runs on a machine without Node:
#
#   .device/app/cli.js           the curator CLI (dist/runner/cli/main.js), bundled with its dependencies
#   .device/app/worker-main.js   the stage worker entry, beside the CLI so the engine finds it
#   .device/app/worker.js        piscina's thread entry (piscina looks for it beside itself)
#   .device/app/busy-thread.js   BusyStage's thread task, when the build has it
#   .device/app/package.json     {"type": "module"} and the version
#   .device/node.xz              this machine's node binary, xz-compressed
#   .device/check.py             test/gpu/check.py
#
# Usage: bash test/gpu/pack.sh [--no-build]
# Environment: NODE_BIN (the node binary to carry; default: the node on PATH).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

out=.device
app="$out/app"
limit_mib=60
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h | --help)
      sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "pack.sh: unknown argument $arg" >&2
      exit 2
      ;;
  esac
done

node_bin="${NODE_BIN:-$(command -v node)}"
[ -x "$node_bin" ] || { echo "pack.sh: no node binary found (set NODE_BIN)" >&2; exit 1; }
command -v xz >/dev/null || { echo "pack.sh: xz is needed to compress the node binary" >&2; exit 1; }

if [ "$build" = 1 ]; then
  echo "== npm run build"
  npm run build --silent
fi
for f in dist/runner/cli/main.js dist/runner/engine/worker-main.js; do
  [ -f "$f" ] || { echo "pack.sh: $f is missing; run npm run build" >&2; exit 1; }
done

version="$("$node_bin" -p "require('./package.json').version")"
mkdir -p "$out"
rm -rf "$app"
mkdir -p "$app"

# ESM bundles call require() for Node built-ins and for piscina's task files, and piscina finds
# its thread entry through __dirname: give every bundle real ones.
banner="import { createRequire as __curatorCreateRequire } from 'node:module';
import { fileURLToPath as __curatorFileURLToPath } from 'node:url';
import { dirname as __curatorDirname } from 'node:path';
const require = __curatorCreateRequire(import.meta.url);
const __filename = __curatorFileURLToPath(import.meta.url);
const __dirname = __curatorDirname(__filename);"

entries=(
  "cli=dist/runner/cli/main.js"
  "worker-main=dist/runner/engine/worker-main.js"
  "worker=node_modules/piscina/dist/worker.js"
)
if [ -f dist/runner/stages/diagnostic/busy-thread.js ]; then
  entries+=("busy-thread=dist/runner/stages/diagnostic/busy-thread.js")
fi

echo "== esbuild (${#entries[@]} entries, version $version)"
npx --no-install esbuild "${entries[@]}" \
  --bundle \
  --platform=node \
  --format=esm \
  --target=node20 \
  --outdir="$app" \
  --banner:js="$banner" \
  --define:__CURATOR_VERSION__="\"$version\"" \
  --external:@napi-rs/nice \
  --log-level=warning

cat >"$app/package.json" <<EOF
{
  "name": "curator-desktop-bundle",
  "version": "$version",
  "private": true,
  "type": "module"
}
EOF

# Compressing node takes a minute; reuse the last archive while the binary is unchanged.
node_sum="$(sha256sum "$node_bin" | cut -d' ' -f1)"
if [ -f "$out/node.xz" ] && [ "$(cat "$out/node.sha256" 2>/dev/null)" = "$node_sum" ]; then
  echo "== node.xz is up to date ($("$node_bin" --version))"
else
  echo "== xz -T0 -9 $node_bin ($("$node_bin" --version))"
  rm -f "$out/node.xz" "$out/node.sha256"
  xz -T0 -9 -c "$node_bin" >"$out/node.xz.tmp"
  mv "$out/node.xz.tmp" "$out/node.xz"
  echo "$node_sum" >"$out/node.sha256"
fi
"$node_bin" --version >"$out/node.version"

cp test/gpu/check.py "$out/check.py"

# A quick smoke test from a copy outside the repository, so nothing beside the bundle is used.
smoke="$(mktemp -d)"
trap 'rm -rf "$smoke"' EXIT
cp -r "$app" "$smoke/app"
got="$(cd "$smoke" && "$node_bin" app/cli.js --version)"
[ "$got" = "$version" ] || { echo "pack.sh: bundled cli.js --version printed '$got', expected '$version'" >&2; exit 1; }
(cd "$smoke" && "$node_bin" app/cli.js stages --json) | grep -q '"EnvProbe"' || {
  echo "pack.sh: the bundled CLI does not list the EnvProbe stage" >&2
  exit 1
}

echo "== contents"
(cd "$out" && find . -type f -printf '%s\t%p\n' | sort -k2 | awk -F'\t' '{ printf "%10.2f MiB  %s\n", $1 / 1048576, $2 }')
total="$(find "$out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
total_mib="$(awk -v b="$total" 'BEGIN { printf "%.2f", b / 1048576 }')"
echo "total: $total bytes ($total_mib MiB; limit $limit_mib MiB)"
if [ "$total" -gt $((limit_mib * 1048576)) ]; then
  echo "pack.sh: the bundle is larger than $limit_mib MiB" >&2
  exit 1
fi
