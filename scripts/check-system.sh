#!/usr/bin/env bash
# What `npm test` needs from the system besides Node.js, checked before anything runs (the `pretest` script):
#   a Java 17 JDK (javac builds DynamoDB Local's loopback launcher), Chromium where the browser tests look for it
#   (CHROMIUM_PATH, else /usr/bin/chromium), LibreOffice Calc (soffice), the DejaVu fonts LibreOffice renders with on
#   Debian, and cfn-lint.
# With --packages it prints the missing Debian package names, one a line, for scripts/install-system-packages.sh.
set -uo pipefail

packages=()
reasons=()

missing() {
  packages+=("$1")
  reasons+=("  $1: $2")
}

if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  missing openjdk-17-jdk-headless 'no java and javac on PATH (DynamoDB Local, and its launcher compiled by javac)'
else
  version=$(javac -version 2>&1)
  if [[ $version =~ javac\ ([0-9]+) ]] && ((BASH_REMATCH[1] < 17)); then
    missing openjdk-17-jdk-headless "javac is older than 17 ($version)"
  fi
fi

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  missing chromium "no executable $chromium (the browser tests; CHROMIUM_PATH names another)"
fi

if ! command -v soffice >/dev/null 2>&1; then
  missing libreoffice-calc-nogui 'no soffice on PATH (the .xlsx round trips through LibreOffice)'
fi

# Only where dpkg says what is installed (Debian, Ubuntu): elsewhere LibreOffice brings fonts of its own.
if command -v dpkg-query >/dev/null 2>&1; then
  if [[ $(dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null) != 'install ok installed' ]]; then
    missing fonts-dejavu-core 'not installed (the fonts LibreOffice lays out the workbooks with)'
  fi
fi

if [[ ${1:-} == --packages ]]; then
  for package in "${packages[@]}"; do echo "$package"; done
  exit 0
fi

if ! command -v cfn-lint >/dev/null 2>&1; then
  reasons+=('  cfn-lint: not on PATH (the infrastructure tests lint every CloudFormation template; it is a Python tool, not a Debian package)')
fi

if ((${#reasons[@]})); then
  {
    echo 'npm test cannot run: system packages are missing.'
    printf '%s\n' "${reasons[@]}"
    echo 'Install them with: sudo scripts/install-system-packages.sh (Debian or Ubuntu).'
  } >&2
  exit 1
fi
