#!/usr/bin/env bash
# Runs every test Mutual has — the README's single test command:
#
#   bash scripts/test.sh
#
# 0. services    — bash scripts/install-test-deps.sh (installs PostgreSQL, Chromium,
#                   chromedriver and the Python packages when missing; only verifies when
#                   they are there), then, unless MUTUAL_TEST_POSTGRES is already set,
#                   bash scripts/start-postgres.sh, whose last line becomes the exported
#                   MUTUAL_TEST_POSTGRES. A failure here fails the run; the phases below
#                   still run what they can.
# 1. swift build --build-tests (debug)
# 2. swift test  — all Swift suites; store/web suites also run against PostgreSQL when
#                  MUTUAL_TEST_POSTGRES is a postgres:// URL
# 3. browser     — starts `mutual serve` on a free port with a fresh SQLite file and runs
#                  `python3 -m pytest Tests/browser` (headless Chromium) against it, with
#                  MUTUAL_TEST_POSTGRES in its environment
# 4. crosscheck  — python3 scripts/crosscheck_networkx.py <mutual binary>, if present
#
# MUTUAL_TEST_INSTALL=0 skips phase 0: then, without PostgreSQL or Chromium, it runs what it
# can and says what it skipped, and with MUTUAL_REQUIRE_SERVICES=1 (as .ci/run sets) a
# missing service fails the run instead.
#
# Env: SWIFT (default swift), PYTHON (default python3), MUTUAL_TEST_INSTALL (default 1),
#      MUTUAL_TEST_POSTGRES, MUTUAL_REQUIRE_SERVICES, MUTUAL_SERVER_START_TIMEOUT (s, default
#      90), and for the browser suite CHROMIUM_BIN, CHROMEDRIVER, MUTUAL_BROWSER_TIMEOUT (see
#      its conftest.py).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SWIFT="${SWIFT:-swift}"
PYTHON="${PYTHON:-python3}"
REQUIRE="${MUTUAL_REQUIRE_SERVICES:-0}"
INSTALL="${MUTUAL_TEST_INSTALL:-1}"
START_TIMEOUT="${MUTUAL_SERVER_START_TIMEOUT:-90}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mutual-test.XXXXXX")"
SERVER_PID=""

# --- bookkeeping -----------------------------------------------------------------
PHASES=()      # "name|status|seconds|note"
FAILED=0
TESTS_PASSED=0
TESTS_FAILED=0
TESTS_SKIPPED=0

say()  { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
record() { # name status started note
    local seconds=$(( $(date +%s) - $3 ))
    PHASES+=("$1|$2|$seconds|$4")
    [[ "$2" == FAIL ]] && FAILED=1
    return 0
}
# A service is missing: skip the phase locally, fail it when services are required.
missing_service() { # name started reason
    if [[ "$REQUIRE" == 1 ]]; then
        printf '    FAIL: %s (MUTUAL_REQUIRE_SERVICES=1)\n' "$3"
        record "$1" FAIL "$2" "$3"
    else
        printf '    SKIPPED: %s\n' "$3"
        record "$1" SKIP "$2" "$3"
    fi
}

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            note "server did not stop within 10 s of SIGTERM; killing it"
            kill -KILL "$SERVER_PID" 2>/dev/null
        fi
    fi
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Adds the counts from a log's closing lines to the totals (best effort, for the summary).
count_swift_results() { # log
    local log="$1" n
    # Swift Testing: "✔ Test run with 12 tests in 3 suites passed after …" or "✘ Test run with 12 tests … failed … with 2 issues"
    n="$(grep -aoE 'Test run with [0-9]+ tests?' "$log" | tail -1 | grep -oE '[0-9]+' || true)"
    if [[ -n "$n" ]]; then
        local failed_tests
        failed_tests="$(grep -aE 'Test .* failed after' "$log" | grep -avc 'Test run with' || true)"
        TESTS_PASSED=$(( TESTS_PASSED + n - failed_tests ))
        TESTS_FAILED=$(( TESTS_FAILED + failed_tests ))
    fi
    # XCTest: "Executed 7 tests, with 1 failure (0 unexpected) in …" (last one is the total)
    local line
    line="$(grep -aE 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1 || true)"
    if [[ -n "$line" ]]; then
        local total fails
        total="$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$line")"
        fails="$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$line")"
        TESTS_PASSED=$(( TESTS_PASSED + total - fails ))
        TESTS_FAILED=$(( TESTS_FAILED + fails ))
    fi
}
count_pytest_results() { # log
    local line
    line="$(grep -aE '[0-9]+ (passed|failed|error|errors|skipped)' "$1" | tail -1 || true)"
    [[ -n "$line" ]] || return 0
    local p f e s
    p="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
    f="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
    e="$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
    s="$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
    TESTS_PASSED=$(( TESTS_PASSED + p ))
    TESTS_FAILED=$(( TESTS_FAILED + f + e ))
    TESTS_SKIPPED=$(( TESTS_SKIPPED + s ))
}

