#!/usr/bin/env bash
# Conformance: Nexla's official Python SDK and spec fuzzing (schemathesis) against the emulator, and the
# project's client compared with the SDK request by request. Run by `npm run test:conformance` (which
# builds dist/ first) and by .ci/run. See conformance/README.md.
#
# Environment (all optional):
#   CONFORMANCE_PYTHON        the Python to build the venv with (default: the first python3.X >= 3.10 found)
#   CONFORMANCE_SEED          schemathesis seed (default 6)
#   CONFORMANCE_MAX_EXAMPLES  schemathesis examples per operation and phase (default 100)
#   CONFORMANCE_DIST          the build to test (default: dist/ of this checkout)
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
VENV="$HERE/.venv"
REPORTS="$HERE/.schemathesis"  # ignored by git, prettier and eslint
REQUIREMENTS="$HERE/requirements.txt"
SEED="${CONFORMANCE_SEED:-6}"
MAX_EXAMPLES="${CONFORMANCE_MAX_EXAMPLES:-100}"
export CONFORMANCE_DIST="${CONFORMANCE_DIST:-$ROOT/dist}"

say() { echo "conformance: $*"; }
fail() {
  echo "conformance: FAILED: $*" >&2
  exit 1
}

# ---------------------------------------------------------------- Node (the emulator, the project's client)
NODE="$ROOT/node_modules/.bin/node"
[ -x "$NODE" ] || NODE="$(command -v node || true)"
[ -n "$NODE" ] || fail "no Node.js found (expected node_modules/.bin/node from \`npm ci\`, or node on PATH)."
export CONFORMANCE_NODE="$NODE"
CLI="$CONFORMANCE_DIST/src/emulator/cli.js"
[ -f "$CLI" ] || fail "the emulator is not built: $CLI is missing. Run \`npm run build\` (npm run test:conformance does)."

# ---------------------------------------------------------------- Python >= 3.10 and the pinned packages
python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' >/dev/null 2>&1; }
PYTHON="${CONFORMANCE_PYTHON:-}"
if [ -n "$PYTHON" ]; then
  python_ok "$PYTHON" || fail "CONFORMANCE_PYTHON=$PYTHON is not a Python 3.10 or newer."
else
  for candidate in python3 python3.13 python3.12 python3.11 python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      PYTHON="$(command -v "$candidate")"
      break
    fi
  done
fi
[ -n "$PYTHON" ] || fail "no Python 3.10 or newer found (tried python3, python3.13 … python3.10). Install one \
(e.g. \`apt-get install python3 python3-venv\`) or set CONFORMANCE_PYTHON. The conformance suite needs it for \
Nexla's Python SDK and schemathesis; it is not skipped."

# The venv is rebuilt when requirements.txt or the Python changes (the stamp holds both).
STAMP="$( (cat "$REQUIREMENTS"; "$PYTHON" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$STAMP" ]; then
  say "creating $VENV with $("$PYTHON" --version 2>&1) and the pinned packages of requirements.txt"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" ||
    fail "\`$PYTHON -m venv\` failed: the Python venv module is missing (on Debian: \`apt-get install python3-venv\`)."
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet --requirement "$REQUIREMENTS" \
    >"$HERE/.pip-install.log" 2>&1; then
    tail -n 20 "$HERE/.pip-install.log" >&2
    rm -rf "$VENV"
    fail "could not install the pinned packages of conformance/requirements.txt from PyPI (is PyPI reachable? \
pip's log: conformance/.pip-install.log). The conformance suite needs nexla-sdk and schemathesis; it is not skipped."
  fi
  echo "$STAMP" >"$VENV/.requirements.sha256"
fi
PY="$VENV/bin/python"

