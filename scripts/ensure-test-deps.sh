#!/usr/bin/env bash
# Installs what the tests need beyond npm (Debian's chromium for browser tests, PyTorch and
# ONNX for the training smoke test, PostgreSQL 15 for the replica tests, which start their own
# server), or stops at once with the exact command to run.
set -euo pipefail
APT_PACKAGES="chromium python3-torch python3-onnx python3-numpy postgresql"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
if ! /usr/bin/python3 -c "import torch, onnx, numpy" >/dev/null 2>&1; then
  missing+=(python3-torch python3-onnx python3-numpy)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends $APT_PACKAGES"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing test dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
else
  echo "The tests need Debian packages that are missing: ${missing[*]}" >&2
  echo "Run as root:  $cmd" >&2
  exit 1
fi
