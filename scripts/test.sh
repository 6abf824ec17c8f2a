#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when one answers (DATABASE_URL, or
# 127.0.0.1:5432 as user postgres). REQUIRE_POSTGRES=1 turns a missing server into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_DEBUG=1
PYTEST_ARGS=(-n "${PYTEST_WORKERS:-auto}" -p no:cacheprovider "$@")

echo "== SQLite"
env -u DATABASE_URL "$PY" -m pytest "${PYTEST_ARGS[@]}"

PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/inventory}"
if [[ "$PG_URL" != postgres* ]]; then
  PG_URL="postgres://postgres@127.0.0.1:5432/inventory"
fi
if "$PY" - "$PG_URL" <<'PYCHECK'
import sys
import psycopg
url = sys.argv[1].replace("postgres://", "postgresql://", 1)
try:
    psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PYCHECK
then
  echo "== PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "$PY" -m pytest "${PYTEST_ARGS[@]}"
elif [[ "${REQUIRE_POSTGRES:-0}" == "1" ]]; then
  echo "REQUIRE_POSTGRES=1 but no PostgreSQL server answers at $PG_URL" >&2
  exit 1
else
  echo "== PostgreSQL: skipped (no server answers at $PG_URL)"
fi
