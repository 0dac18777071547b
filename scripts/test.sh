#!/usr/bin/env bash
# Passes the tests on a fresh Debian machine (Python 3.11, as root).
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh -k compat -x    # extra arguments go to pytest
#
# Installs what is missing (SIPp, baresip, sox, wrk, openssl, node/npm, wscat, the sound
# prompts, the virtual environment with the dev tools, the third-party ARI
# clients of the compatibility tests), then runs, stopping at the first
# failure: ruff check, ruff format --check, mypy, lint-imports, pytest.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ariel_apt_ensure sip-tester baresip sox wrk openssl
ariel_ensure_sounds
if ! command -v node >/dev/null 2>&1; then
    ariel_apt_ensure nodejs npm
elif ! command -v npm >/dev/null 2>&1; then
    ariel_apt_ensure npm
fi
# The book's quick start (tests/integration/media/test_media_book_quickstart_wscat_curl.py)
# types `wscat`, installed as the chapter does.
if ! command -v wscat >/dev/null 2>&1; then
    ariel_log_step "npm install -g wscat"
    npm install -g wscat >/dev/null || ariel_die "could not install wscat with npm"
fi
ariel_venv_ensure
ariel_pip_ensure dev

# The ARI client libraries of tests/integration/clients: one virtual
# environment each, and node_modules for the npm client (no-ops when current).
if ! "$ARIEL_VENV/bin/python" "$ARIEL_ROOT/tests/integration/clients/client_envs.py"; then
    ariel_die "could not install the ARI clients of tests/integration/clients"
fi

cd "$ARIEL_ROOT"
export PATH="$ARIEL_VENV/bin:$PATH"

ariel_log_step "ruff check src tests"
ruff check src tests
ariel_log_step "ruff format --check src tests"
ruff format --check src tests
ariel_log_step "mypy"
mypy
ariel_log_step "lint-imports"
lint-imports
ariel_log_step "pytest"
exec pytest "$@"
