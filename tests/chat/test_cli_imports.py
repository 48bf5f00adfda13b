"""The CLI imports only what a command needs: asking for help (of the CLI or of one command)
imports argparse and the settings, never the database layer, the web stack or Argon2, so an
operator's `neuvo --help` answers at once. Checked by what is imported, not by the clock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# What a command imports when it runs, and `--help` must not.
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "aiosqlite", "asyncpg", "starlette", "uvicorn", "jinja2", "babel",
         "argon2", "redis", "storage", "chat.admin", "chat.web", "chat.live", "chat.app")

PROGRAM = """
import json, sys
from chat.ops.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def run(program: str, *args: str) -> tuple[str, list[str]]:
    """What a Python running `program` with `args` printed, and the modules it had imported."""
    done = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    *printed, modules = done.stdout.splitlines()
    return "\n".join([*printed, done.stderr]), list(json.loads(modules))


def heavy(modules: list[str]) -> list[str]:
    return [name for name in modules if any(name == top or name.startswith(f"{top}.") for top in HEAVY)]


@pytest.mark.parametrize("args", [
    ("--help",), ("serve", "--help"), ("demo", "--help"), ("org", "add", "--help"), ("user", "add", "--help"),
    ("user", "import", "--help"), ("hours", "set", "--help"), ("roster", "import", "--help"), ("purge", "--help"),
    ("user",),  # a usage error ends as early
])
def test_help_imports_nothing_heavy(args: tuple[str, ...]) -> None:
    printed, modules = run(PROGRAM, *args)
    assert "usage: neuvo" in printed
    assert heavy(modules) == []


def test_a_command_that_runs_imports_what_it_needs(tmp_path: Path) -> None:
    """The check above would pass for a CLI that imported nothing: a command that runs imports
    the database layer once its arguments are parsed."""
    purge = PROGRAM.replace("main(sys.argv[1:])", "main(['purge', '--database', sys.argv[1]])")
    printed, modules = run(purge, f"sqlite:///{tmp_path / 'purged.db'}")
    assert "purged 0 chats" in printed
    assert "sqlalchemy" in heavy(modules)
