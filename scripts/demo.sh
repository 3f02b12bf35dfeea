#!/usr/bin/env bash
# Set up a virtual environment (first run only), install counter-tui, and open the demo shop.
# Needs only Python 3.11 or newer. Arguments are passed on: `bash scripts/demo.sh --keep`.
# The install is editable, so it is redone only when pyproject.toml changed since the last
# one (its hash is kept in .venv/.counter-tui-installed); a re-run starts at once.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
STAMP=.venv/.counter-tui-installed
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "counter-tui needs Python 3.11 or newer")'
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
WANTED="$(.venv/bin/python -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
if [ ! -x .venv/bin/counter-tui ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANTED" ]; then
    .venv/bin/python -m pip install --quiet -e .
    echo "$WANTED" > "$STAMP"
fi
exec .venv/bin/counter-tui demo "$@"
