#!/usr/bin/env bash
# Install the Debian packages that Một Cửa's tests need: a PostgreSQL server, Debian's Chromium (driven by
# Playwright through executable_path; Playwright never downloads a browser of its own), fonts, Redis and nginx.
#
# Idempotent and quick when everything is present: each package is checked with dpkg-query first, and
# `apt-get update` / `apt-get install` run only for what is missing, `apt-get update` at most once.
# Must run as root (CI does); a non-root user with everything installed passes too.
# Extra packages can be appended with MOTCUA_EXTRA_APT_PACKAGES="pkg1 pkg2".
set -euo pipefail

# postgresql: the server for the PostgreSQL half of the test suite (scripts/ci_postgres.sh starts it).
# chromium: /usr/bin/chromium for the browser tests; its package depends on every library it loads.
# fonts-dejavu-core: a font with full Vietnamese coverage, so pages render the same everywhere.
# libatomic1: the Node.js driver bundled in the `playwright` pip package links libatomic.so.1 (a minimal Debian
#   lacks it: "error while loading shared libraries: libatomic.so.1").
# make: `make test` is the test entry point.
# redis-server: the shared rate-limit storage (RATELIMIT_STORAGE_URI=redis://…); tests/deploy start a private one.
# nginx: the load balancer of the two-node check (tests/deploy/test_two_nodes.py), as in deploy/nginx.conf.
# softhsm2: a software PKCS#11 token, so the signing of electronic results through SIGNING_BACKEND=pkcs11 is tested
#   as with a real USB token or HSM (tests/results/test_pkcs11.py; softhsm2-util and libsofthsm2.so).
PACKAGES=(postgresql chromium fonts-dejavu-core libatomic1 make redis-server nginx softhsm2)
# shellcheck disable=SC2206
PACKAGES+=(${MOTCUA_EXTRA_APT_PACKAGES:-})

log() { printf '[install_system_deps] %s\n' "$*" >&2; }

is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
    log "all present: ${PACKAGES[*]}"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    log "missing packages (${missing[*]}) and not root: run this script as root"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
log "missing: ${missing[*]}; running apt-get update"

# A registry hiccup should not fail CI outright: retry the network steps a few times.
retry() {
    local n
    for n in 1 2 3; do
        "$@" && return 0
        log "attempt $n of 3 failed: $*"
        sleep $((n * 5))
    done
    return 1
}

# No service is started by apt: PostgreSQL is started by scripts/ci_postgres.sh, Redis and nginx by the tests on free
# ports. A service that cannot start in a container (Debian's default nginx site listens on [::]:80, which fails
# without IPv6) would otherwise fail its package's postinst, and the whole install with it.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# installed by scripts/install_system_deps.sh while it runs\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi

retry apt-get update -qq
# --no-install-recommends keeps the install small; chromium's Depends already carry all of its libraries.
retry apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >&2

for pkg in "${missing[@]}"; do
    is_installed "$pkg" || { log "package $pkg still not installed"; exit 1; }
done
log "installed ${missing[*]} in $(( $(date +%s) - start ))s"