postgres_reachable() { # url → 0 when a TCP connection to its host:port opens
    "$PYTHON" - "$1" <<'PY'
import socket, sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
if u.scheme not in ("postgres", "postgresql"):
    sys.exit(f"not a postgres:// URL: {sys.argv[1]}")
try:
    socket.create_connection((u.hostname or "127.0.0.1", u.port or 5432), timeout=5).close()
except OSError as e:
    sys.exit(f"cannot reach {u.hostname}:{u.port or 5432}: {e}")
PY
}

# --- 0. services -----------------------------------------------------------------
say "test services: PostgreSQL, Chromium, chromedriver, Python packages"
started=$(date +%s)
if [[ "$INSTALL" == 0 ]]; then
    if [[ "$REQUIRE" == 1 ]]; then
        note "MUTUAL_TEST_INSTALL=0: installing and starting nothing; with MUTUAL_REQUIRE_SERVICES=1 a suite whose service is missing fails"
    else
        note "MUTUAL_TEST_INSTALL=0: installing and starting nothing; a suite whose service is missing is skipped"
    fi
    record services SKIP "$started" "MUTUAL_TEST_INSTALL=0"
else
    services_failed=""
    PYTHON="$PYTHON" bash scripts/install-test-deps.sh || services_failed+="scripts/install-test-deps.sh failed; "
    if [[ -n "${MUTUAL_TEST_POSTGRES:-}" ]]; then
        note "MUTUAL_TEST_POSTGRES is set, so the local cluster is not started: $MUTUAL_TEST_POSTGRES"
    elif pg_out="$(bash scripts/start-postgres.sh)" && [[ -n "$pg_out" ]]; then
        MUTUAL_TEST_POSTGRES="$(tail -1 <<<"$pg_out")"
        note "MUTUAL_TEST_POSTGRES=$MUTUAL_TEST_POSTGRES"
    else
        services_failed+="scripts/start-postgres.sh failed; "
    fi
    if [[ -z "$services_failed" ]]; then
        record services PASS "$started" "installed and running"
    else
        note "FAIL: ${services_failed}see above (MUTUAL_TEST_INSTALL=0 runs without installing anything)"
        record services FAIL "$started" "${services_failed%; }"
    fi
fi
# The Swift suites and the browser suite (which starts replicas on it) read it from the environment.
[[ -n "${MUTUAL_TEST_POSTGRES:-}" ]] && export MUTUAL_TEST_POSTGRES

# --- 1. build --------------------------------------------------------------------
say "swift build --build-tests"
started=$(date +%s)
if "$SWIFT" build --build-tests; then
    record build PASS "$started" "debug, with tests"
    BUILD_OK=1
else
    record build FAIL "$started" "swift build failed"
    BUILD_OK=0
fi
BIN_DIR="$("$SWIFT" build --show-bin-path 2>/dev/null || echo .build/debug)"
MUTUAL_BIN="${MUTUAL_BIN:-$BIN_DIR/mutual}"

# --- 2. swift test ---------------------------------------------------------------
say "swift test"
started=$(date +%s)
if [[ "$BUILD_OK" != 1 ]]; then
    record "swift test" FAIL "$started" "not run: the build failed"
else
    pg_note="SQLite only"
    pg_ok=1
    if [[ -n "${MUTUAL_TEST_POSTGRES:-}" ]]; then
        if reason="$(postgres_reachable "$MUTUAL_TEST_POSTGRES" 2>&1)"; then
            pg_note="SQLite and PostgreSQL"
            note "store and web suites also run against MUTUAL_TEST_POSTGRES=$MUTUAL_TEST_POSTGRES"
        else
            pg_ok=0
            note "FAIL: MUTUAL_TEST_POSTGRES is set but PostgreSQL is not reachable: $reason"
        fi
    elif [[ "$REQUIRE" == 1 ]]; then
        pg_ok=0
        note "FAIL: MUTUAL_TEST_POSTGRES is not set and MUTUAL_REQUIRE_SERVICES=1"
    else
        note "PostgreSQL SKIPPED: MUTUAL_TEST_POSTGRES is not set, so store/web suites run on SQLite only"
        if [[ "$INSTALL" == 0 ]]; then
            note "  (run without MUTUAL_TEST_INSTALL=0 to install and start PostgreSQL)"
        fi
    fi
    if [[ "$pg_ok" != 1 ]]; then
        record "swift test" FAIL "$started" "PostgreSQL required but unavailable"
    elif "$SWIFT" test --skip-build 2>&1 | tee "$WORK/swift-test.log"; then
        count_swift_results "$WORK/swift-test.log"
        record "swift test" PASS "$started" "$pg_note"
    else
        count_swift_results "$WORK/swift-test.log"
        record "swift test" FAIL "$started" "$pg_note; see failures above"
    fi
fi

# --- 3. browser ------------------------------------------------------------------
say "browser suite (Tests/browser, headless Chromium)"
started=$(date +%s)
browser_missing=""
for path in "${CHROMIUM_BIN:-/usr/bin/chromium}" "${CHROMEDRIVER:-/usr/bin/chromedriver}"; do
    [[ -x "$path" ]] || browser_missing+="$path missing; "
