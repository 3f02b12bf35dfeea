#!/usr/bin/env bash
# Set up a virtual environment with the test extras and run the whole test suite.
# Needs only Python 3.11 or newer. Arguments go to pytest: `bash scripts/test.sh -x tests/unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "counter-tui needs Python 3.11 or newer")'
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
.venv/bin/python -m pip install --quiet -e ".[test]"
exec .venv/bin/python -m pytest "$@"
