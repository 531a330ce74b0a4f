#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu 24.04 base:
# the grader needs Python 3.11 or newer). GRADESCOPE_PYTHON names an interpreter that already has
# the dependencies, to skip the installation steps (the repository's tests do this).
set -euo pipefail
ROOT="${GRADESCOPE_ROOT:-/autograder}"
if [ -z "${GRADESCOPE_PYTHON:-}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "Python 3.11 or newer is needed: choose the Ubuntu 24.04 base image" >&2; exit 1; }
    python3 -m venv "$ROOT/venv"
    "$ROOT/venv/bin/pip" install --upgrade pip
    # Editable, so the package (and its hidden tests) exists only in $ROOT/source, which the
    # sandbox does not mount, rather than also as a copy in site-packages, which it does.
    "$ROOT/venv/bin/pip" install -e "$ROOT/source"
fi
PYTHON="${GRADESCOPE_PYTHON:-$ROOT/venv/bin/python}"
# Checks that run everywhere: the runner imports with its dependencies, and bubblewrap is there.
PYTHONPATH="$ROOT/source" TF_CPP_MIN_LOG_LEVEL=3 "$PYTHON" -c 'import tensorflow, autograder.gradescope.run'
bwrap --version