done
# selenium and pytest drive the suite; aiosmtpd (an SMTP server), requests and schemathesis are its peers.
py_missing="$("$PYTHON" - selenium pytest aiosmtpd requests schemathesis <<'PY' 2>/dev/null || echo "$PYTHON"
import importlib.util, sys
print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))
PY
)"
[[ -z "$py_missing" ]] || browser_missing+="python $py_missing missing; "

if [[ "$BUILD_OK" != 1 ]]; then
    record browser FAIL "$started" "not run: the build failed"
elif [[ -n "$browser_missing" ]]; then
    missing_service browser "$started" "${browser_missing}run: bash scripts/install-test-deps.sh"
elif [[ ! -x "$MUTUAL_BIN" ]]; then
    record browser FAIL "$started" "$MUTUAL_BIN was not built"
else
    PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    URL="http://127.0.0.1:$PORT"
    DB="$WORK/browser.sqlite"
    note "starting $MUTUAL_BIN serve on $URL with a fresh database $DB"
    MUTUAL_BASE_URL="$URL" MUTUAL_SECRET="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')" \
        "$MUTUAL_BIN" serve --host 127.0.0.1 --port "$PORT" --database "$DB" --base-url "$URL" \
        >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!

    up=0
    deadline=$(( $(date +%s) + START_TIMEOUT ))
    while (( $(date +%s) < deadline )); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
        if curl -fsS -o /dev/null --max-time 2 "$URL/healthz" 2>/dev/null; then up=1; break; fi
        sleep 0.2
    done

    if [[ "$up" != 1 ]]; then
        note "FAIL: the server did not answer $URL/healthz within ${START_TIMEOUT}s; its log:"
        tail -40 "$WORK/server.log" | sed 's/^/      /'
        stop_server
        record browser FAIL "$started" "server did not start"
    else
        note "server is up (pid $SERVER_PID)"
        artifacts="${MUTUAL_BROWSER_ARTIFACTS:-$WORK/artifacts}"
        # MUTUAL_TEST_POSTGRES (exported in phase 0, when there is one) reaches the tests too.
        # MUTUAL_DATABASE lets a test read a link that goes only by email (an invitation's) from the outbox.
        MUTUAL_URL="$URL" MUTUAL_BIN="$MUTUAL_BIN" MUTUAL_DATABASE="$DB" MUTUAL_BROWSER_ARTIFACTS="$artifacts" \
            "$PYTHON" -m pytest Tests/browser -q -p no:cacheprovider 2>&1 | tee "$WORK/pytest.log"
        rc=${PIPESTATUS[0]}
        count_pytest_results "$WORK/pytest.log"
        stop_server
        if [[ "$rc" == 0 ]]; then
            record browser PASS "$started" "against $URL"
        else
            [[ "$rc" == 5 ]] && note "pytest collected no tests"
            note "server log (last 40 lines):"
            tail -40 "$WORK/server.log" | sed 's/^/      /'
            if [[ -d "$artifacts" && -z "${MUTUAL_BROWSER_ARTIFACTS:-}" ]]; then
                keep="$(mktemp -d "${TMPDIR:-/tmp}/mutual-browser-artifacts.XXXXXX")"
                cp -r "$artifacts/." "$keep/" && note "screenshots and HTML of failing pages: $keep"
            fi
            record browser FAIL "$started" "pytest exit $rc"
        fi
    fi
fi

# --- 4. networkx cross-check -----------------------------------------------------
say "networkx cross-check"
started=$(date +%s)
if [[ ! -f scripts/crosscheck_networkx.py ]]; then
    note "skipped: scripts/crosscheck_networkx.py does not exist yet"
    record crosscheck SKIP "$started" "script not present"
elif [[ "$BUILD_OK" != 1 ]]; then
    record crosscheck FAIL "$started" "not run: the build failed"
elif ! "$PYTHON" -c 'import networkx' 2>/dev/null; then
    missing_service crosscheck "$started" "python networkx missing; run: bash scripts/install-test-deps.sh"
elif "$PYTHON" scripts/crosscheck_networkx.py "$MUTUAL_BIN"; then
    record crosscheck PASS "$started" ""
else
    record crosscheck FAIL "$started" "see output above"
fi

# --- summary ---------------------------------------------------------------------
printf '\n==> summary\n'
for entry in "${PHASES[@]}"; do
    IFS='|' read -r name status seconds why <<<"$entry"
    printf '    %-12s %-5s %5ss  %s\n' "$name" "$status" "$seconds" "$why"
done
if [[ "$FAILED" == 0 ]]; then
    printf '    result: PASSED\n'
else
    printf '    result: FAILED\n'
fi
if (( TESTS_SKIPPED > 0 )); then
    printf 'tests: %d passed, %d failed, %d skipped\n' "$TESTS_PASSED" "$TESTS_FAILED" "$TESTS_SKIPPED"
else
    printf 'tests: %d passed, %d failed\n' "$TESTS_PASSED" "$TESTS_FAILED"
fi
exit "$FAILED"
