#!/usr/bin/env bash
# Install the Debian packages Juara needs, only those not installed yet.
#
#   .ci/system-packages.sh runtime     what `make run` needs (WeasyPrint's libraries, fonts)
#   .ci/system-packages.sh [test]      runtime + what the test suite needs (the default)
#   .ci/system-packages.sh PACKAGE...  exactly these packages
#
# Without apt-get (or without root or sudo) it prints what is missing and exits 0, so
# everything that needs no system package still runs; under CI=true it exits 1 instead,
# because CI must run everything.
set -euo pipefail

# libpango-1.0-0, libpangoft2-1.0-0: WeasyPrint (certificates, PDF exports)
# libharfbuzz-subset0: WeasyPrint font subsetting (8-11x slower fallback without it)
# fonts-dejavu-core: a known font for certificates and the browser
runtime_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
# chromium: browser tests (Playwright drives /usr/bin/chromium, no browser download)
# postgresql: second pass of the database tests (.ci/postgres.sh)
# poppler-utils: pdftotext, to read rendered certificates in tests
# redis-server: the Redis paths (rate limits) tested against a real server on loopback
# libreoffice-calc-nogui: the smallest LibreOffice that converts workbooks (no X11, no
#   Writer/Impress), so the LibreOffice round-trip tests run instead of skipping
test_packages=("${runtime_packages[@]}" chromium postgresql poppler-utils redis-server
    libreoffice-calc-nogui)

case "${1:-test}" in
    runtime) packages=("${runtime_packages[@]}") ;;
    test) packages=("${test_packages[@]}") ;;
    *) packages=("$@") ;;
esac

give_up() {
    echo "system-packages: $1" >&2
    echo "system-packages: missing: ${missing[*]}" >&2
    if [[ "${CI:-}" == "true" ]]; then
        echo "system-packages: CI=true, so this is an error." >&2
        exit 1
    fi
    echo "system-packages: continuing without them; what needs them will fail or be skipped." >&2
    exit 0
}

is_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    missing=("${packages[@]}")
    give_up "apt-get not available; install these packages with your system's package manager."
fi
for package in "${packages[@]}"; do
    is_installed "$package" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    give_up "not root and sudo not available."
fi

echo "system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Update the package lists once, only when we actually install something.
"${as_root[@]}" apt-get update -qq || give_up "apt-get update failed."
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || give_up "apt-get install failed."
