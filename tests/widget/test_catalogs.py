"""The widget's translation catalogs: the same keys in every language, every key the script
asks for present (in any of its modules), no dead keys, and the same placeholders in every translation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "widget" / "static"
LANGUAGES = ("fi", "sv", "en")

# Keys the script builds at run time rather than naming them literally.
DYNAMIC_KEYS = {
    "message.visitor",
    "message.advisor",
    "message.system",
    "ended.reason.service_closed",
    "ended.reason.idle",
    "ended.reason.abandoned",
    "zone.europe_helsinki",  # Translator.zoneName: the default NEUVO_TIMEZONE's own words
    "error.too_long",
    "error.rate_limited",
    "error.unavailable",
    "error.unknown_topic",
    "error.unknown_language",
}
PLURAL_FORMS = (".one", ".other")  # Finnish, Swedish and English have just these two


def load(lang: str) -> dict[str, str]:
    catalog: dict[str, str] = json.loads((STATIC / "i18n" / f"{lang}.json").read_text("utf-8"))
    return catalog


def keys_in_script() -> set[str]:
    """Every single-quoted 'word.word' in the widget's modules is a catalog key (or a plural's stem)."""
    script = "\n".join(path.read_text("utf-8") for path in sorted(STATIC.glob("*.js")))
    return set(re.findall(r"'([a-z_0-9]+(?:\.[a-z_0-9]+)+)'", script))


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


@pytest.fixture(scope="module")
def catalogs() -> dict[str, dict[str, str]]:
    return {lang: load(lang) for lang in LANGUAGES}


def test_every_language_has_the_same_keys(catalogs: dict[str, dict[str, str]]) -> None:
    finnish = set(catalogs["fi"])
    for lang in ("sv", "en"):
        assert set(catalogs[lang]) == finnish, lang


def test_every_text_is_a_non_empty_string(catalogs: dict[str, dict[str, str]]) -> None:
    for lang, catalog in catalogs.items():
        for key, text in catalog.items():
            assert isinstance(text, str) and text.strip(), f"{lang}: {key}"


def test_translations_use_the_same_placeholders(catalogs: dict[str, dict[str, str]]) -> None:
    for key, finnish in catalogs["fi"].items():
        for lang in ("sv", "en"):
            assert placeholders(catalogs[lang][key]) == placeholders(finnish), f"{lang}: {key}"


def test_every_key_the_script_uses_is_in_the_catalog(catalogs: dict[str, dict[str, str]]) -> None:
    catalog = catalogs["fi"]
    for key in keys_in_script() | DYNAMIC_KEYS:
        plural = all(key + form in catalog for form in PLURAL_FORMS)
        assert key in catalog or plural, key


def test_the_catalog_has_no_key_the_script_never_uses(catalogs: dict[str, dict[str, str]]) -> None:
    used = keys_in_script() | DYNAMIC_KEYS
    for key in catalogs["fi"]:
        stem = next((key.removesuffix(form) for form in PLURAL_FORMS if key.endswith(form)), key)
        assert key in used or stem in used, key
