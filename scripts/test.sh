#!/usr/bin/env bash
# The whole test suite on a fresh machine: Java 17 and Maven for the local Neo4j server (the
# tests start it; its first start fetches the jars from Maven Central), the package with its
# test extras, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mvn >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
  echo "installing Java 17 and Maven (Debian packages) for the Neo4j server…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi
if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "installing Chromium and a Chinese font (Debian packages) for the picture tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m pytest -q "$@"
