#!/usr/bin/env bash
# Each service installed as its image installs it (infra/*.Containerfile): a fresh venv, the
# service's runtime lock, then shared/ and the service non-editably with --no-deps. Then, from that
# venv and outside the checkout: cases-api refuses to serve an un-migrated PostgreSQL database,
# migrates it, serves (production settings, a PEM issuer key), and answers /healthz, /readyz and
# its offline /docs; matching serves and answers /healthz and /docs. Every step's time is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

UV=${UV:-$repo/.venv/bin/uv}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_USER=${PG_USER:-postgres}
work=$(mktemp -d)
database="check_install_$$"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  psql -q -h "$PG_HOST" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%-72s %s\n' "$1" "${2:-}"; }
fail() { echo "check_install: $*" >&2; exit 1; }
seconds_since() { echo "$(( $(date +%s%N) / 1000000 - $1 ))" | awk '{printf "%.1f s", $1 / 1000}'; }
now_ms() { echo "$(( $(date +%s%N) / 1000000 ))"; }

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

install_like_the_image() {  # service -> venv path; the Containerfile's build stage, step by step
  local service=$1 venv="$work/$1-venv" started
  started=$(now_ms)
  "$PYTHON" -m venv "$venv"
  "$UV" pip install --quiet --compile-bytecode --python "$venv/bin/python" -r "services/$service/requirements.lock"
  "$UV" pip install --quiet --compile-bytecode --python "$venv/bin/python" --no-deps ./shared "./services/$service"
  say "$service: installed from services/$service/requirements.lock" \
    "$(seconds_since "$started"), $(du -sm "$venv" | cut -f1) MB"
}

refuse_development_tools() {  # venv, modules that must not be there
  local venv=$1
  shift
  "$venv/bin/python" - "$@" <<'PY'
import importlib.util
import sys

present = [name for name in sys.argv[1:] if importlib.util.find_spec(name) is not None]
if present:
    sys.exit(f"the runtime install has {', '.join(present)}")
PY
}

wait_for() {  # url, pid
  local url=$1 pid=$2
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$url" && return 0
    kill -0 "$pid" 2>/dev/null || fail "the server exited before answering $url"
    sleep 0.25
  done
  fail "$url did not answer within 60 s"
}

expect_ok() {  # url, expected body fragment
  local body
  body=$(curl -sf "$1") || fail "$1 did not answer 200"
  [[ "$body" == *"$2"* ]] || fail "$1 answered $body"
  say "  GET ${1#http://127.0.0.1:*/}" "200"
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# --- cases-api -------------------------------------------------------------------------------
install_like_the_image cases-api
cases_venv="$work/cases-api-venv"
refuse_development_tools "$cases_venv" pytest mypy scipy matplotlib pandas ortools hypothesis

psql -q -h "$PG_HOST" -U "$PG_USER" -d postgres -c "CREATE DATABASE $database" >/dev/null
issuer_key=$("$cases_venv/bin/python" -c '
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
print(key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())')

export CASES_ENVIRONMENT=production
export CASES_DATA_DIR="$work/cases-data"
export CASES_DATABASE_URL="postgresql+psycopg://$PG_USER@$PG_HOST:5432/$database"
export CASES_JWT_ISSUER="urn:check-install"
export CASES_JWT_JWKS_URL=""  # as compose passes it when a PEM key is given instead
export CASES_JWT_PUBLIC_KEY="$issuer_key"
cd "$work"  # nothing from the checkout on the import path

started=$(now_ms)
if refusal=$("$cases_venv/bin/cases-api" serve --port "$(free_port)" 2>&1); then
  fail "cases-api served an un-migrated database"
fi
[[ "$refusal" == *"database schema has no migration applied"*"run \`cases-api migrate\`"* ]] \
  || fail "cases-api refused without saying why: $refusal"
say "cases-api: refuses an un-migrated database" "$(seconds_since "$started")"
echo "  $(tail -n 1 <<<"$refusal")"

started=$(now_ms)
"$cases_venv/bin/cases-api" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; fail "migrate failed"; }
say "cases-api: migrate (packaged migrations, PostgreSQL)" "$(seconds_since "$started")"

port=$(free_port)
started=$(now_ms)
"$cases_venv/bin/cases-api" serve --port "$port" >"$work/cases.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$port/healthz" "$server_pid" || { tail -n 20 "$work/cases.log"; exit 1; }
say "cases-api: serving" "$(seconds_since "$started")"
expect_ok "http://127.0.0.1:$port/healthz" '"ok"'
expect_ok "http://127.0.0.1:$port/readyz" '"ready"'
expect_ok "http://127.0.0.1:$port/docs" "/docs-assets/swagger-ui-bundle.js"
expect_ok "http://127.0.0.1:$port/docs-assets/redoc.standalone.js" "Redoc"
stop_server
cd "$repo"

# --- matching --------------------------------------------------------------------------------
install_like_the_image matching
matching_venv="$work/matching-venv"
refuse_development_tools "$matching_venv" pytest mypy scipy matplotlib hypothesis cases_api

cd "$work"
port=$(free_port)
started=$(now_ms)
"$matching_venv/bin/send-matching" serve --port "$port" >"$work/matching.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$port/healthz" "$server_pid" || { tail -n 20 "$work/matching.log"; exit 1; }
say "matching: serving" "$(seconds_since "$started")"
expect_ok "http://127.0.0.1:$port/healthz" '"ok"'
expect_ok "http://127.0.0.1:$port/docs" "/docs-assets/swagger-ui-bundle.js"
stop_server
cd "$repo"

if [[ -d .venv ]]; then  # what each image used to ship: the whole development lock
  say "for comparison: the development venv (.venv, requirements.lock)" "$(du -sm .venv | cut -f1) MB"
fi
echo "check_install: both services install, migrate and serve as their images do."
