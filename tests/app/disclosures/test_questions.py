"""Residents ask questions about (or object to) a published disclosure; the answer is
published without the asker, and goes on the transparency log."""

from __future__ import annotations

import json

import pytest

from app.disclosures import questions, reading
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.notifications.models import Notification
from app.transparency import services as log
from tests.app.disclosures.conftest import draft, published


def test_a_resident_asks_staff_answer_and_the_answer_is_published(place):
    item = published(place)
    asked = questions.ask_question(place.actor(place.resident), item.id, kind="question",
                                   text="我是3号楼张阿姨，会议记录在哪里可以看？")
    assert Notification.select().where(Notification.kind == "disclosure.question").count() == 3
    questions.answer_question(place.staff("cadre"), asked.id, answer="会议记录在村委会公开栏。",
                              public_question="会议记录在哪里可以看？")
    shown = reading.published_answers(item)
    assert [(q.public_question, q.answer) for q in shown] == [
        ("会议记录在哪里可以看？", "会议记录在村委会公开栏。")]
    leaf = log.leaf_for_record(place.tree.town_a.id, "disclosure_answer", asked.id)
    assert "张阿姨" not in leaf.record
    assert json.loads(leaf.record)["body"]["disclosure"] == item.id
    told = Notification.get(Notification.kind == "disclosure.answered")
    assert told.recipient_user_id == place.resident.id


def test_an_answer_is_given_once(place):
    item = published(place)
    asked = questions.ask_question(place.actor(place.resident), item.id, kind="objection",
                                   text="这笔支出金额有疑问")
    questions.answer_question(place.staff("cadre"), asked.id, answer="已核实，金额无误。")
    with pytest.raises(Conflict) as info:
        questions.answer_question(place.staff("town_admin"), asked.id, answer="再答一次")
    assert info.value.code == "disclosure.already_answered"


def test_only_residents_of_the_place_ask_and_only_about_published_disclosures(place):
    item = published(place)
    pending = draft(place)
    for actor, target in ((place.actor(place.resident_a2), item),
                          (place.actor(place.visitor), item),
                          (place.actor(place.resident), pending)):
        with pytest.raises(NotFound):
            questions.ask_question(actor, target.id, kind="question", text="想问一下这个事")
    with pytest.raises(InvalidInput):
        questions.ask_question(place.actor(place.resident), item.id, kind="question", text="短")


def test_risky_text_is_refused(place):
    item = published(place)
    with pytest.raises(InvalidInput) as info:
        questions.ask_question(place.actor(place.resident), item.id, kind="question",
                               text="这里有人赌博你们管不管")
    assert info.value.code == "content.risky"


@pytest.mark.parametrize("role", ["finance_panel", "supervision_committee",
                                  "discipline_officer", "grid_worker"])
def test_roles_that_do_not_answer_are_refused(place, role):
    item = published(place)
    asked = questions.ask_question(place.actor(place.resident), item.id, kind="question",
                                   text="想问一下这个事")
    with pytest.raises(Forbidden):
        questions.answer_question(place.staff(role), asked.id, answer="答复")


def test_a_cadre_of_another_village_does_not_find_the_question(place):
    item = published(place)
    asked = questions.ask_question(place.actor(place.resident), item.id, kind="question",
                                   text="想问一下这个事")
    with pytest.raises(NotFound):
        questions.answer_question(place.staff(place.cadre_b), asked.id, answer="答复")
    assert [q.id for q in questions.my_questions_query(place.actor(place.resident))] == [asked.id]
    assert [q.id for q in questions.staff_questions_query(place.staff("discipline_officer"),
                                                          status="open")] == [asked.id]
