#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the package with its test extras, then
# runs pytest. (The Neo4j tests start their own server through the project's scripts.)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m pytest -q "$@"
