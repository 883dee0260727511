#!/bin/sh
# Installs Debian's Chromium, the browser the web interface's browser tests drive headless.
#
# Idempotent and quiet. Does nothing when a Chromium is already there or one is named
# ($NEWSARCHIVE_CHROMIUM), and nothing but a one-line note when it cannot install (not root,
# or no apt-get): the browser tests then skip, saying why. Playwright's own browser builds
# are never downloaded; the tests launch this system browser.
set -eu

have_chromium() {
    for name in chromium chromium-browser; do
        command -v "$name" >/dev/null 2>&1 && return 0
    done
    return 1
}

if [ -n "${NEWSARCHIVE_CHROMIUM:-}" ] || have_chromium; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: Chromium not installed (needs root and apt-get); browser tests will skip" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
have_chromium
