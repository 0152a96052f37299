#!/usr/bin/env bash
# The README's run command: set up what is missing, then start the kiosk.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npm start -- "$@"
