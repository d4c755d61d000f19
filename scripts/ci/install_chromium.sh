#!/bin/sh
# Install the system Chromium and a CJK font for the console's browser tests (Playwright
# drives /usr/bin/chromium; its own browser download does not work on these machines).
# Idempotent: does nothing when both are present. Run as root (CI image) or with sudo.
set -eu

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
# Without a CJK font Chinese renders as boxes in the screenshots.
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need="$need fonts-noto-cjk"

if [ -z "$need" ]; then
    echo "install_chromium: /usr/bin/chromium and fonts-noto-cjk already present"
    exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install_chromium: installing$need"
$SUDO apt-get update -qq
# shellcheck disable=SC2086  # $need is a list of package names
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need
/usr/bin/chromium --version
