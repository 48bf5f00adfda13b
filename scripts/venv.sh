# Sourced by scripts/test and scripts/demo: one virtual environment in .venv, installed under
# constraints.txt (the exact versions, written by scripts/lock) and reinstalled only when
# pyproject.toml or constraints.txt changes.
VENV="${NEUVO_VENV:-.venv}"
ensure_venv() {
    local extra="${1:-}"
    local stamp="$VENV/.installed-${extra:-base}"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
        [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".${extra:+[$extra]}"
        touch "$stamp"
    fi
}
