#!/usr/bin/env bash
# Installs what the full test run needs beyond Swift itself: a PostgreSQL server,
# Debian's Chromium and its chromedriver, and the Python packages the browser suite
# (selenium, pytest, and its peers: aiosmtpd as an SMTP server, requests as an HTTP
# client, icalendar as the parser the calendar feed is checked with) and the networkx
# cross-check use. Idempotent: when everything is there it only
# verifies (a few seconds, most of it one headless Chromium start), and needs no root.
# scripts/test.sh runs it before every build unless MUTUAL_TEST_INSTALL=0.
#
# Usage: bash scripts/install-test-deps.sh
# Env:   PYTHON (default python3) — the interpreter scripts/test.sh will use.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { printf '[install-test-deps] ERROR: %s not found (set PYTHON)\n' "$PYTHON"; exit 1; }
APT_PACKAGES=(postgresql chromium chromium-driver fonts-liberation)
# Pinned to versions checked together on Debian 12 with Chromium 156 and Python 3.11.
# (selenium 4.52 needs a newer certifi than the registry mirror had.) Each name is also the
# module the verification below imports.
# The suite's own imports (the peers: oidc-provider-mock as an OpenID provider, standardwebhooks
# as a webhook receiver); scripts/python-requirements.txt pins them and everything they pull in.
PIP_PACKAGES=(selenium networkx pytest aiosmtpd requests schemathesis icalendar oidc-provider-mock standardwebhooks)
PIP_REQUIREMENTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/python-requirements.txt"

log() { printf '[install-test-deps] %s\n' "$*"; }

# Root (or sudo) is needed only when there is something to install.
SUDO=()
need_root() { # what
    [[ ${EUID:-$(id -u)} -ne 0 ]] || return 0
    if command -v sudo >/dev/null; then SUDO=(sudo); return 0; fi
    log "ERROR: cannot install $1: this is neither root nor a user with sudo."
    log "  Run once as root:  bash scripts/install-test-deps.sh"
    log "  Or run only the SQLite suites:  MUTUAL_TEST_INSTALL=0 bash scripts/test.sh"
    exit 1
}

# --- Debian packages -------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    need_root "the Debian packages ${missing[*]}"
    log "apt-get installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
else
    log "Debian packages already installed: ${APT_PACKAGES[*]}"
fi

# --- Python packages -------------------------------------------------------------
# One interpreter start checks every pin (name==version) against what is installed.
mapfile -t pip_missing < <("$PYTHON" - "$PIP_REQUIREMENTS" <<'PY'
import importlib.metadata as m, sys
for line in open(sys.argv[1]):
    spec = line.split("#")[0].strip()
    if not spec:
        continue
    name, want = spec.split("==")
    try:
        have = m.version(name)
    except m.PackageNotFoundError:
        have = None
    if have != want:
        print(spec)
PY
)
if ((${#pip_missing[@]})); then
    log "pip installing: ${pip_missing[*]}"
    pip_flags=(-q --disable-pip-version-check --root-user-action=ignore)
    # Debian's own python3 is marked externally managed (PEP 668); CI machines normally put
    # pyenv's python3 first on PATH, but if they do not, install beside Debian's packages.
    if [[ -f "$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" ]]; then
        pip_flags+=(--break-system-packages)
    fi
    "$PYTHON" -m pip install "${pip_flags[@]}" -r "$PIP_REQUIREMENTS" || {
        log "ERROR: pip could not install ${pip_missing[*]} for $PYTHON (see above)."
        log "  Install them as a user who can write to its site-packages, e.g. root:  bash scripts/install-test-deps.sh"
        log "  Or run only the SQLite suites:  MUTUAL_TEST_INSTALL=0 bash scripts/test.sh"
        exit 1
    }
else
    log "Python packages already installed: ${PIP_PACKAGES[*]}"
fi

# --- Verify ----------------------------------------------------------------------
log "chromium:     $(/usr/bin/chromium --version 2>/dev/null)"
log "chromedriver: $(/usr/bin/chromedriver --version)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$pg_bin/postgres" ]] || { log "PostgreSQL server binary not found under /usr/lib/postgresql"; exit 1; }
log "postgres:     $("$pg_bin/postgres" --version)"
py_versions="$("$PYTHON" - "${PIP_PACKAGES[@]}" <<'PY'
import importlib, importlib.metadata as m, sys, warnings
warnings.simplefilter("ignore")  # authlib (under oidc-provider-mock) warns about its own imports
names = sys.argv[1:]
for name in names:
    importlib.import_module(name.replace("-", "_"))  # installed is not enough: each must import
print(sys.version.split()[0], " ".join(f"{n} {m.version(n)}" for n in names))
PY
)" || { log "ERROR: the Python packages do not import with $PYTHON (see above)"; exit 1; }
log "python:       $py_versions"

# A real headless start through chromedriver, so a broken browser fails here, early.
"$PYTHON" - <<'PY'
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get("data:text/html,<h1 id=x>ready</h1>")
    assert driver.find_element("id", "x").text == "ready"
finally:
    driver.quit()
print("[install-test-deps] headless chromium via chromedriver: ok")
PY
