"""Runs the widget's own checks with Node, where Node is installed: the syntax of widget.js and
the unit tests of its DOM-free parts (tests/widget/widget_core.test.js)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def run_node(*args: str) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run(
        [NODE, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_widget_script_parses() -> None:
    result = run_node("--check", "widget/static/widget.js")
    assert result.returncode == 0, result.stderr


def test_widget_unit_tests_pass() -> None:
    result = run_node("--test", "tests/widget/widget_core.test.js")
    assert result.returncode == 0, result.stdout + result.stderr
