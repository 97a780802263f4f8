#!/usr/bin/env bash
# Installs Debian's Chromium and CJK fonts for the console's browser test, when missing.
# Needs root (CI and the dev machines run as root); prints what it did either way.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium is missing and this is not root: install the packages chromium and fonts-noto-cjk" >&2
  exit 1
fi
echo "Installing Debian's chromium and fonts-noto-cjk for the browser test"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
/usr/bin/chromium --version
