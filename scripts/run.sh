#!/usr/bin/env bash
# Runs Ariel in the foreground on a fresh Debian machine (Python 3.11, as root).
#
#   bash scripts/run.sh              # embedded quick-start configuration, port 8088
#   bash scripts/run.sh -C /etc/ariel   # Asterisk-syntax .conf files from a directory
#
# Installs what is missing (sound prompts, music on hold, the virtual
# environment, Ariel itself), then replaces itself with `ariel run "$@"`.
# A second run installs nothing and prints nothing of its own.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ariel_ensure_sounds
ariel_venv_ensure
ariel_pip_ensure base

exec "$ARIEL_VENV/bin/ariel" run "$@"
