#!/usr/bin/env bash
# Set up a virtual environment with the test extras, then check and test.
# Needs only Python 3.11 or newer. With no arguments (as CI runs it): lint, format and type
# checks (scripts/check.sh), then the whole suite in parallel, one file's tests to a worker
# (TEST_WORKERS=2 to choose the number of workers; default: one per core).
# With arguments, only pytest with them, in one process: `bash scripts/test.sh -x tests/unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "counter-tui needs Python 3.11 or newer")'
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
.venv/bin/python -m pip install --quiet -e ".[test]"
if [ "$#" -gt 0 ]; then
    exec .venv/bin/python -m pytest "$@"
fi
bash scripts/check.sh
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadgroup
