#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (choose the Ubuntu
# 24.04 base image). It installs the Python and the exact package versions the course was tested
# with (requirements.lock, written by `autograder gradescope lock`). GRADESCOPE_PYTHON names an
# interpreter that already has them, to skip the installation (the repository's tests do this).
set -euo pipefail
ROOT="${GRADESCOPE_ROOT:-/autograder}"
LOCK="$ROOT/source/requirements.lock"
if [ -z "${GRADESCOPE_PYTHON:-}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    VERSION="$(sed -n 's/^# python \([0-9][0-9.]*\)$/\1/p' "$LOCK")"
    [ -n "$VERSION" ] || { echo "requirements.lock names no Python version" >&2; exit 1; }
    apt-get update
    apt-get install -y --no-install-recommends bubblewrap ca-certificates
    if ! apt-get install -y --no-install-recommends "python$VERSION" "python$VERSION-venv"; then
        # Ubuntu's own Python is another version: the deadsnakes archive has the one the course was tested with.
        apt-get install -y --no-install-recommends software-properties-common gpg-agent
        add-apt-repository -y ppa:deadsnakes/ppa
        apt-get update
        apt-get install -y --no-install-recommends "python$VERSION" "python$VERSION-venv"
    fi
    "python$VERSION" -m venv "$ROOT/venv"
    # The lock holds every distribution needed, so nothing is resolved here: exactly these versions.
    "$ROOT/venv/bin/pip" install --no-deps -r "$LOCK"
    "$ROOT/venv/bin/pip" check
fi
PYTHON="${GRADESCOPE_PYTHON:-$ROOT/venv/bin/python}"
# Checks that run everywhere: the Python and every version are the lock's, the runner imports (the
# package itself is only in $ROOT/source, which the sandbox does not mount), and bubblewrap is there.
PYTHONPATH="$ROOT/source" "$PYTHON" -m autograder.gradescope.lock --check "$LOCK"
PYTHONPATH="$ROOT/source" TF_CPP_MIN_LOG_LEVEL=3 "$PYTHON" -c 'import tensorflow, autograder.gradescope.run'
bwrap --version
