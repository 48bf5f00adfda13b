# Sourced by scripts/test and scripts/demo: one virtual environment in .venv, reinstalled only
# when pyproject.toml changes.
VENV="${NEUVO_VENV:-.venv}"
ensure_venv() {
    local extra="${1:-}"
    local stamp="$VENV/.installed-${extra:-base}"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        if [ -n "$extra" ]; then
            "$VENV/bin/python" -m pip install -q -e ".[$extra]"
        else
            "$VENV/bin/python" -m pip install -q -e .
        fi
        touch "$stamp"
    fi
}
