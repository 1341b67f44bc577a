#!/usr/bin/env bash
# Debian packages the test suite needs besides Node: poppler-utils (pdftoppm/pdftotext/pdfinfo,
# to check posters as images and text), DejaVu fonts, and Chromium (the dashboard's browser test,
# driven by playwright-core; never a browser download), kubectl (renders the Kustomize overlays under
# deploy/kubernetes/) and prometheus (promtool checks and unit-tests deploy/prometheus/). Installs
# them when missing and allowed.
set -euo pipefail
missing=()
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
