#!/usr/bin/env bash
# Install a lock file's pinned packages and Juara itself (editable) into the venv.
#
#   .ci/install.sh requirements.lock              what `make run` needs
#   .ci/install.sh requirements-test.lock test    and the test tools
#
# uv installs in seconds; pip (INSTALLER=pip, or when uv could not be installed) takes
# minutes. A lock out of step with pyproject.toml (no uv to update it) is not trusted: the
# project is then installed from pyproject.toml, unpinned.
set -euo pipefail
cd "$(dirname "$0")/.."

lock=$1
extra=${2:-}
venv=${VENV:-.venv}
python=$venv/bin/python
uv=$venv/bin/uv
pip=("$python" -m pip install --quiet --disable-pip-version-check)
if [[ "${INSTALLER:-uv}" != uv || ! -x "$uv" ]]; then
    # A venv made by uv has no pip of its own.
    "$python" -m pip --version >/dev/null 2>&1 || "$python" -m ensurepip --upgrade >/dev/null
fi

if ! "$python" .ci/lock.py check "$lock" ${extra:+--extra "$extra"}; then
    echo "$lock is out of step with pyproject.toml: installing from pyproject.toml instead."
    "${pip[@]}" -e ".${extra:+[$extra]}"
    exit 0
fi
if [[ "${INSTALLER:-uv}" == uv && -x "$uv" ]]; then
    # uv leaves compiling to Python's first import, but with PYTHONDONTWRITEBYTECODE set
    # that would happen again at every start: compile now instead, as pip always does.
    compile=()
    [[ -z "${PYTHONDONTWRITEBYTECODE:-}" ]] || compile=(--compile-bytecode)
    # One command, so the project's editable build overlaps the downloads; uv checks the
    # lock's hashes (Juara itself, a local directory, has none).
    "$uv" pip install --quiet --python "$python" "${compile[@]}" -r "$lock" -e .
else
    "${pip[@]}" --require-hashes -r "$lock"
    "${pip[@]}" --no-deps -e .
fi
