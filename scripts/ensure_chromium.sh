#!/usr/bin/env bash
# Make sure /usr/bin/chromium exists for the browser tests (pytest -m browser).
# Installs `chromium chromium-driver` with apt-get when missing; needs root for that.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo present) at $CHROMIUM"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Error: $CHROMIUM is missing and apt-get is not available; install Chromium so that $CHROMIUM exists" >&2
    exit 2
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "Error: $CHROMIUM is missing; run 'sudo bash scripts/ensure_chromium.sh' (installing needs root)" >&2
    exit 2
fi

echo "chromium: not found, installing chromium chromium-driver with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver

if [[ ! -x "$CHROMIUM" ]]; then
    echo "Error: apt-get finished but $CHROMIUM is still missing; install Chromium by hand" >&2
    exit 2
fi
echo "chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "at $CHROMIUM")"
