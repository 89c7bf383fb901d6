#!/usr/bin/env bash
# The Debian packages the whole test suite needs: Chromium (browser tests), Redis and nginx
# (scale-out tests, started by the tests themselves), PostgreSQL (the suite's second pass).
# As root, installs whichever are missing; as another user, says the one command to run.
set -euo pipefail

packages=(chromium redis-server nginx-light postgresql)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "make test needs Debian's packages: ${packages[*]} (this machine has no dpkg)." >&2
  exit 1
fi
installed() {
  # Not `dpkg -s`: it succeeds for a package removed with its configuration files left.
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}
missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "make test needs these Debian packages; install them, then run make test again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
