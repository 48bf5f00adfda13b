"""Runs the widget's own checks with Node, where Node is installed: every module of the widget
(and the loader) parses, and the unit tests under tests/widget/*.test.js pass (the session
controller against a fake socket, the connection, the DOM-free helpers)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
SCRIPTS = sorted((ROOT / "widget" / "static").glob("*.js"))
UNIT_TESTS = sorted(Path(__file__).parent.glob("*.test.js"))

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def run_node(*args: str) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run(
        [NODE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_widget_script_parses(script: Path) -> None:
    # package.json says "type": "module": Node checks each file as a module, which the loader
    # (a classic script) also is, syntactically.
    result = run_node("--check", str(script.relative_to(ROOT)))
    assert result.returncode == 0, result.stderr


def test_widget_unit_tests_pass() -> None:
    assert UNIT_TESTS, "no tests/widget/*.test.js found"
    result = run_node("--test", *(str(path.relative_to(ROOT)) for path in UNIT_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr
