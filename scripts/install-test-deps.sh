#!/usr/bin/env bash
# Installs what the full test run needs beyond Swift itself: a PostgreSQL server,
# Debian's Chromium and its chromedriver, and the Python packages the browser suite
# and the networkx cross-check use. Idempotent: a second run only verifies.
#
# Usage: bash scripts/install-test-deps.sh
# Env:   PYTHON (default python3) — the interpreter scripts/test.sh will use.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
APT_PACKAGES=(postgresql chromium chromium-driver fonts-liberation)
# Pinned to versions checked together on Debian 12 with Chromium 156 and Python 3.11.
# (selenium 4.52 needs a newer certifi than the registry mirror had.)
PIP_PACKAGES=(selenium==4.51.0 networkx==3.6.1 pytest==9.0.3)

log() { printf '[install-test-deps] %s\n' "$*"; }

SUDO=()
if [[ ${EUID:-$(id -u)} -ne 0 ]]; then
    command -v sudo >/dev/null || { log "not root and no sudo: cannot install packages"; exit 1; }
    SUDO=(sudo)
fi

# --- Debian packages -------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    log "apt-get installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
else
    log "Debian packages already installed: ${APT_PACKAGES[*]}"
fi

# --- Python packages -------------------------------------------------------------
pip_missing=()
for spec in "${PIP_PACKAGES[@]}"; do
    name="${spec%%==*}"; want="${spec##*==}"
    have="$("$PYTHON" -c "import importlib.metadata as m; print(m.version('$name'))" 2>/dev/null || true)"
    [[ "$have" == "$want" ]] || pip_missing+=("$spec")
done
if ((${#pip_missing[@]})); then
    log "pip installing: ${pip_missing[*]}"
    pip_flags=(-q --disable-pip-version-check --root-user-action=ignore)
    # Debian's own python3 is marked externally managed (PEP 668); CI machines normally put
    # pyenv's python3 first on PATH, but if they do not, install beside Debian's packages.
    if [[ -f "$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" ]]; then
        pip_flags+=(--break-system-packages)
    fi
    "$PYTHON" -m pip install "${pip_flags[@]}" "${pip_missing[@]}"
else
    log "Python packages already installed: ${PIP_PACKAGES[*]}"
fi

# --- Verify ----------------------------------------------------------------------
log "chromium:     $(/usr/bin/chromium --version 2>/dev/null)"
log "chromedriver: $(/usr/bin/chromedriver --version)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$pg_bin/postgres" ]] || { log "PostgreSQL server binary not found under /usr/lib/postgresql"; exit 1; }
log "postgres:     $("$pg_bin/postgres" --version)"
log "python:       $("$PYTHON" -c 'import sys, selenium, networkx, pytest; print(sys.version.split()[0], "selenium", selenium.__version__, "networkx", networkx.__version__, "pytest", pytest.__version__)')"

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
