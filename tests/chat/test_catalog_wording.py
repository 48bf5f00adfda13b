"""What some of the server's texts must say, in each of the three languages."""

import json
from pathlib import Path

import pytest

CATALOGS = Path(__file__).parents[2] / "chat" / "web" / "i18n"


def _text(language: str, key: str) -> str:
    catalog: dict[str, str] = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
    return catalog[key]


@pytest.mark.parametrize(("language", "visitors"), [("fi", "kävijöille"), ("sv", "besökare"), ("en", "visitors")])
def test_the_display_name_hint_says_visitors_see_the_name(language: str, visitors: str) -> None:
    """Issue 12.6: the name is shown to visitors in the chat, not to colleagues alone."""
    assert visitors in _text(language, "coord.people.name_hint").lower()
