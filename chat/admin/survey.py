"""The post-chat questionnaire coordinators design: up to five questions, each a 1–5 scale, one
choice of a few, or a free text, in Finnish, Swedish and English. Questions are added and retired
(a retired question asks no more; its answers stay in the statistics). Every change is audited."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problems
from chat.admin.settings import LABEL_LANGUAGES
from storage import survey
from storage.tables import SurveyQuestion

KINDS = ("scale", "choice", "text")
MAX_QUESTIONS = 5
MAX_QUESTION = 300
MAX_OPTION = 100
OPTIONS = (2, 6)  # a choice offers this few to this many


async def add_question(admin: Administration, *, actor: str, kind: str, texts: Mapping[str, str],
                       options: Mapping[str, Sequence[str]]) -> None:
    """`options` per language, one option a line in the same order (choice questions only)."""
    problems = Problems()
    if kind not in KINDS:
        problems.add("kind", "kind", "choose the kind of question")
    for language in LABEL_LANGUAGES:
        if not texts.get(language, "").strip() or len(texts[language]) > MAX_QUESTION:
            problems.add(f"text_{language}", "text", f"the question in {language}, at most {MAX_QUESTION} characters",
                         language=language, most=MAX_QUESTION)
    choices = _options(kind, options, problems)
    async with admin.change(actor=actor, action="survey_add", detail=texts.get("en", "")[:80]) as change:
        asked = await survey.questions(change.session)
        if len(asked) >= MAX_QUESTIONS:
            problems.add("kind", "too_many", f"at most {MAX_QUESTIONS} questions", most=MAX_QUESTIONS)
        problems.raise_any()
        await survey.add_question(change.session, question=SurveyQuestion(
            position=max((q.position for q in asked), default=0) + 1, kind=kind,
            text_fi=texts["fi"].strip(), text_sv=texts["sv"].strip(), text_en=texts["en"].strip(),
            options=json.dumps(choices, ensure_ascii=False)))


def _options(kind: str, options: Mapping[str, Sequence[str]], problems: Problems) -> list[dict[str, str]]:
    if kind != "choice":
        return []
    lines = {language: [line.strip() for line in options.get(language, ()) if line.strip()]
             for language in LABEL_LANGUAGES}
    counts = {len(found) for found in lines.values()}
    low, high = OPTIONS
    if len(counts) != 1 or not low <= counts.pop() <= high or any(
            len(line) > MAX_OPTION for found in lines.values() for line in found):
        problems.add("options_fi", "options", f"{low} to {high} options, as many in each language, one a line",
                     low=low, high=high)
        return []
    return [{language: lines[language][n] for language in LABEL_LANGUAGES} for n in range(len(lines["fi"]))]


async def retire_question(admin: Administration, *, actor: str, question_id: int) -> None:
    async with admin.change(actor=actor, action="survey_retire") as change:
        question = await survey.question(change.session, question_id=question_id)
        if question is None or question.retired:
            raise NotFound(f"no question {question_id}")
        question.retired = True
        change.session.add(question)
        change.detail = question.text_en[:80]
