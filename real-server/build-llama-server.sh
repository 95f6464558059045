#!/usr/bin/env bash
# Builds llama.cpp's llama-server and llama-finetune from the llama.cpp source node-llama-cpp ships
# (llama/gitRelease.bundle), once per llama.cpp commit, into the cache outside the repository:
#   ${EVALBENCH_CACHE:-~/.cache/evalbench}/llama.cpp/<commit>/src/build/bin/
# Prints that bin folder. About 25 minutes on 2 cores the first time; instant once built.
# Concurrency-safe (a lock) and interrupt-safe: the source is cloned beside and renamed into place,
# and a build counts as done only by the marker written after cmake finished; an interrupted
# build is resumed (cmake rebuilds only what is missing).
set -euo pipefail

NODE_LLAMA_CPP=3.21.1
COMMIT=80fb11ac73e66d89eae2c6a91d8a77428fa733ed
dir="${EVALBENCH_CACHE:-$HOME/.cache/evalbench}/llama.cpp/$COMMIT"
bin="$dir/src/build/bin"
mkdir -p "$dir"

exec 9>"$dir/lock"
flock 9

if [ -f "$dir/built" ] && [ -x "$bin/llama-server" ] && [ -x "$bin/llama-finetune" ]; then
  echo "$bin"
  exit 0
fi

for tool in cmake g++ git npm; do
  command -v "$tool" >/dev/null || { echo "building llama-server needs $tool: apt-get install cmake g++ git (npm comes with Node)" >&2; exit 1; }
done

if [ ! -d "$dir/src" ]; then
  echo "llama-server: fetching node-llama-cpp@$NODE_LLAMA_CPP's llama.cpp source (commit ${COMMIT:0:7})" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack "node-llama-cpp@$NODE_LLAMA_CPP" --silent >/dev/null)
  tar -xzf "$tmp"/node-llama-cpp-*.tgz -C "$tmp" package/llama/gitRelease.bundle
  rm -rf "$dir/src.partial"
  git clone -q "$tmp/package/llama/gitRelease.bundle" "$dir/src.partial"
  actual=$(git -C "$dir/src.partial" rev-parse HEAD)
  [ "$actual" = "$COMMIT" ] || { echo "node-llama-cpp@$NODE_LLAMA_CPP bundles llama.cpp $actual, not $COMMIT" >&2; exit 1; }
  mv "$dir/src.partial" "$dir/src"
fi

echo "llama-server: building llama.cpp ${COMMIT:0:7} into $dir/src/build (about 25 minutes on 2 cores, once)" >&2
# No prebuilt web UI: the build would try to download it.
cmake -S "$dir/src" -B "$dir/src/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_OPENSSL=OFF >&2
cmake --build "$dir/src/build" -j"${LLAMA_BUILD_JOBS:-2}" --target llama-server llama-finetune >&2
touch "$dir/built"
echo "$bin"
