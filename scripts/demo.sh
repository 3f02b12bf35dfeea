#!/usr/bin/env bash
# Set up a virtual environment (first run only), install counter-tui, and open the demo shop.
# Needs only Python 3.11 or newer. Arguments are passed on: `bash scripts/demo.sh --keep`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "counter-tui needs Python 3.11 or newer")'
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/counter-tui demo "$@"
