"""Runs the duty console's own checks with Node, where Node is installed: every script of the
console parses, and the unit tests under tests/console/*.test.js pass (the chat list's chips,
unread counts and names, without a page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.node import ROOT, assert_parses, assert_unit_tests_pass, needs_node

SCRIPTS = sorted((ROOT / "chat" / "web" / "static").glob("*.js"))
UNIT_TESTS = sorted(Path(__file__).parent.glob("*.test.js"))

pytestmark = needs_node


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_console_script_parses(script: Path) -> None:
    assert_parses(script)


def test_console_unit_tests_pass() -> None:
    assert_unit_tests_pass(UNIT_TESTS)
