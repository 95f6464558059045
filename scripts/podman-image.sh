#!/usr/bin/env bash
# The podman image the container executor's tests run in, made without a registry: a Debian
# bookworm root filesystem with python3, built by debootstrap from Debian's packages, cached
# outside the repository under ~/.cache/evalbench/podman/<VERSION>/ and imported into podman when
# podman lacks it. Also writes the containers.conf this kind of host needs (runc, not crun, and no
# default ulimits: see docs/security.md). Prints the image name, then the containers.conf path.
# Slow once (about 2 minutes), instant afterwards; bump VERSION to rebuild.
set -euo pipefail
for tool in podman runc debootstrap; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install -y podman runc debootstrap)" >&2; exit 3; }
done

VERSION=bookworm-python3-2
IMAGE=localhost/evalbench-python:$VERSION
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/evalbench/podman/$VERSION
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9

conf=$CACHE/containers.conf
printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' >"$conf"
export CONTAINERS_CONF=$conf

if ! podman image exists "$IMAGE"; then
  if [ ! -s "$CACHE/rootfs.tar" ]; then
    rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$rootfs"' EXIT
    echo "building the $IMAGE root filesystem with debootstrap (once; cached in $CACHE)" >&2
    debootstrap --variant=minbase --include=python3 bookworm "$rootfs" http://deb.debian.org/debian >"$CACHE/debootstrap.log" 2>&1 ||
      { echo "debootstrap failed; see $CACHE/debootstrap.log" >&2; exit 1; }
    tar -C "$rootfs" -cf "$CACHE/rootfs.tar.part" . && mv "$CACHE/rootfs.tar.part" "$CACHE/rootfs.tar"
  fi
  podman import -q "$CACHE/rootfs.tar" "$IMAGE" >/dev/null
fi
echo "$IMAGE"
echo "$conf"
