"""The accessibility statement and the privacy notice at stable public URLs (`/accessibility`,
`/privacy`, `?lang=` for the language), and the coordinators' page that edits them.

A statement is the coordinators' own text for the language if they wrote one, else the default
from the catalogs, filled in from the service's settings: the transcript retention in force, the
controller and contact the coordinators gave, the day they last reviewed it. The text is plain:
a line starting `##` is a heading, lines starting `-` a list, a blank line ends a paragraph; it
is escaped like every text on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import statements
from chat.admin.errors import Refused
from chat.web.context import clock_of, db_of, settings_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect, render
from chat.web.pages.coordinator_base import admin_of, coordinator, form_errors, form_text, page
from storage import retention

KEYS = {code: f"coord.statements.error.{code}" for code in ("missing", "too_long", "unknown")}


@dataclass(frozen=True)
class Block:
    """A piece of a statement as the page shows it: a heading, a paragraph or a list."""

    kind: str  # "heading", "paragraph" or "list"
    lines: tuple[str, ...]


def blocks(text: str) -> list[Block]:
    """The plain text as headings, paragraphs and lists (see the module's docstring)."""
    found: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        while lines and lines[0].startswith("##"):
            found.append(Block("heading", (lines.pop(0).lstrip("#").strip(),)))
        items = [line for line in lines if line.startswith("-")]
        if lines and len(items) == len(lines):
            found.append(Block("list", tuple(line.lstrip("-").strip() for line in lines)))
        elif lines:
            found.append(Block("paragraph", (" ".join(lines),)))
    return found


@dataclass(frozen=True)
class _Stored:
    """What the statements are written from: the coordinators' own texts, their facts, the
    retention in force; read in one transaction."""

    own: dict[tuple[str, str], str]
    facts: statements.StatementFacts
    days: int


async def _stored(request: Request) -> _Stored:
    async with db_of(request).transaction() as session:
        own = {(kind, language): await statements.own_text(session, kind=kind, language=language)
               for kind in statements.KINDS for language in statements.LANGUAGES}
        facts = await statements.facts(session)
        days = await retention.retention_days(session, default=settings_of(request).retention_days)
    return _Stored(own, facts, days)


def _text(request: Request, stored: _Stored, kind: str, language: str) -> tuple[str, bool]:
    """The statement as published in `language`, and whether it is the coordinators' own."""
    own = stored.own.get((kind, language), "")
    if own:
        return own, True
    facts, t = stored.facts, Translator(language, tz=tz_of(request))
    reviewed = t("statement.reviewed", day=facts.reviewed) if facts.reviewed else t("statement.not_reviewed")
    return t(f"statement.{kind}.default", controller=facts.controller or t("statement.unnamed_controller"),
             contact=facts.contact or t("statement.no_contact"), days=stored.days, reviewed=reviewed), False


async def statement_text(request: Request, kind: str, language: str) -> tuple[str, bool]:
    """The statement as published in `language`, and whether it is the coordinators' own."""
    return _text(request, await _stored(request), kind, language)


def _public(kind: str) -> Route:
    async def published(request: Request) -> Response:
        language = request_language(request)
        text, _ = await statement_text(request, kind, language)
        other = next(k for k in statements.KINDS if k != kind)
        return render(request, "statement.html", {"kind": kind, "other": other, "blocks": blocks(text)})
    return Route(f"/{kind}", published, methods=["GET"])


async def statements_page(request: Request, *, errors: dict[str, str] | None = None,
                          values: dict[str, str] | None = None, status: int = 200) -> Response:
    user = await coordinator(request)
    stored = await _stored(request)
    facts = stored.facts
    texts = {(kind, language): _text(request, stored, kind, language)
             for kind in statements.KINDS for language in statements.LANGUAGES}
    done = request.query_params.get("done")
    t = Translator(request_language(request))
    return page(request, "coordinator/statements.html", user, {
        "facts": facts, "texts": texts, "kinds": statements.KINDS, "languages": statements.LANGUAGES,
        "errors": errors or {}, "values": values or {},
        "done": t(f"coord.statements.done.{done}") if done in ("facts", "text") else None,
    }, status=status)


async def show_statements(request: Request) -> Response:
    return await statements_page(request)


async def save_facts(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    controller, contact = form_text(form, "controller"), form_text(form, "contact")
    try:
        await statements.set_facts(admin_of(request), actor=user.username, controller=controller, contact=contact,
                                   today=clock_of(request).now().astimezone(tz_of(request)).date())
    except Refused as refused:
        return await statements_page(request, errors=form_errors(request, refused, prefix="facts", keys=KEYS),
                                     values={"controller": controller, "contact": contact}, status=400)
    return redirect("/coordinator/statements?done=facts#facts")


async def save_text(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    kind, language = form_text(form, "kind"), form_text(form, "language")
    text = str(form.get("text", ""))
    if kind in statements.KINDS and language in statements.LANGUAGES:
        current, own = await statement_text(request, kind, language)
        if not own and _same(text, current):
            text = ""  # the default sent back untouched stays the default, following the settings
    try:
        await statements.set_text(admin_of(request), actor=user.username, kind=kind, language=language, text=text)
    except Refused as refused:
        errors = form_errors(request, refused, prefix=f"{kind}-{language}", keys=KEYS)
        return await statements_page(request, errors=errors, values={f"{kind}-{language}": text}, status=400)
    return redirect(f"/coordinator/statements?done=text#{kind}-{language}")


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


routes = [
    *(_public(kind) for kind in statements.KINDS),
    Route("/coordinator/statements", show_statements, methods=["GET"]),
    Route("/coordinator/statements/facts", save_facts, methods=["POST"]),
    Route("/coordinator/statements/text", save_text, methods=["POST"]),
]
