"""The post-chat questionnaire's questions, as coordinators design them (chat.admin.survey)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import survey as admin_survey
from chat.admin.errors import Refused
from chat.admin.settings import LABEL_LANGUAGES
from chat.web.context import db_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import admin_of, coordinator, form_errors, form_text, page, removal
from storage import survey
from storage.tables import User

KEYS = {code: f"coord.survey.error.{code}" for code in ("kind", "text", "options", "too_many")}


async def _render(request: Request, user: User, *, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, status: int = 200) -> Response:
    async with db_of(request).transaction() as session:
        questions = await survey.questions(session)
    t = Translator(request_language(request))
    done = request.query_params.get("done")
    return page(request, "coordinator/survey.html", user, {
        "questions": [(q, survey.options_of(q)) for q in questions],
        "kind_options": [(kind, t(f"coord.survey.kind.{kind}")) for kind in admin_survey.KINDS],
        "most": admin_survey.MAX_QUESTIONS, "errors": errors or {}, "values": values or {},
        "done": t(f"coord.survey.done.{done}") if done in ("added", "retired") else None,
    }, status=status)


async def survey_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


async def add_question(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    values = {name: str(form.get(name, "")) for name in
              ("kind", *(f"text_{c}" for c in LABEL_LANGUAGES), *(f"options_{c}" for c in LABEL_LANGUAGES))}
    try:
        await admin_survey.add_question(
            admin_of(request), actor=user.username, kind=form_text(form, "kind"),
            texts={c: values[f"text_{c}"] for c in LABEL_LANGUAGES},
            options={c: values[f"options_{c}"].splitlines() for c in LABEL_LANGUAGES})
    except Refused as refused:
        t = Translator(request_language(request))
        errors = form_errors(request, refused, prefix="question", keys=KEYS,
                             values=lambda p: {**p.values, "language": t(f"coord.language.{p.values['language']}")}
                             if "language" in p.values else p.values)
        return await _render(request, user, errors=errors, values=values, status=400)
    return redirect("/coordinator/survey?done=added#questions")


async def retire_question(request: Request) -> Response:
    question_id = request.path_params["question_id"]
    return await removal(
        request, lambda admin, actor: admin_survey.retire_question(admin, actor=actor, question_id=question_id),
        then="/coordinator/survey?done=retired#questions")


routes = [
    Route("/coordinator/survey", survey_page, methods=["GET"]),
    Route("/coordinator/survey/questions", add_question, methods=["POST"]),
    Route("/coordinator/survey/questions/{question_id:int}/retire", retire_question, methods=["POST"]),
]
