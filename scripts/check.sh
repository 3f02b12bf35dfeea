#!/usr/bin/env bash
# Lint, format and type checks, as `bash scripts/test.sh` (and so CI) runs them before the tests.
# Needs the environment scripts/test.sh makes (.venv with the test extras); `PY=python bash scripts/check.sh`
# runs them with another interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
"$PY" -m ruff check counter_tui tests scripts benchmarks
"$PY" -m ruff format --check counter_tui tests scripts benchmarks
"$PY" -m mypy counter_tui
