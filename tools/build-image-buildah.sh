#!/usr/bin/env bash
# Build the real image from the Dockerfile without a Docker engine or a registry:
# a Debian bookworm base made with debootstrap (its python3 is 3.11, as the image wants),
# uv's binary (pip install uv==0.13.9) in a scratch image, then `buildah bud` on the committed tree.
#
#   sudo apt-get install buildah debootstrap
#   tools/build-image-buildah.sh [WORKDIR]       # default /var/tmp/nianbao-build
#
# Behind a TLS-intercepting proxy, set BUILD_CA_BUNDLE to a PEM bundle the proxy's CA is
# in: it goes into the builder stage only (BUILDER_IMAGE), never into the runtime image.
# Ends with a smoke run: the image's own `nianbao serve` as UID 10001 on NIANBAO_PORT
# (default 18080), /readyz, one validation, /metrics, then SIGTERM and a clean exit.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/var/tmp/nianbao-build}"
PORT="${NIANBAO_PORT:-18080}"
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}" BUILDAH_ISOLATION="${BUILDAH_ISOLATION:-chroot}"
mkdir -p "$WORK"
cd "$WORK"

if ! buildah inspect --type image localhost/debian-python:3.11-bookworm >/dev/null 2>&1; then
  rm -rf rootfs
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    bookworm rootfs http://deb.debian.org/debian
  rm -rf rootfs/var/cache/apt/archives/*.deb rootfs/var/lib/apt/lists/*
  tar -C rootfs -cf rootfs.tar .
  ctr=$(buildah from scratch)
  buildah add "$ctr" rootfs.tar / >/dev/null
  buildah config --env LANG=C.UTF-8 \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd '["python3"]' "$ctr"
  buildah commit -q "$ctr" localhost/debian-python:3.11-bookworm
  buildah rm "$ctr" >/dev/null
fi

# The uv binary itself (not a pyenv shim): UV_BIN, else the one pip installed with `uv`.
uv_bin="${UV_BIN:-$(python3 -c 'import uv, sys; sys.stdout.write(uv.find_uv_bin())')}"
mkdir -p uvctx
cp "$uv_bin" uvctx/uv
cp "$(dirname "$uv_bin")/uvx" uvctx/uvx
printf 'FROM scratch\nCOPY uv uvx /\n' > uvctx/Containerfile
buildah bud -q -t localhost/uv:local uvctx >/dev/null

builder=localhost/debian-python:3.11-bookworm
if [ -n "${BUILD_CA_BUNDLE:-}" ]; then
  mkdir -p builderctx
  cp "$BUILD_CA_BUNDLE" builderctx/ca-bundle.pem
  printf 'FROM localhost/debian-python:3.11-bookworm\nCOPY ca-bundle.pem /etc/ssl/certs/build-ca-bundle.pem\nENV SSL_CERT_FILE=/etc/ssl/certs/build-ca-bundle.pem\n' \
    > builderctx/Containerfile
  buildah bud -q -t localhost/debian-python-builder:3.11-bookworm builderctx >/dev/null
  builder=localhost/debian-python-builder:3.11-bookworm
fi

rm -rf ctx && mkdir ctx
git -C "$ROOT" archive HEAD | tar -x -C ctx
time buildah bud --layers --format docker -f ctx/Dockerfile \
  --build-arg PYTHON_IMAGE=localhost/debian-python:3.11-bookworm \
  --build-arg BUILDER_IMAGE="$builder" \
  --build-arg UV_IMAGE=localhost/uv:local \
  -t localhost/nianbao:dev ctx
buildah images localhost/nianbao:dev

# Smoke run. buildah's chroot isolation shares the host network.
ctr=$(buildah from localhost/nianbao:dev)
buildah run "$ctr" -- sh -c 'id -u; command -v gcc cc || echo "no compiler"'
buildah run "$ctr" -- sh -c "NIANBAO_PORT=$PORT exec nianbao serve" > serve.log 2>&1 &
stop_server() {
  local pid
  pid=$(pgrep -f "python.* /app/.venv/bin/nianbao serve" | head -1 || true)
  [ -z "$pid" ] || kill -TERM "$pid"
  wait || true
  buildah rm "$ctr" >/dev/null 2>&1 || true
}
trap stop_server EXIT
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$PORT/readyz" && break; sleep 0.2; done
echo
python3 - "$PORT" <<'EOF'
import sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
report = "某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度情况如下。\n".encode()
req = urllib.request.Request(base + "/v1/reports/validate", data=report,
                             headers={"Content-Type": "text/plain; charset=utf-8"})
print(urllib.request.urlopen(req).read().decode()[:200])
print([l for l in urllib.request.urlopen(base + "/metrics").read().decode().splitlines()
       if l.startswith("nianbao_reports_total")])
EOF
stop_server
trap - EXIT
tail -3 serve.log
