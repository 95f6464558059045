#!/usr/bin/env bash
# `npm test`: every test — lint, types, unit (incl. the stats golden file), the real-server suite,
# end to end in Debian's Chromium — then one plain line "N passed, N failed, N skipped" totalling
# unit, real-server and e2e tests.
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need: Chromium for end to end, bubblewrap and Debian's python3 (the
# sandbox runs /usr/bin/python3) for model-written code, podman with runc and debootstrap for the
# container executor (its image is built from Debian's packages: scripts/podman-image.sh), Slurm and
# munge for the single-node cluster the Slurm executor's tests start; for the real-server suite, a
# C++ toolchain to build llama-server once and numpy and yaml for gguf-py to write the tiny model.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v bwrap >/dev/null || missing+=(bubblewrap)
[ -x /usr/bin/python3 ] || missing+=(python3)
command -v podman >/dev/null || missing+=(podman)
[ -x /usr/sbin/runc ] || missing+=(runc)
[ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
[ -x /usr/sbin/slurmctld ] || missing+=(slurm-wlm)
[ -x /usr/sbin/munged ] || missing+=(munge)
if [ "${EVALBENCH_SKIP_REAL_SERVER:-}" != 1 ]; then
  for tool in cmake g++ git; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  /usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
  /usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages for the tests: ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } ||
    { echo "could not install ${missing[*]}: run 'apt-get install ${missing[*]}' as root, then npm test again" >&2; exit 1; }
fi
export NEXT_TELEMETRY_DISABLED=1
# here the sandboxes (bwrap, podman) are installed, so their security tests must run, never skip
export EVALBENCH_REQUIRE_SANDBOX=1
reports=$(mktemp -d)
status=0

npm run --silent lint || status=1
npm run --silent typecheck || status=1
npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/unit.json" || status=1
# The runner against a real llama-server: builds it first on a fresh machine (about 25 minutes on
# 2 cores, cached in ~/.cache/evalbench by llama.cpp commit), then about half a minute.
# EVALBENCH_SKIP_REAL_SERVER=1 opts out (its e2e spec then shows as skipped).
real_server=()
if [ "${EVALBENCH_SKIP_REAL_SERVER:-}" = 1 ]; then
  echo "real-server suite opted out (EVALBENCH_SKIP_REAL_SERVER=1)"
else
  npm run --silent test:real-server -- --reporter=default --reporter=json --outputFile.json="$reports/real-server.json" || status=1
  real_server=("$reports/real-server.json")
fi
if npm run --silent build; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test --reporter=list,json || status=1
else
  status=1
fi

node scripts/count-results.mjs "$reports/unit.json" "${real_server[@]}" "$reports/e2e.json"
[ "$status" -eq 0 ] && [ "$(node scripts/count-results.mjs --failed "$reports/unit.json" "${real_server[@]}" "$reports/e2e.json")" = 0 ] || status=1
exit "$status"