# ---------------------------------------------------------------- the emulator, stopped whatever happens
mkdir -p "$REPORTS"
EMULATOR_LOG="$REPORTS/emulator.log"
# Rate limits off: they would answer 429 to the fuzzing's bursts; the client's throttle tests cover them.
"$NODE" "$CLI" --port 0 --no-rate-limits >"$EMULATOR_LOG" 2>&1 &
EMULATOR_PID=$!
stop_emulator() {
  if kill -0 "$EMULATOR_PID" 2>/dev/null; then
    kill -TERM "$EMULATOR_PID" 2>/dev/null
    wait "$EMULATOR_PID" 2>/dev/null
  fi
}
trap stop_emulator EXIT
trap 'exit 130' INT TERM

URL=""
for _ in $(seq 1 100); do
  URL="$(sed -n 's/^Nexla API emulator listening at \(http[^ ]*\).*/\1/p' "$EMULATOR_LOG")"
  [ -n "$URL" ] && break
  kill -0 "$EMULATOR_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$URL" ] || {
  cat "$EMULATOR_LOG" >&2
  fail "the emulator did not start (see above)."
}
export NEXLA_EMULATOR_URL="$URL"
say "emulator at $URL (pid $EMULATOR_PID); $("$PY" --version); nexla-sdk $("$PY" -c 'import importlib.metadata as m; print(m.version("nexla-sdk"))'), schemathesis $("$PY" -c 'import importlib.metadata as m; print(m.version("schemathesis"))')"

# ---------------------------------------------------------------- 1. pytest: the SDK, the client, the errata
say "pytest: Nexla's Python SDK against the emulator; the project's client compared with it; the errata overlay"
(cd "$HERE" && "$PY" -m pytest --junitxml="$REPORTS/pytest.xml")
PYTEST_STATUS=$?
# "passed failed xfailed" of the pytest run, from its JUnit report ("0 1 0" when pytest could not start).
read -r T_PASSED T_FAILED T_XFAILED <<<"$("$PY" - "$REPORTS/pytest.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    suite = ET.parse(sys.argv[1]).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    tests, failures, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    print(tests - failures - errors - skipped, failures + errors, skipped)
except Exception:
    print(0, 1, 0)
EOF
)"

# ---------------------------------------------------------------- 2. schemathesis: the OpenAPI with its errata
say "schemathesis: seed $SEED, at most $MAX_EXAMPLES examples per operation and phase"
(cd "$HERE" && "$PY" fuzz.py --url "$URL" --seed "$SEED" --max-examples "$MAX_EXAMPLES" --reports "$REPORTS")
FUZZ_STATUS=$?
FUZZ_LINE="$("$PY" -c "
import json, sys
try:
    s = json.load(open('$REPORTS/fuzz-summary.json'))
    print(f\"{s['operations_tested']} operations, {s['test_cases']} test cases, {s['unique_failures']} failures, {s['requests_by_status'].get('5xx', 0)} 5xx\")
except Exception as error:
    print(f'no summary ({error})')
")"

# ---------------------------------------------------------------- summary
# The last line counts each pytest test, and the fuzzing as one check; "skipped" are the expected failures
# (strict xfail) that wait for emulator fixes, listed in conformance/README.md.
if [ "$PYTEST_STATUS" -ne 0 ] && [ "$T_FAILED" -eq 0 ]; then T_FAILED=1; fi
PYTEST_PASSED=$T_PASSED
if [ "$FUZZ_STATUS" -eq 0 ]; then T_PASSED=$((T_PASSED + 1)); else T_FAILED=$((T_FAILED + 1)); fi
if [ "$T_FAILED" -eq 0 ]; then RESULT=passed; else RESULT=FAILED; fi
say "$RESULT: pytest $PYTEST_PASSED passed, $T_XFAILED expected failures (exit $PYTEST_STATUS); schemathesis $FUZZ_LINE (exit $FUZZ_STATUS); reports in conformance/.schemathesis/"
echo "conformance: $T_PASSED passed, $T_FAILED failed, $T_XFAILED skipped"
[ "$RESULT" = passed ]
