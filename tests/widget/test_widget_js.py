"""Runs the widget's own checks with Node, where Node is installed: every module of the widget
(and the loader) parses, and the unit tests under tests/widget/*.test.js pass (the session
controller against a fake socket, the connection, the DOM-free helpers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.node import ROOT, assert_parses, assert_unit_tests_pass, needs_node

SCRIPTS = sorted((ROOT / "widget" / "static").glob("*.js"))
UNIT_TESTS = sorted(Path(__file__).parent.glob("*.test.js"))

pytestmark = needs_node


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_widget_script_parses(script: Path) -> None:
    assert_parses(script)


def test_widget_unit_tests_pass() -> None:
    assert_unit_tests_pass(UNIT_TESTS)
