"""Node.js for the JavaScript checks (the widget's and the console's), where Node is installed:
a script parses as a module, and unit tests pass under `node --test`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")

needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def run_node(*args: str) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run([NODE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def assert_parses(script: Path) -> None:
    # package.json says "type": "module": Node checks each file as a module, which the widget's
    # loader (a classic script) also is, syntactically.
    result = run_node("--check", str(script.relative_to(ROOT)))
    assert result.returncode == 0, result.stderr


def assert_unit_tests_pass(tests: list[Path]) -> None:
    assert tests, "no *.test.js found"
    result = run_node("--test", *(str(path.relative_to(ROOT)) for path in tests))
    assert result.returncode == 0, result.stdout + result.stderr
