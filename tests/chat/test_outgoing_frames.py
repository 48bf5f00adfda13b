"""Outgoing frames are typed values with one encoder: wire names, omitted fields, nesting."""

from __future__ import annotations

import json

from chat.cluster.commands import ANSWERS
from chat.live.commands import Colleague, NowView, ServiceStatus, SignedIn, UnservedChat
from chat.wire.outgoing import (
    AdvisorAssigned,
    AdvisorCard,
    AdvisorIdentity,
    ChatCard,
    Closed,
    HistoryEntry,
    MessageOut,
    OutFrame,
    Queued,
    SignedOut,
    VisitorAssigned,
    Welcome,
    encode,
)
from chat.wire.packing import Kinds, pack, unpack


def test_a_message_for_the_visitor_has_no_chat_field_and_says_from() -> None:
    frame = MessageOut(seq=3, sender="visitor", text="Hei", at="2026-11-24T10:00:00+02:00")
    assert json.loads(encode(frame)) == {
        "type": "message", "seq": 3, "from": "visitor", "text": "Hei", "at": "2026-11-24T10:00:00+02:00",
    }


def test_a_message_for_an_advisor_names_its_chat() -> None:
    frame = MessageOut(seq=1, sender="note", text="x", at="t", chat="c1")
    assert json.loads(encode(frame))["chat"] == "c1"


def test_token_only_in_the_first_queued_and_a_null_next_open_is_sent() -> None:
    assert "token" not in json.loads(encode(Queued(chat="c", position=2, estimated_wait_s=None)))
    assert json.loads(encode(Queued(chat="c", position=1, estimated_wait_s=60, token="s")))["token"] == "s"
    assert json.loads(encode(Closed(reason="unstaffed", next_open=None))) == {
        "type": "closed", "reason": "unstaffed", "next_open": None,
    }


def test_nested_values_become_objects_and_lists() -> None:
    card = ChatCard(id="c", topic="work", language="fi", arrived="2026-11-24T09:58:00+02:00", waited_s=5,
                    messages=(HistoryEntry(seq=1, sender="visitor", text="Hei", at="t"),))
    assert json.loads(encode(AdvisorAssigned(chat=card))) == {
        "type": "assigned",
        "chat": {"id": "c", "topic": "work", "language": "fi", "arrived": "2026-11-24T09:58:00+02:00", "waited_s": 5,
                 "messages": [{"seq": 1, "from": "visitor", "text": "Hei", "at": "t"}]},
    }
    assert card.last_seq == 1


def test_text_is_sent_as_is_not_escaped_to_ascii() -> None:
    assert "päivää" in encode(MessageOut(seq=1, sender="advisor", text="päivää", at="t"))


def test_every_frame_kind_packs_and_unpacks_to_the_same_value() -> None:
    card = ChatCard(id="c", topic="work", language="fi", arrived="2026-11-24T09:58:00+02:00", waited_s=5,
                    messages=(HistoryEntry(seq=1, sender="visitor", text="Hei", at="t"),))
    frames = [
        AdvisorAssigned(chat=card),
        VisitorAssigned(advisor=AdvisorCard(name="Anna", organisation="Kotka")),
        VisitorAssigned(advisor=None),
        MessageOut(seq=2, sender="advisor", text="päivää", at="t", chat="c"),
        Welcome(advisor=AdvisorIdentity(username="anna", name="Anna", organisation="Kotka"), on_shift=True,
                shift_ends=None, status="away", chats=(card,)),
        Queued(chat="c", position=1, estimated_wait_s=None, token=None),
        SignedOut(),
    ]
    for frame in frames:
        assert unpack(pack(frame), Kinds(OutFrame)) == frame


def test_every_answer_to_a_question_packs_and_unpacks_to_the_same_value() -> None:
    answers = [
        ServiceStatus(open=True, accepting=True, next_open=None, queue_length=2, estimated_wait_s=90,
                      languages_on_duty=("en", "fi")),
        [Colleague("anna", "Anna", "Kotka", True, True, ("en", "fi"))],
        NowView(advisors=(SignedIn(Colleague("anna", "Anna", "Kotka", True, False, ("fi",)), 1, 3),),
                queue_length=1, oldest_wait_s=30, unserved=(UnservedChat("work", "sv", 30, "language"),)),
    ]
    for answer in answers:
        assert unpack(pack(answer), ANSWERS) == answer
