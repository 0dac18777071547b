# shellcheck shell=bash
# Shared helpers for scripts/run.sh and scripts/test.sh (sourced, not run).
#
# Everything here is idempotent and quiet when there is nothing to do: a second
# run installs nothing and prints nothing but what the caller prints.

set -euo pipefail

ARIEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARIEL_VENV="${ARIEL_VENV:-$ARIEL_ROOT/.venv}"
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_NO_INPUT=1

ariel_log() {
    printf '[ariel] %s\n' "$*" >&2
}

# A visible header before each check of scripts/test.sh.
ariel_log_step() {
    printf '\n==> %s\n' "$*"
}

ariel_die() {
    ariel_log "error: $*"
    exit 1
}

# Run a command quietly; on failure show its output and stop.
ariel_quiet() {
    local out
    out="$(mktemp)"
    if ! "$@" >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        ariel_die "failed: $*"
    fi
    rm -f "$out"
}

ariel_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        ariel_die "need root to run: $*"
    fi
}

_ARIEL_APT_UPDATED=0

# ariel_apt_ensure PKG...: apt-get install the packages that dpkg does not
# report as installed; refreshes the package lists once, only when needed.
ariel_apt_ensure() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || ariel_die "apt-get not found; install by hand: ${missing[*]}"
    ariel_log "installing Debian packages: ${missing[*]}"
    if [ "$_ARIEL_APT_UPDATED" -eq 0 ]; then
        ariel_quiet ariel_as_root apt-get update -q
        _ARIEL_APT_UPDATED=1
    fi
    ariel_quiet ariel_as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The sound prompts and music on hold that the quick start plays.
ariel_ensure_sounds() {
    ariel_apt_ensure asterisk-core-sounds-en-wav asterisk-moh-opsound-wav
}

_ariel_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    ariel_die "Python 3.11 or newer is required (tried python3.11, python3)"
}

# ariel_venv_ensure: create $ARIEL_VENV when it is missing or broken.
ariel_venv_ensure() {
    if [ -x "$ARIEL_VENV/bin/python" ] && "$ARIEL_VENV/bin/python" -c 'import sys' 2>/dev/null; then
        return 0
    fi
    local python
    python="$(_ariel_python)"
    if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
        local minor
        minor="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        ariel_apt_ensure "python${minor}-venv"
    fi
    ariel_log "creating virtual environment $ARIEL_VENV"
    rm -rf "$ARIEL_VENV"
    ariel_quiet "$python" -m venv "$ARIEL_VENV"
}

# ariel_pip_ensure base|dev: `pip install -e .` (base) or `pip install -e '.[dev]'`
# (dev) unless a stamp says that this pyproject.toml was installed already;
# a dev install also satisfies base.
ariel_pip_ensure() {
    local flavour="$1" want spec ok
    want="$(sha256sum "$ARIEL_ROOT/pyproject.toml" | cut -c1-64)"
    ok=0
    if [ "$(cat "$ARIEL_VENV/.ariel-stamp-dev" 2>/dev/null)" = "$want" ]; then
        ok=1
    elif [ "$flavour" = base ] && [ "$(cat "$ARIEL_VENV/.ariel-stamp-base" 2>/dev/null)" = "$want" ]; then
        ok=1
    fi
    if [ "$ok" -eq 1 ] && "$ARIEL_VENV/bin/python" -c 'import ariel' 2>/dev/null; then
        return 0
    fi
    spec="$ARIEL_ROOT"
    [ "$flavour" = dev ] && spec="$ARIEL_ROOT[dev]"
    ariel_log "installing Ariel into $ARIEL_VENV (pip install -e '$spec')"
    ariel_quiet "$ARIEL_VENV/bin/python" -m pip install -q -e "$spec"
    echo "$want" >"$ARIEL_VENV/.ariel-stamp-$flavour"
}
