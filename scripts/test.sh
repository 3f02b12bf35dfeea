#!/usr/bin/env bash
# Set up a virtual environment with the test extras, then check and test.
# Needs only Python 3.11 or newer. With no arguments (as CI runs it): lint, format and type
# checks (scripts/check.sh), then the whole suite in parallel, each test to whichever worker is
# free (a file's tests together only where it builds a module fixture: tests/conftest.py)
# (TEST_WORKERS=4 to choose the number of workers; default: one per core, since the UI tests no
# longer sleep while they wait for the app (tests/quiet_pilot.py) and keep a core busy), under coverage
# (in-process, pyproject.toml's [tool.coverage]). With the PostgreSQL tests
# (COUNTER_TUI_TEST_POSTGRES_URL set, as .ci/run does) a total below the floor fails the run,
# and a passing run raises the floor (scripts/coverage_floor.py; not in CI, which only checks).
# With arguments, only pytest with them, in one process, no coverage: `bash scripts/test.sh -x tests/unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
# The venv is made with Python 3.12 where the machine has it (else 3.13, on the PATH or installed
# by pyenv; else python3, which must be 3.11 or newer): from 3.12 on, coverage measures through
# sys.monitoring (COVERAGE_CORE=sysmon, below), which costs the suite little; under 3.11 it traces
# every call and about doubles the suite's CPU time. The code still targets 3.11 (ruff's
# target-version and mypy's python_version say so). PYTHON=python3 bash scripts/test.sh chooses.
runs() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
pick_python() {
    local candidate
    for candidate in python3.12 python3.13; do
        if runs "$candidate"; then echo "$candidate"; return; fi
    done
    if command -v pyenv >/dev/null 2>&1; then  # installed by pyenv, not the version it selects
        for candidate in "$(pyenv root)"/versions/3.12.*/bin/python3 "$(pyenv root)"/versions/3.13.*/bin/python3; do
            if runs "$candidate"; then echo "$candidate"; return; fi
        done
    fi
    echo python3
}
PYTHON="${PYTHON:-$(pick_python)}"
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
if .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    export COVERAGE_CORE="${COVERAGE_CORE:-sysmon}"
fi
WORKERS="${TEST_WORKERS:-$(.venv/bin/python -c 'import os; print(os.cpu_count() or 1)')}"
WHOLE_SUITE=(.venv/bin/python -m pytest -n "$WORKERS" --dist loadgroup --cov --cov-report=term:skip-covered)
if [ -z "${COUNTER_TUI_TEST_POSTGRES_URL:-}" ]; then
    echo "COUNTER_TUI_TEST_POSTGRES_URL is not set: the PostgreSQL tests are skipped, so the coverage floor is not checked."
    exec "${WHOLE_SUITE[@]}" --cov-fail-under=0
fi
"${WHOLE_SUITE[@]}"
if [ "${CI:-}" != "true" ]; then
    .venv/bin/python scripts/coverage_floor.py
fi
