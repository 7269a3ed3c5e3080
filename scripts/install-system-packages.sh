#!/usr/bin/env bash
# Installs the system packages `npm test` needs on Debian or Ubuntu (what scripts/check-system.sh looks for), and only
# those missing: sudo scripts/install-system-packages.sh. .ci/run calls it on a clean machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) != 0 ]]; then
  echo "Run it as root: sudo $0" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo 'This script installs with apt-get (Debian, Ubuntu). Elsewhere install what scripts/check-system.sh names.' >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

mapfile -t packages < <(bash scripts/check-system.sh --packages)
if ((${#packages[@]})); then
  apt-get update
  for i in "${!packages[@]}"; do
    # Debian packages Chromium as `chromium`; Ubuntu only as `chromium-browser`, which installs its snap.
    if [[ ${packages[$i]} == chromium ]] && ! apt-cache show chromium >/dev/null 2>&1; then
      packages[i]=chromium-browser
      echo 'Chromium comes from its snap here: set CHROMIUM_PATH=/snap/bin/chromium for the browser tests.' >&2
    fi
  done
  apt-get install -y --no-install-recommends "${packages[@]}"
fi

if ! command -v cfn-lint >/dev/null 2>&1; then
  # Not packaged by Debian 12 or Ubuntu: installed from PyPI with pipx, for every user.
  command -v pipx >/dev/null 2>&1 || apt-get install -y --no-install-recommends pipx
  if ! PIPX_HOME=/opt/pipx PIPX_BIN_DIR=/usr/local/bin pipx install cfn-lint; then
    echo 'cfn-lint could not be installed from PyPI: install it by hand (pipx install cfn-lint).' >&2
    exit 1
  fi
fi

bash scripts/check-system.sh
