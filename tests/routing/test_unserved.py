"""Why nobody on duty may take a waiting chat, for the coordinators' "now" panel."""

from __future__ import annotations

from routing.advisors import Unserved, why_unserved
from routing.types import ToAdvisor, ToOrganisation
from tests.routing.routing_builders import advisor, chat

ANNA = advisor("anna", "kotka", languages=frozenset({"fi", "en"}), topics=frozenset({"study"}))
BO = advisor("bo", "vaasa", languages=frozenset({"sv"}), topics=None)


def test_a_chat_someone_on_duty_may_take_is_served_even_when_they_are_busy() -> None:
    busy = advisor("anna", languages=frozenset({"fi"}), active=3, available=False)
    assert why_unserved(chat("c"), [busy]) is None


def test_with_nobody_on_duty_the_reason_is_nobody() -> None:
    assert why_unserved(chat("c"), []) is Unserved.NOBODY


def test_a_language_nobody_on_duty_speaks() -> None:
    assert why_unserved(chat("c", language="uk"), [ANNA, BO]) is Unserved.LANGUAGE


def test_a_topic_nobody_who_speaks_the_language_handles() -> None:
    # Bo handles every topic but speaks no Finnish: for a Finnish chat on work it is the topic.
    assert why_unserved(chat("c", language="fi", topic="work"), [ANNA, BO]) is Unserved.TOPIC
    assert why_unserved(chat("c", language="sv", topic="work"), [ANNA, BO]) is None


def test_a_transfer_to_someone_not_on_duty() -> None:
    assert why_unserved(chat("c", target=ToAdvisor("carl")), [ANNA]) is Unserved.TARGET
    assert why_unserved(chat("c", target=ToOrganisation("oulu")), [ANNA]) is Unserved.TARGET
    assert why_unserved(chat("c", target=ToAdvisor("anna")), [ANNA]) is None
