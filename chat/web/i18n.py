"""Server-side texts in Finnish, Swedish and English, from JSON catalogs beside this module.

The language is the one the person chose (`?lang=`, remembered in a cookie), else the first
supported one their browser asks for, else Finnish.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from starlette.requests import Request

LANGUAGES = ("fi", "sv", "en")
DEFAULT = "fi"
COOKIE = "neuvo_lang"
CATALOGS = Path(__file__).with_name("i18n")


@cache
def catalog(language: str) -> Mapping[str, str]:
    data: dict[str, str] = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
    return data


class Translator:
    def __init__(self, language: str) -> None:
        self.language = language
        self._texts = catalog(language)

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts.get(key) or catalog(DEFAULT).get(key) or key
        return text.format(**values) if values else text


def request_language(request: Request) -> str:
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return str(candidate)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT
