"""What some of the server's texts must say, in each of the three languages."""

import json
import re
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


def test_every_text_the_console_script_names_is_in_each_catalog() -> None:
    """console.js gets the console.* texts of the page's language; a key it names that a catalog
    lacks would show as the key itself. A key built at run time (`console.colleague.${status}`)
    counts by its prefix."""
    script = (Path(__file__).parents[2] / "chat" / "web" / "static" / "console.js").read_text(encoding="utf-8")
    named = set(re.findall(r"""["'`](console\.[\w.]+?)(?:\$\{|["'`])""", script))
    assert {"console.colleague.", "console.error.", "console.note.hint"} <= named
    for language in ("fi", "sv", "en"):
        catalog = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
        prefixes = {other[: len(key)] for other in catalog for key in named if key.endswith(".")}
        missing = {key for key in named if key not in catalog and f"{key}.other" not in catalog and key not in prefixes}
        assert missing == set(), f"{language}: {missing}"
