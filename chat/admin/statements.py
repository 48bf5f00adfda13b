"""The two statements a Finnish public service publishes: the accessibility statement
(saavutettavuusseloste, the Act on the Provision of Digital Services 306/2019) and the privacy
notice (tietosuojaseloste, GDPR articles 13 and 14).

Each is written from the service's own settings (chat.web.pages.statements has the default texts)
unless coordinators have written their own for a language; what they keep here is that text, and
the facts the defaults need: who the controller is, where feedback goes, and the day the
statements were last reviewed. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chat.admin.changes import Administration
from chat.admin.errors import Problems
from storage import service
from storage.database import Session

KINDS = ("accessibility", "privacy")
LANGUAGES = ("fi", "sv", "en")
MAX_TEXT = 20_000
MAX_FACT = 200
_FACTS = ("controller", "contact", "reviewed")


@dataclass(frozen=True)
class StatementFacts:
    """What the default statements say of the service that only its people know."""

    controller: str = ""
    contact: str = ""
    reviewed: date | None = None


def _key(kind: str, language: str) -> str:
    return f"statement.{kind}.{language}"


async def own_text(session: Session, *, kind: str, language: str) -> str:
    """The coordinators' own text of the statement in that language; "" when they have none."""
    return await service.get_setting(session, key=_key(kind, language)) or ""


async def facts(session: Session) -> StatementFacts:
    values = {name: await service.get_setting(session, key=f"statement.{name}") or "" for name in _FACTS}
    reviewed = date.fromisoformat(values["reviewed"]) if values["reviewed"] else None
    return StatementFacts(values["controller"], values["contact"], reviewed)


async def set_text(admin: Administration, *, actor: str, kind: str, language: str, text: str) -> None:
    """The statement's own text for a language; an empty one puts the default back."""
    problems = Problems()
    if kind not in KINDS or language not in LANGUAGES:
        problems.add("text", "unknown", "no such statement")
    if len(text) > MAX_TEXT:
        problems.add("text", "too_long", f"at most {MAX_TEXT} characters", most=MAX_TEXT)
    problems.raise_any()
    detail = f"{kind} {language}: " + ("own text" if text.strip() else "the default")
    async with admin.change(actor=actor, action="statement_set", detail=detail) as change:
        await service.set_setting(change.session, key=_key(kind, language), value=text.strip())


async def set_facts(admin: Administration, *, actor: str, controller: str, contact: str, today: date) -> None:
    """Who the controller is and where feedback goes; saving them is a review, dated today."""
    problems = Problems()
    for field, value in (("controller", controller), ("contact", contact)):
        if not value.strip():
            problems.add(field, "missing", "required")
        elif len(value) > MAX_FACT:
            problems.add(field, "too_long", f"at most {MAX_FACT} characters", most=MAX_FACT)
    problems.raise_any()
    async with admin.change(actor=actor, action="statement_facts", detail=controller.strip()) as change:
        for name, value in (("controller", controller), ("contact", contact), ("reviewed", today.isoformat())):
            await service.set_setting(change.session, key=f"statement.{name}", value=value.strip())
