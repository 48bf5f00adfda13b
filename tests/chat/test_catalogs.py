"""The server's texts exist in Finnish, Swedish and English alike."""

import json
import re
from pathlib import Path

CATALOGS = Path(__file__).parents[2] / "chat" / "web" / "i18n"
TEMPLATES = Path(__file__).parents[2] / "chat" / "web" / "templates"


def _load(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
    return data


def test_catalogs_have_the_same_keys_and_no_empty_texts() -> None:
    fi, sv, en = _load("fi"), _load("sv"), _load("en")
    assert set(fi) == set(sv) == set(en)
    assert all(value.strip() for catalog in (fi, sv, en) for value in catalog.values())


def test_every_key_used_in_a_template_exists() -> None:
    used = {
        key
        for template in TEMPLATES.rglob("*.html")
        for key in re.findall(r"""\bt\(\s*["']([\w.]+)["']""", template.read_text(encoding="utf-8"))
    }
    # A key ending in "." is a prefix completed at run time (t("weekday." ~ n)); a text with a
    # count is found by its plural forms (key.one, key.other).
    known = set(_load("fi")) | {key.removesuffix(".other") for key in _load("fi")}
    assert {key for key in used if not key.endswith(".")} - known == set()


def test_every_text_with_a_count_has_the_plural_forms_of_fi_sv_and_en() -> None:
    # Finnish, Swedish and English each have two forms in CLDR: "one" and "other"; the console
    # script picks them with Intl.PluralRules as the pages do with Babel.
    for language in ("fi", "sv", "en"):
        texts = _load(language)
        counted = {key for key, text in texts.items() if "{count}" in text}
        assert all(key.endswith((".one", ".other")) for key in counted), (language, counted)
        bases = {key.rsplit(".", 1)[0] for key in counted}
        assert all(f"{base}.one" in texts and f"{base}.other" in texts for base in bases)
