#!/usr/bin/env bash
# Regenerates the prompts Ariel ships in src/ariel/sounds (not run by the
# set-up scripts: the files are committed). Needs espeak-ng and sox.
#
# Why: the book's quick start plays `sound:believe-its-free`, a prompt of
# Asterisk's "extra" sounds that Debian does not package. Ariel ships a
# prompt of that name (synthesized speech, 8 kHz 16-bit mono WAV, the
# format of the core prompts) so the chapter works verbatim.
set -euo pipefail
out="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src/ariel/sounds/en"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
say() { # id text
    espeak-ng -v en-us -s 150 -w "$tmp/$1.wav" "$2"
    sox "$tmp/$1.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$1.wav" norm -3
}
say believe-its-free "I can't believe it's free."
